import hashlib
import pickle
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinergi.consultations.models import Consultation, ConsultationResult, Participant, Statement, Vote
from sinergi.consultations.results import SUMMARY_VERSION, load_inputs, recompute, votes_digest
from sinergi.consultations.selectors import NEW_STATEMENT_PRIORITY, next_statement, results_view
from sinergi.consultations.services import participant_join, statement_moderate, vote_cast
from sinergi.consultations.states import ConsultationStatus, StatementStatus
from sinergi.consultations.tasks import consultation_recompute, stale_consultation_ids
from sinergi.consultations.tests.factories import (
    ConsultationFactory,
    StatementFactory,
    synthetic_votes,
    with_statements,
)
from sinergi.ledger.models import LedgerEntry
from sinergi.opinion.engine import EngineState

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(reference_data):  # type: ignore[no-untyped-def]
    consultation = ConsultationFactory()
    _, latent = synthetic_votes(consultation, participants=240, statements=24)
    return consultation, latent


def _published() -> int:
    return LedgerEntry.objects.filter(event_type="consultation.result_published").count()


def test_recompute_finds_the_groups_of_a_three_cluster_conversation(conversation) -> None:
    consultation, _ = conversation
    result = recompute(consultation)
    assert result is not None
    summary = result.summary
    assert 2 <= summary["group_count"] <= 5
    assert sum(group["size"] for group in summary["groups"]) == summary["clustered_count"]
    assert summary["participant_count"] == 240
    assert summary["vote_count"] == Vote.objects.count() == result.vote_count
    # Points carry position and group only (no participant id), rounded.
    assert all(len(point) == 3 and point[0] == round(point[0], 3) for point in summary["points"])
    assert len(summary["points"]) == summary["clustered_count"]
    # Every group has representative statements with shares, every accepted statement a priority.
    assert all(group["representative"] for group in summary["groups"])
    assert all(0 <= r["agree"] <= 1 for g in summary["groups"] for r in g["representative"])
    assert len(summary["priorities"]) == 24
    # Titik temu: sector and group blocs with intervals; an uncertain statement is flagged.
    item = summary["common_ground"][0]
    kinds = {bloc["kind"] for bloc in item["blocs"]}
    assert kinds == {"sector", "group"}
    assert all(bloc["lower"] <= bloc["mean"] <= bloc["upper"] for bloc in item["blocs"])
    assert item["confident"] == (item["score"] > 0.5)
    sectors = {row["code"]: row["count"] for row in summary["participation"]["by_sector"]}
    assert sum(sectors.values()) == 240
    assert isinstance(pickle.loads(bytes(result.engine_state)), EngineState)


def test_groups_follow_the_latent_clusters(conversation) -> None:
    """The map places participants of the same latent cluster together: each group is dominated by one."""
    from sinergi.opinion.engine import update

    consultation, latent = conversation
    inputs = load_inputs(consultation)
    opinion = update(inputs.matrix, inputs.moderated_out, sector_of_participant=inputs.sector_of_participant)
    clustered = np.flatnonzero(opinion.group_of_participant >= 0)
    for g in range(opinion.group_count):
        members = clustered[opinion.group_of_participant[clustered] == g]
        shares = np.bincount(latent[members], minlength=3) / max(members.shape[0], 1)
        assert shares.max() >= 0.8


def test_digest_is_the_documented_sha256_and_published_once(conversation) -> None:
    consultation, _ = conversation
    first = recompute(consultation)
    triples = sorted(Vote.objects.values_list("participant__row_index", "statement__column_index", "value").iterator())
    expected = hashlib.sha256("".join(f"{r},{c},{v}\n" for r, c, v in triples).encode()).hexdigest()
    assert first.votes_digest == expected == votes_digest(load_inputs(consultation).matrix)
    entry = LedgerEntry.objects.get(event_type="consultation.result_published")
    assert entry.payload["votes_digest"] == expected
    assert entry.payload["participants"] == 240

    second = recompute(consultation)  # warm start, same votes: same digest, no new entry
    assert second.votes_digest == expected
    assert _published() == 1
    assert second.summary["group_count"] == first.summary["group_count"]

    participant = Participant.objects.get(consultation=consultation, row_index=0)
    statement = Statement.objects.get(consultation=consultation, column_index=0)
    current = Vote.objects.filter(participant=participant, statement=statement).first()
    vote_cast(participant=participant, statement=statement, value=-1 if current and current.value == 1 else 1)
    recompute(consultation)
    assert _published() == 2


def test_rejected_and_pending_statements_leave_the_results(conversation, personas) -> None:
    consultation, _ = conversation
    result = recompute(consultation)
    view = results_view(consultation, result)
    shown = {e["statement"] for g in view["groups"] for e in g["representative"]}
    target = Statement.objects.get(pk=next(iter(shown)))
    Statement.objects.filter(pk=target.pk).update(status=StatementStatus.REJECTED)
    # Rejected after the computation: left out at render time already.
    view = results_view(consultation, result)
    assert target.pk not in {e["statement"] for g in view["groups"] for e in g["representative"]}
    assert target.pk not in {e["statement"] for e in view["common_ground"]}
    # And the next computation treats it as moderated out.
    result = recompute(consultation)
    assert str(target.pk) not in result.summary["priorities"]
    assert target.pk not in {e["statement"] for g in result.summary["groups"] for e in g["representative"]}
    pending = StatementFactory(consultation=consultation, status=StatementStatus.PENDING, is_seed=False)
    assert str(pending.pk) not in recompute(consultation).summary["priorities"]


def test_empty_consultation_gets_an_empty_result(reference_data) -> None:
    consultation = ConsultationFactory()
    with_statements(consultation, 2)
    result = recompute(consultation)
    assert result.summary["group_count"] == 0
    assert result.summary["points"] == []
    assert result.engine_state is None


def test_vote_enqueues_the_recompute_after_commit(reference_data, django_capture_on_commit_callbacks) -> None:
    consultation = ConsultationFactory()
    statements = with_statements(consultation, 2)
    participant = participant_join(consultation=consultation, anonymous_key="r" * 32)
    with django_capture_on_commit_callbacks(execute=True):
        vote_cast(participant=participant, statement=statements[0], value=1)
    result = ConsultationResult.objects.get(consultation=consultation)
    assert result.vote_count == 1 and result.change_sequence == 1
    consultation.refresh_from_db()
    assert consultation.recompute_requested_at is None  # the task cleared its flag


def test_moderation_recomputes(reference_data, personas, django_capture_on_commit_callbacks) -> None:
    consultation = ConsultationFactory(organiser=personas["opd_officer"].organisation)
    with_statements(consultation, 2)
    pending = StatementFactory(consultation=consultation, status=StatementStatus.PENDING, is_seed=False)
    with django_capture_on_commit_callbacks(execute=True):
        statement_moderate(actor=personas["opd_officer"].user, statement=pending, accept=True)
    assert ConsultationResult.objects.filter(consultation=consultation).exists()


def test_group_aware_consensus_carries_every_groups_share_and_interval(conversation) -> None:
    consultation, _ = conversation
    summary = recompute(consultation).summary
    entries = summary["group_aware_consensus"]
    assert len(entries) == 5
    assert [e["value"] for e in entries] == sorted((e["value"] for e in entries), reverse=True)
    labels = [group["label"] for group in summary["groups"]]
    for entry in entries:
        groups = entry["groups"]
        assert [g["label"] for g in groups] == labels and {g["kind"] for g in groups} == {"group"}
        assert all(0 <= g["lower"] <= g["mean"] <= g["upper"] <= 1 for g in groups)
        # Beta(1, 1) prior: the posterior mean is (agree + 1) / (seen + 2).
        assert all(g["mean"] == round((g["agree"] + 1) / (g["seen"] + 2), 4) for g in groups)
        assert all(g["agree"] + g["disagree"] <= g["seen"] for g in groups)
        assert entry["confident"] == all(g["lower"] > 0.5 for g in groups)
        # Polis's group-aware consensus is the product of the groups' posterior means.
        assert entry["value"] == pytest.approx(np.prod([(g["agree"] + 1) / (g["seen"] + 2) for g in groups]), abs=1e-4)


def test_results_stored_in_an_older_layout_are_recomputed(conversation) -> None:
    consultation, _ = conversation
    result = recompute(consultation)
    assert stale_consultation_ids() == []
    old = {**result.summary, "version": SUMMARY_VERSION - 1}
    old["group_aware_consensus"] = [
        {"statement": e["statement"], "value": e["value"]} for e in result.summary["group_aware_consensus"]
    ]
    ConsultationResult.objects.filter(pk=result.pk).update(summary=old)
    # Until then the page lists the statements without bars.
    body = Client().get(reverse("consultations:results", args=[consultation.slug])).content.decode()
    section = body[body.index('id="konsensus-kelompok"') :]
    section = section[: section.index("</section>")]
    first = Statement.objects.get(pk=old["group_aware_consensus"][0]["statement"])
    assert first.text in section and "<svg" not in section
    published = _published()
    assert stale_consultation_ids() == [consultation.pk]
    consultation_recompute.call(consultation.pk)
    assert stale_consultation_ids() == []
    assert ConsultationResult.objects.get(pk=result.pk).summary["group_aware_consensus"][0]["groups"]
    assert _published() == published  # the same votes: no new log entry


def test_task_and_command_bring_stale_results_up_to_date(conversation) -> None:
    consultation, _ = conversation
    assert stale_consultation_ids() == [consultation.pk]
    consultation_recompute.call(consultation.pk)
    assert stale_consultation_ids() == []
    due = ConsultationFactory(closes_at=timezone.now() + timezone.timedelta(seconds=1))
    Consultation.objects.filter(pk=due.pk).update(closes_at=timezone.now())
    out = StringIO()
    call_command("recompute_consultations", stdout=out)
    due.refresh_from_db()
    assert due.status == ConsultationStatus.CLOSED
    assert f"ditutup: {due.slug}" in out.getvalue()


# ---------------------------------------------------------------------------- next statement


def test_next_statement_without_result_takes_the_fewest_votes(reference_data) -> None:
    consultation = ConsultationFactory()
    statements = with_statements(consultation, 3)
    voter = participant_join(consultation=consultation, anonymous_key="n" * 32)
    vote_cast(participant=voter, statement=statements[0], value=1)
    fresh = participant_join(consultation=consultation, anonymous_key="m" * 32)
    assert next_statement(fresh, consultation) == statements[1]
    assert next_statement(voter, consultation) == statements[1]
    Statement.objects.filter(pk=statements[1].pk).update(status=StatementStatus.REJECTED)
    assert next_statement(voter, consultation) == statements[2]
    vote_cast(participant=voter, statement=statements[2], value=0)
    assert next_statement(voter, consultation) is None


def test_next_statement_follows_priorities_and_is_stable_on_reload(conversation) -> None:
    consultation, _ = conversation
    recompute(consultation)
    participant = participant_join(consultation=consultation, anonymous_key="p" * 32)
    first = next_statement(participant, consultation)
    assert first is not None
    assert all(next_statement(participant, consultation) == first for _ in range(3))
    # Weighted by priority: over many participants the highest-priority statement comes up most often.
    summary = ConsultationResult.objects.get(consultation=consultation).summary
    best = max(summary["priorities"], key=lambda pk: summary["priorities"][pk])
    counts: dict[int, int] = {}
    for n in range(200):
        probe = Participant(pk=10_000 + n, consultation=consultation, row_index=10_000 + n)
        chosen = next_statement(probe, consultation)
        counts[chosen.pk] = counts.get(chosen.pk, 0) + 1
    lowest = min(summary["priorities"], key=lambda pk: summary["priorities"][pk])
    assert counts.get(int(best), 0) > counts.get(int(lowest), 0)


def test_new_statement_gets_the_new_statement_priority(conversation) -> None:
    consultation, _ = conversation
    recompute(consultation)
    new = StatementFactory(consultation=consultation, is_seed=False)
    summary = ConsultationResult.objects.get(consultation=consultation).summary
    assert str(new.pk) not in summary["priorities"]
    assert NEW_STATEMENT_PRIORITY > 0


def test_recompute_warm_starts_from_the_stored_state_and_grows(conversation, monkeypatch) -> None:
    from sinergi.consultations import results

    consultation, _ = conversation
    first = recompute(consultation)
    seen: list[object] = []
    real_update = results.update

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(kwargs.get("previous"))
        return real_update(*args, **kwargs)

    monkeypatch.setattr(results, "update", spy)
    # A new participant votes on a new statement: rows and columns are appended to the previous state.
    statement = StatementFactory(consultation=consultation, is_seed=False)
    newcomer = participant_join(consultation=consultation, anonymous_key="w" * 32)
    for target in Statement.objects.filter(consultation=consultation)[:8]:
        vote_cast(participant=newcomer, statement=target, value=1)
    second = recompute(consultation)
    assert isinstance(seen[0], EngineState)
    state = pickle.loads(bytes(second.engine_state))
    assert state.in_conv.shape[0] == 241
    assert str(statement.pk) in second.summary["priorities"]
    assert second.summary["group_count"] == first.summary["group_count"]
    # An unreadable state (e.g. after an engine upgrade) means a cold start, not a failure.
    ConsultationResult.objects.filter(consultation=consultation).update(engine_state=b"not a pickle")
    seen.clear()
    assert recompute(consultation) is not None
    assert seen == [None]


@pytest.mark.parametrize(
    ("voters", "statements", "values"),
    [(1, 1, [1]), (2, 3, [1, -1, 0]), (5, 2, [0]), (20, 4, [1]), (3, 1, [-1])],
    ids=["one-vote", "two-voters", "all-pass", "unanimous", "all-disagree"],
)
def test_tiny_conversations_give_a_result(reference_data, voters, statements, values) -> None:
    consultation = ConsultationFactory()
    rows = with_statements(consultation, statements)
    for n in range(voters):
        participant = participant_join(consultation=consultation, anonymous_key=f"{n:032d}")
        for j, statement in enumerate(rows):
            vote_cast(participant=participant, statement=statement, value=values[(n + j) % len(values)])
    result = recompute(consultation)
    assert result is not None
    assert result.summary["participant_count"] == voters
    assert result.summary["vote_count"] == voters * statements


def test_votes_only_on_rejected_statements(reference_data) -> None:
    consultation = ConsultationFactory()
    (statement,) = with_statements(consultation, 1)
    participant = participant_join(consultation=consultation, anonymous_key="z" * 32)
    vote_cast(participant=participant, statement=statement, value=1)
    Statement.objects.filter(pk=statement.pk).update(status=StatementStatus.REJECTED)
    result = recompute(consultation)
    assert result.summary["statement_count"] == 0
    assert result.summary["priorities"] == {}
