"""Reads for consultations: lists, the next statement for a participant, progress and the results view."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from sinergi.actors.selectors import organisation_acting_member_ids, user_person
from sinergi.consultations.models import Consultation, ConsultationResult, Participant, Statement
from sinergi.consultations.states import ConsultationStatus, StatementStatus
from sinergi.forums.predicates import STEWARD_ROLES
from sinergi.forums.states import ForumMemberStatus

# Priority of a statement that no result has seen yet: Polis's formula for S = 0 votes and extremity 0,
# ((1 − ½)·1·½·(1 + 8))² — high, so new statements get their first votes quickly.
NEW_STATEMENT_PRIORITY = 5.0625


def consultation_list_public() -> QuerySet[Consultation]:
    """Published consultations, open ones first, each with its accepted-statement count (one query)."""
    return (
        Consultation.objects.exclude(status=ConsultationStatus.DRAFT)
        .select_related("organiser", "forum")
        .annotate(
            open_first=Case(
                When(status=ConsultationStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            statement_count=Count("statements", filter=Q(statements__status=StatementStatus.ACCEPTED)),
        )
        .order_by("open_first", "-opens_at", "pk")
    )


def consultation_list_managed(user: Any) -> list[Consultation]:
    """Drafts the user may manage (shown to them on the list page)."""
    if not getattr(user, "is_authenticated", False):
        return []
    drafts = Consultation.objects.filter(status=ConsultationStatus.DRAFT).select_related("organiser", "forum")
    if not user.is_superuser:
        # Narrow in SQL to hosts the user could manage (own organisation up to two levels below, stewarded forums),
        # then let the rule decide exactly on the few left.
        acting = organisation_acting_member_ids(user)
        person = user_person(user)
        stewarded = (
            person.forum_seats.filter(status=ForumMemberStatus.ACTIVE, role__in=STEWARD_ROLES).values("forum_id")
            if person is not None
            else []
        )
        drafts = drafts.filter(
            Q(organiser_id__in=acting)
            | Q(organiser__parent_id__in=acting)
            | Q(organiser__parent__parent_id__in=acting)
            | Q(forum_id__in=stewarded)
            | Q(forum__convener_id__in=acting)
            | Q(forum__convener__parent_id__in=acting)
        )
    return [c for c in drafts.order_by("-created_at")[:20] if user.has_perm("consultations.change_consultation", c)]


def consultation_get(slug: str) -> Consultation:
    return Consultation.objects.select_related("organiser__kind", "forum__convener").get(slug=slug)


def accepted_statements(consultation: Consultation) -> QuerySet[Statement]:
    return consultation.statements.filter(status=StatementStatus.ACCEPTED).order_by("column_index")


def pending_statements(consultation: Consultation) -> QuerySet[Statement]:
    return consultation.statements.filter(status=StatementStatus.PENDING).order_by("created_at", "column_index")


def consultation_result(consultation: Consultation) -> ConsultationResult | None:
    return ConsultationResult.objects.filter(consultation=consultation).defer("engine_state").first()


@dataclass(frozen=True)
class Progress:
    voted: int
    total: int

    @property
    def remaining(self) -> int:
        return max(self.total - self.voted, 0)


def participant_progress(participant: Participant | None, consultation: Consultation) -> Progress:
    total = accepted_statements(consultation).count()
    if participant is None:
        return Progress(0, total)
    voted = participant.votes.filter(statement__status=StatementStatus.ACCEPTED).count()
    return Progress(voted, total)


def next_statement(participant: Participant | None, consultation: Consultation) -> Statement | None:
    """The next accepted statement for the participant, among those they have not voted on.

    Weighted random by the priorities of the stored result (Polis's §2.12), with a seed per participant and
    number of votes so a reload shows the same statement; without a result, the statement with the fewest votes.
    """
    candidates = accepted_statements(consultation)
    if participant is not None:
        candidates = candidates.exclude(votes__participant=participant)
    result = ConsultationResult.objects.filter(consultation=consultation).values_list("summary", flat=True).first()
    priorities: dict[str, float] = (result or {}).get("priorities") or {}
    if not priorities:
        return candidates.annotate(vote_total=Count("votes")).order_by("vote_total", "column_index").first()
    options = list(candidates.only("pk", "text", "column_index", "consultation_id"))
    if not options:
        return None
    weights = [max(float(priorities.get(str(s.pk), NEW_STATEMENT_PRIORITY)), 0.0) for s in options]
    if sum(weights) <= 0:
        weights = [1.0] * len(options)
    voted = 0 if participant is None else participant.votes.count()
    seed = f"{participant.pk if participant else 0}:{voted}"
    return random.Random(seed).choices(options, weights=weights, k=1)[0]  # noqa: S311 — not security


def results_view(consultation: Consultation, result: ConsultationResult | None) -> dict[str, Any]:
    """The stored summary with statement texts filled in from the accepted statements only (a statement rejected
    after the computation is left out)."""
    if result is None:
        return {}
    summary = result.summary or {}
    texts = dict(accepted_statements(consultation).values_list("pk", "text"))

    def with_text(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**e, "text": texts[e["statement"]]} for e in entries if e.get("statement") in texts]

    groups = [
        {**group, "representative": with_text(group.get("representative", []))} for group in summary.get("groups", [])
    ]
    return {
        **summary,
        "groups": groups,
        "consensus_agree": with_text(summary.get("consensus", {}).get("agree", [])),
        "consensus_disagree": with_text(summary.get("consensus", {}).get("disagree", [])),
        "group_aware": with_text(summary.get("group_aware_consensus", [])),
        "common_ground": with_text(summary.get("common_ground", [])),
    }
