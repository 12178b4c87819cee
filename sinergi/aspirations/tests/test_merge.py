"""Merging duplicates: supporters move without double counting, the duplicate's reporter keeps
following, both timelines and the public log record it, everyone hears of it, and the refusals."""

from typing import Any

import pytest
from django.utils import timezone

from sinergi.aspirations.models import AspirationEvent, ReporterIdentity, Support
from sinergi.aspirations.services.merge import aspiration_merge, merge_target_of, short_reference
from sinergi.aspirations.services.support import phone_index
from sinergi.aspirations.states import AspirationStatus, EventKind, Privacy
from sinergi.aspirations.tests.factories import AspirationFactory
from sinergi.aspirations.tests.lifecycle_fixtures import Desk, build_desk
from sinergi.core.errors import InvalidTransition, NotPermitted, RuleViolation
from sinergi.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(reference_data: None) -> Desk:
    return build_desk()


def open_case(desk: Desk, **fields: Any) -> Any:
    defaults = {"status": AspirationStatus.DISPOSITIONED, "assigned_organisation": desk.opd, "category": desk.category}
    return AspirationFactory(**{**defaults, **fields})


def support(case: Any, *, user: Any = None, phone: str = "") -> Support:
    row = Support.objects.create(
        aspiration=case, user=user, phone=phone or None, phone_index=phone_index(phone) if phone else ""
    )
    case.support_count = Support.objects.filter(aspiration=case).count()
    case.save(update_fields=["support_count"])
    return row


def test_merge_moves_supporters_once_and_records_both_sides(
    desk: Desk, personas: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    notified: list[int] = []
    from sinergi.aspirations import notify

    monkeypatch.setattr(notify, "notify_event", lambda event_id: notified.append(event_id) or 0)
    into = open_case(desk)
    duplicate = open_case(desk, status=AspirationStatus.RECEIVED, reporter=personas["citizen"].user)
    both = personas["masyarakat"].user
    support(into, user=both)
    support(into, phone="+6281234567001")
    support(duplicate, user=both)  # supported both: counts once
    support(duplicate, phone="+6281234567001")  # the same phone on both: once
    support(duplicate, user=personas["pemuda"].user)
    support(duplicate, phone="+6281234567002")
    with django_capture_on_commit_callbacks(execute=True):
        merged = aspiration_merge(
            duplicate=duplicate, into=into, actor=desk.opd_staff, reason="Lokasi dan masalah sama."
        )
    duplicate.refresh_from_db()
    into.refresh_from_db()
    assert merged.pk == duplicate.pk
    assert duplicate.status == AspirationStatus.MERGED and duplicate.merged_into == into
    assert duplicate.closed_at is not None and duplicate.support_count == 0
    assert into.support_count == 4 == Support.objects.filter(aspiration=into).count()
    assert not Support.objects.filter(aspiration=duplicate).exists()
    assert duplicate.reporter == personas["citizen"].user  # the reporter is kept with their case
    events = AspirationEvent.objects.filter(kind=EventKind.MERGED)
    assert {event.aspiration_id for event in events} == {duplicate.pk, into.pk}
    on_duplicate = events.get(aspiration=duplicate)
    assert on_duplicate.from_status == AspirationStatus.RECEIVED and on_duplicate.to_status == AspirationStatus.MERGED
    assert short_reference(into) in on_duplicate.public_text and into.title in on_duplicate.public_text
    assert on_duplicate.internal_note == "Lokasi dan masalah sama."
    assert sorted(notified) == sorted(event.pk for event in events)  # both sides told, after commit
    entries = LedgerEntry.objects.filter(event_type="aspiration.merged")
    assert {entry.subject_id for entry in entries} == {str(duplicate.uid), str(into.uid)}
    assert "Lokasi dan masalah sama" not in str([entry.payload for entry in entries])
    assert merge_target_of(duplicate) == into


def test_supporter_who_reports_the_target_is_not_moved(desk: Desk, personas: Any) -> None:
    reporter = personas["citizen"].user
    into = open_case(desk, reporter=reporter)
    ReporterIdentity.objects.create(
        aspiration=into,
        phone="+6281234567009",
        phone_index=phone_index("+6281234567009"),
        consent_version="1",
        consent_text_sha256="0" * 64,
        consented_at=timezone.now(),
    )
    duplicate = open_case(desk)
    support(duplicate, user=reporter)
    support(duplicate, phone="+6281234567009")
    aspiration_merge(duplicate=duplicate, into=into, actor=desk.coordinator, reason="Sama.")
    into.refresh_from_db()
    assert into.support_count == 0


def test_earlier_merges_are_repointed_so_no_chain(desk: Desk) -> None:
    into, duplicate = open_case(desk), open_case(desk)
    older = open_case(desk, status=AspirationStatus.MERGED, merged_into=duplicate)
    aspiration_merge(duplicate=duplicate, into=into, actor=desk.coordinator, reason="Sama.")
    older.refresh_from_db()
    assert older.merged_into == into


def test_confidential_target_title_is_not_shown_on_the_duplicate(desk: Desk) -> None:
    into = open_case(desk, privacy=Privacy.CONFIDENTIAL, title="Judul rahasia sekali")
    duplicate = open_case(desk)
    aspiration_merge(duplicate=duplicate, into=into, actor=desk.coordinator, reason="Sama.")
    text = AspirationEvent.objects.get(aspiration=duplicate, kind=EventKind.MERGED).public_text
    assert "rahasia sekali" not in text and short_reference(into) in text


def test_refusals(desk: Desk) -> None:
    into, duplicate = open_case(desk), open_case(desk)
    with pytest.raises(RuleViolation) as error:
        aspiration_merge(duplicate=into, into=into, actor=desk.coordinator, reason="x")
    assert error.value.code == "merge_self"
    merged = open_case(desk, status=AspirationStatus.MERGED, merged_into=into)
    with pytest.raises(RuleViolation) as error:
        aspiration_merge(duplicate=duplicate, into=merged, actor=desk.coordinator, reason="x")
    assert error.value.code == "merge_target_merged"
    closed = open_case(desk, status=AspirationStatus.RESOLVED)
    with pytest.raises(RuleViolation) as error:
        aspiration_merge(duplicate=duplicate, into=closed, actor=desk.coordinator, reason="x")
    assert error.value.code == "merge_target_closed"
    with pytest.raises(InvalidTransition):
        aspiration_merge(duplicate=closed, into=into, actor=desk.coordinator, reason="x")
    with pytest.raises(RuleViolation) as error:
        aspiration_merge(duplicate=duplicate, into=into, actor=desk.coordinator, reason="  ")
    assert error.value.code == "text_required"
    with pytest.raises(RuleViolation) as error:
        aspiration_merge(duplicate=duplicate, into=into, actor=desk.coordinator, reason="x" * 1001)
    assert error.value.code == "text_too_long"
    duplicate.refresh_from_db()
    assert duplicate.status == AspirationStatus.DISPOSITIONED  # nothing half-written


def test_only_the_coordinator_or_the_opd_holding_the_target(desk: Desk, personas: Any) -> None:
    into, duplicate = open_case(desk), open_case(desk)
    for outsider in (desk.other_staff, personas["citizen"].user, None):
        with pytest.raises(NotPermitted):
            aspiration_merge(duplicate=duplicate, into=into, actor=outsider, reason="Sama.")
    elsewhere = open_case(desk, assigned_organisation=desk.other_opd)
    with pytest.raises(NotPermitted):
        aspiration_merge(duplicate=duplicate, into=elsewhere, actor=desk.opd_staff, reason="Sama.")
    aspiration_merge(duplicate=duplicate, into=elsewhere, actor=desk.other_staff, reason="Sama.")
