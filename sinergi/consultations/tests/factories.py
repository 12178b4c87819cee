"""Factories for consultations. They write rows directly (test set-up), never through services."""

import datetime as dt
from typing import Any

import factory
import numpy as np
from django.utils import timezone
from factory.django import DjangoModelFactory

from sinergi.actors.tests.factories import OrganisationFactory, kind, sector
from sinergi.consultations.models import Consultation, Participant, Statement, Vote
from sinergi.consultations.states import Audience, ConsultationStatus, StatementStatus


class ConsultationFactory(DjangoModelFactory):
    """An open public consultation hosted by an OPD (give ``forum=`` and ``organiser=None`` for a forum's)."""

    class Meta:
        model = Consultation

    slug = factory.Sequence(lambda n: f"konsultasi-{n}")
    title = factory.Sequence(lambda n: f"Konsultasi contoh {n}")
    question = "Bagaimana sebaiknya taman kota dikelola?"
    organiser = factory.SubFactory(OrganisationFactory, kind=factory.LazyFunction(lambda: kind("opd")))
    audience = Audience.PUBLIC
    status = ConsultationStatus.OPEN
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))
    opened_at = factory.LazyFunction(timezone.now)


class StatementFactory(DjangoModelFactory):
    class Meta:
        model = Statement

    consultation = factory.SubFactory(ConsultationFactory)
    column_index = factory.LazyAttribute(lambda s: s.consultation.statements.count())
    text = factory.Sequence(lambda n: f"Pernyataan contoh nomor {n}.")
    is_seed = True
    status = StatementStatus.ACCEPTED


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    consultation = factory.SubFactory(ConsultationFactory)
    row_index = factory.LazyAttribute(lambda p: p.consultation.participants.count())


def with_statements(consultation: Consultation, count: int) -> list[Statement]:
    return [
        StatementFactory(consultation=consultation, text=f"Pernyataan {i + 1} tentang taman.") for i in range(count)
    ]


def synthetic_votes(consultation: Consultation, *, participants: int = 120, statements: int = 24, seed: int = 7) -> Any:
    """Fill a consultation with the engine's synthetic three-cluster conversation (rows written directly)."""
    from sinergi.opinion.engine.synthetic import synthetic_conversation

    conversation = synthetic_conversation(
        n_participants=participants,
        n_statements=statements,
        target_votes=participants * statements * 2 // 3,
        moderated_out_share=0.0,
        seed=seed,
    )
    sector_codes = ["swasta", "masyarakat", "pemuda", "akademisi", "pemerintah"]
    sectors = [sector(code) for code in sector_codes]
    statement_rows = with_statements(consultation, statements)
    participant_rows = Participant.objects.bulk_create(
        [
            Participant(
                consultation=consultation, row_index=i, sector=sectors[int(conversation.sector[i]) % len(sectors)]
            )
            for i in range(participants)
        ]
    )
    last: dict[tuple[int, int], int] = {}
    for p, s, v in zip(
        conversation.participant_index.tolist(),
        conversation.statement_index.tolist(),
        conversation.vote.tolist(),
        strict=True,
    ):
        last[(p, s)] = v
    now = timezone.now()
    Vote.objects.bulk_create(
        [
            Vote(
                consultation=consultation,
                participant=participant_rows[p],
                statement=statement_rows[s],
                value=v,
                voted_at=now,
                change_sequence=n + 1,
            )
            for n, ((p, s), v) in enumerate(last.items())
        ]
    )
    Consultation.objects.filter(pk=consultation.pk).update(vote_sequence=len(last))
    consultation.refresh_from_db()
    return conversation, np.asarray(conversation.latent_cluster)
