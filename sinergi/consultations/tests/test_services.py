import datetime as dt

import pytest
from django.utils import timezone

from sinergi.actors.tests.factories import sector
from sinergi.consultations.models import Consultation, Participant, Vote
from sinergi.consultations.services import (
    STATEMENTS_PER_HOUR,
    consultation_close,
    consultation_create,
    consultation_open,
    consultation_update,
    consultations_close_due,
    participant_join,
    statement_moderate,
    statement_submit,
    vote_cast,
)
from sinergi.consultations.states import Audience, ConsultationStatus, StatementStatus, VoteValue
from sinergi.consultations.tests.factories import ConsultationFactory, StatementFactory, with_statements
from sinergi.core.errors import InvalidTransition, NotPermitted, RuleViolation
from sinergi.core.testing import run_on_file_database
from sinergi.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db


def _dates() -> tuple[dt.datetime, dt.datetime]:
    now = timezone.now()
    return now + dt.timedelta(hours=1), now + dt.timedelta(days=10)


def _create(personas, **overrides):  # type: ignore[no-untyped-def]
    opens, closes = _dates()
    values = {
        "actor": personas["opd_officer"].user,
        "organiser": personas["opd_officer"].organisation,
        "title": "Taman kota",
        "question": "Bagaimana taman kota sebaiknya dikelola?",
        "opens_at": opens,
        "closes_at": closes,
        "seed_statements": ["Taman perlu lebih teduh.", "", "Taman perlu lebih teduh.", "Perlu toilet umum."],
    }
    values.update(overrides)
    return consultation_create(**values)


def _events(event: str) -> int:
    return LedgerEntry.objects.filter(event_type=event).count()


# ---------------------------------------------------------------------------- create / update / lifecycle


def test_create_by_public_institution_accepts_seeds_once_and_logs(personas) -> None:
    consultation = _create(personas)
    assert consultation.status == ConsultationStatus.DRAFT
    seeds = list(consultation.statements.order_by("column_index").values_list("text", "status", "is_seed"))
    assert seeds == [
        ("Taman perlu lebih teduh.", StatementStatus.ACCEPTED, True),
        ("Perlu toilet umum.", StatementStatus.ACCEPTED, True),
    ]
    entry = LedgerEntry.objects.get(event_type="consultation.created")
    assert entry.payload["seed_statements"] == 2
    assert entry.payload["host_kind"] == "organisation"


def test_create_refuses_other_hosts_and_bad_values(personas) -> None:
    with pytest.raises(NotPermitted):
        _create(personas, actor=personas["swasta"].user)
    with pytest.raises(RuleViolation, match="lembaga publik"):
        _create(personas, actor=personas["swasta"].user, organiser=personas["swasta"].organisation)
    with pytest.raises(RuleViolation, match="forum"):
        _create(personas, audience=Audience.FORUM_MEMBERS)
    opens, closes = _dates()
    with pytest.raises(RuleViolation, match="setelah dibuka"):
        _create(personas, opens_at=closes, closes_at=opens)
    with pytest.raises(RuleViolation, match="terlalu panjang"):
        _create(personas, seed_statements=["x" * 281])
    with pytest.raises(RuleViolation, match="wajib"):
        _create(personas, title="  ")
    assert not Consultation.objects.exists()
    assert _events("consultation.created") == 0


def test_forum_steward_creates_for_the_forum(personas, matrix_forum) -> None:
    secretariat = personas["forum_secretariat"].user
    consultation = _create(personas, actor=secretariat, organiser=None, forum=matrix_forum, audience="forum_members")
    assert consultation.forum == matrix_forum
    with pytest.raises(NotPermitted):
        _create(personas, actor=personas["pemuda"].user, organiser=None, forum=matrix_forum)


def test_update_draft_replaces_seeds_and_open_only_extends_closing(personas) -> None:
    consultation = _create(personas)
    consultation_update(
        actor=personas["opd_officer"].user,
        consultation=consultation,
        title="Taman kota Blitar",
        seed_statements=["Perlu toilet umum.", "Perlu lampu malam."],
    )
    consultation.refresh_from_db()
    assert consultation.title == "Taman kota Blitar"
    assert sorted(consultation.statements.values_list("text", flat=True)) == [
        "Perlu lampu malam.",
        "Perlu toilet umum.",
    ]
    consultation_open(actor=personas["opd_officer"].user, consultation=consultation)
    with pytest.raises(RuleViolation, match="waktu penutupan"):
        consultation_update(actor=personas["opd_officer"].user, consultation=consultation, title="Lain")
    with pytest.raises(RuleViolation, match="diundur"):
        consultation_update(
            actor=personas["opd_officer"].user,
            consultation=consultation,
            closes_at=consultation.closes_at - dt.timedelta(days=1),
        )
    later = consultation.closes_at + dt.timedelta(days=3)
    consultation_update(actor=personas["opd_officer"].user, consultation=consultation, closes_at=later)
    consultation.refresh_from_db()
    assert consultation.closes_at == later
    assert _events("consultation.updated") == 2


def test_lifecycle_transitions(personas, django_capture_on_commit_callbacks) -> None:
    consultation = _create(personas)
    actor = personas["opd_officer"].user
    with pytest.raises(InvalidTransition):
        consultation_close(actor=actor, consultation=consultation)
    consultation_open(actor=actor, consultation=consultation)
    with pytest.raises(InvalidTransition):
        consultation_open(actor=actor, consultation=consultation)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        consultation_close(actor=actor, consultation=consultation, reason="Selesai.")
    assert len(callbacks) == 1  # the final recompute
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.CLOSED
    assert [_events(e) for e in ("consultation.opened", "consultation.closed")] == [1, 1]


def test_close_due_closes_only_past_ones(reference_data) -> None:
    past = ConsultationFactory(closes_at=timezone.now() + dt.timedelta(minutes=1))
    future = ConsultationFactory()
    closed = consultations_close_due(now=timezone.now() + dt.timedelta(minutes=5))
    assert closed == [past.slug]
    past.refresh_from_db()
    future.refresh_from_db()
    assert (past.status, future.status) == (ConsultationStatus.CLOSED, ConsultationStatus.OPEN)
    assert LedgerEntry.objects.get(event_type="consultation.closed").payload["scheduled"] is True


# ---------------------------------------------------------------------------- participants


def test_join_assigns_rows_once_and_takes_the_organisation_sector(personas) -> None:
    consultation = ConsultationFactory()
    first = participant_join(consultation=consultation, user=personas["swasta"].user, sector=sector("pemuda"))
    again = participant_join(consultation=consultation, user=personas["swasta"].user)
    anonymous = participant_join(consultation=consultation, anonymous_key="k" * 32, sector=sector("pemuda"))
    citizen = participant_join(consultation=consultation, user=personas["citizen"].user, sector=sector("masyarakat"))
    assert first.pk == again.pk
    assert [first.row_index, anonymous.row_index, citizen.row_index] == [0, 1, 2]
    assert first.sector.code == "swasta"  # the organisation's sector wins over a declaration
    assert anonymous.sector.code == "pemuda"
    assert citizen.sector.code == "masyarakat"
    assert anonymous.anonymous_key_hash and "k" * 32 not in anonymous.anonymous_key_hash
    assert not LedgerEntry.objects.filter(subject_type="consultation").exists()  # who takes part is not published


def test_audience_rules(personas, matrix_forum) -> None:
    verified = ConsultationFactory(audience=Audience.VERIFIED)
    with pytest.raises(NotPermitted):
        participant_join(consultation=verified, anonymous_key="a" * 32)
    with pytest.raises(NotPermitted, match="terverifikasi"):
        participant_join(consultation=verified, user=personas["citizen"].user)
    person = personas["citizen"].person
    person.verified_at = timezone.now()
    person.save()
    assert participant_join(consultation=verified, user=personas["citizen"].user).row_index == 0

    members_only = ConsultationFactory(organiser=None, forum=matrix_forum, audience=Audience.FORUM_MEMBERS)
    with pytest.raises(NotPermitted, match="anggota forum"):
        participant_join(consultation=members_only, user=personas["citizen"].user)
    assert participant_join(consultation=members_only, user=personas["forum_secretariat"].user)


def test_join_refuses_closed_consultations(reference_data) -> None:
    closed = ConsultationFactory(status=ConsultationStatus.CLOSED)
    with pytest.raises(RuleViolation, match="tidak sedang dibuka"):
        participant_join(consultation=closed, anonymous_key="b" * 32)
    assert not Participant.objects.exists()


# ---------------------------------------------------------------------------- votes


@pytest.fixture
def voting(reference_data):  # type: ignore[no-untyped-def]
    consultation = ConsultationFactory()
    statements = with_statements(consultation, 3)
    participant = participant_join(consultation=consultation, anonymous_key="v" * 32)
    return consultation, statements, participant


def test_the_latest_vote_counts_in_exactly_one_row(voting) -> None:
    consultation, statements, participant = voting
    first = vote_cast(participant=participant, statement=statements[0], value=VoteValue.AGREE)
    second = vote_cast(participant=participant, statement=statements[0], value=VoteValue.DISAGREE)
    third = vote_cast(participant=participant, statement=statements[0], value="0")
    assert Vote.objects.filter(participant=participant, statement=statements[0]).count() == 1
    vote = Vote.objects.get(participant=participant, statement=statements[0])
    assert vote.value == VoteValue.PASS
    assert [first.change_sequence, second.change_sequence, third.change_sequence] == [1, 2, 3]
    consultation.refresh_from_db()
    assert consultation.vote_sequence == 3
    assert not LedgerEntry.objects.filter(subject_type="consultation").exists()  # votes are not public acts


def test_bad_votes_are_refused_and_write_nothing(voting) -> None:
    consultation, statements, participant = voting
    other = StatementFactory()
    rejected = StatementFactory(consultation=consultation, status=StatementStatus.REJECTED)
    pending = StatementFactory(consultation=consultation, status=StatementStatus.PENDING)
    for statement, value, code in [
        (other, 1, "unknown_statement"),
        (rejected, 1, "statement_unavailable"),
        (pending, 1, "statement_unavailable"),
        (statements[0], 2, "invalid_vote"),
        (statements[0], "setuju", "invalid_vote"),
    ]:
        with pytest.raises(RuleViolation) as error:
            vote_cast(participant=participant, statement=statement, value=value)
        assert error.value.code == code
    Consultation.objects.filter(pk=consultation.pk).update(status=ConsultationStatus.CLOSED)
    with pytest.raises(RuleViolation) as error:
        vote_cast(participant=participant, statement=statements[0], value=1)
    assert error.value.code == "consultation_not_open"
    Consultation.objects.filter(pk=consultation.pk).update(
        status=ConsultationStatus.OPEN, closes_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(RuleViolation):
        vote_cast(participant=participant, statement=statements[0], value=1)
    assert not Vote.objects.exists()
    consultation.refresh_from_db()
    assert consultation.vote_sequence == 0


def test_votes_enqueue_one_recompute_while_one_is_pending(voting, django_capture_on_commit_callbacks) -> None:
    consultation, statements, participant = voting
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        vote_cast(participant=participant, statement=statements[0], value=1)
        vote_cast(participant=participant, statement=statements[1], value=1)
        vote_cast(participant=participant, statement=statements[2], value=-1)
    assert len(callbacks) == 1
    consultation.refresh_from_db()
    assert consultation.recompute_requested_at is not None
    # Once the task has started (flag cleared), the next vote requests another.
    Consultation.objects.filter(pk=consultation.pk).update(recompute_requested_at=None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        vote_cast(participant=participant, statement=statements[0], value=0)
    assert len(callbacks) == 1


def test_concurrent_votes_leave_one_row() -> None:
    """Threads re-voting at once on one statement: one row, every vote sequenced. Runs in a child process on a
    temporary file database with the production connection settings (the in-memory test database is no place
    for concurrent writers)."""
    outcome = run_on_file_database("sinergi.consultations.tests.concurrent_votes", name="votes")
    assert outcome["errors"] == []
    assert outcome["rows"] == 1
    assert outcome["vote_sequence"] == outcome["votes_cast"]
    assert outcome["last_value_matches_highest_sequence"]


# ---------------------------------------------------------------------------- statements


def test_submit_is_pending_and_the_author_agrees(voting) -> None:
    consultation, _, participant = voting
    statement = statement_submit(participant=participant, text="  Tambah   bangku taman. ")
    assert statement.text == "Tambah bangku taman."
    assert statement.status == StatementStatus.PENDING
    assert statement.column_index == 3
    assert Vote.objects.get(statement=statement).value == VoteValue.AGREE
    entry = LedgerEntry.objects.get(event_type="consultation.statement_submitted")
    assert entry.payload == {"consultation": consultation.slug, "statement": 3, "length": 20}


def test_submit_refuses_bad_text_duplicates_and_floods(voting) -> None:
    consultation, statements, participant = voting
    for text, code in [("", "required"), ("x" * 281, "too_long"), (statements[0].text.upper(), "duplicate_statement")]:
        with pytest.raises(RuleViolation) as error:
            statement_submit(participant=participant, text=text)
        assert error.value.code == code
    for n in range(STATEMENTS_PER_HOUR):
        statement_submit(participant=participant, text=f"Usulan nomor {n}.")
    with pytest.raises(RuleViolation) as error:
        statement_submit(participant=participant, text="Satu lagi.")
    assert error.value.code == "rate_limited"
    Consultation.objects.filter(pk=consultation.pk).update(accepts_statements=False)
    with pytest.raises(RuleViolation, match="tidak menerima"):
        statement_submit(participant=participant, text="Ditutup.")


def test_moderation_accepts_or_rejects_with_reason(voting, personas, django_capture_on_commit_callbacks) -> None:
    _, _, participant = voting
    statement = statement_submit(participant=participant, text="Usulan yang perlu diperiksa.")
    actor = personas["opd_officer"].user
    with pytest.raises(RuleViolation, match="wajib"):
        statement_moderate(actor=actor, statement=statement, accept=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        statement_moderate(actor=actor, statement=statement, accept=False, reason="Di luar topik.")
    assert len(callbacks) == 1
    statement.refresh_from_db()
    assert (statement.status, statement.moderation_reason) == (StatementStatus.REJECTED, "Di luar topik.")
    entry = LedgerEntry.objects.get(event_type="consultation.statement_moderated")
    assert entry.payload["to_status"] == "rejected" and "text" not in entry.payload
    statement_moderate(actor=actor, statement=statement, accept=True)
    statement.refresh_from_db()
    assert statement.status == StatementStatus.ACCEPTED
    with pytest.raises(InvalidTransition):
        statement_moderate(actor=actor, statement=statement, accept=True)


def test_verified_audience_follows_person_verify(personas) -> None:
    from sinergi.actors.services import person_verify

    consultation = ConsultationFactory(audience=Audience.VERIFIED)
    citizen = personas["citizen"]
    person_verify(actor=personas["administrator"].user, person=citizen.person)
    citizen.person.refresh_from_db()
    assert participant_join(consultation=consultation, user=citizen.user)
    entry = LedgerEntry.objects.get(event_type="person.verified")
    assert entry.payload == {"slug": None, "verified": True}  # an unlisted citizen is not named
