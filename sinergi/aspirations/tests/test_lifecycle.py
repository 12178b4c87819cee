"""Officer transitions: rules, timeline events, public-log entries, routing corrections."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from sinergi.aspirations.models import AspirationEvent, RoutingCorrection
from sinergi.aspirations.services import lifecycle
from sinergi.aspirations.states import AspirationKind, AspirationStatus, EventKind, Privacy
from sinergi.aspirations.tests.lifecycle_fixtures import build_desk, received_case
from sinergi.aspirations.workdays import WIB
from sinergi.core.errors import InvalidTransition, NotPermitted, RuleViolation
from sinergi.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db

S = AspirationStatus


@pytest.fixture
def desk(reference_data):  # type: ignore[no-untyped-def]
    return build_desk()


def _log(case) -> list[str]:  # type: ignore[no-untyped-def]
    return list(
        LedgerEntry.objects.filter(subject_type="aspiration", subject_id=str(case.uid))
        .order_by("sequence")
        .values_list("event_type", flat=True)
    )


def test_full_path_to_resolution(desk) -> None:  # type: ignore[no-untyped-def]
    case = received_case(timezone.now(), category=desk.category, suggested_organisation=desk.opd)
    lifecycle.aspiration_verify(aspiration=case, actor=desk.coordinator)
    lifecycle.aspiration_disposition(aspiration=case, actor=desk.coordinator, organisation=desk.opd)
    lifecycle.aspiration_respond(aspiration=case, actor=desk.opd_staff, text="Tim akan survei besok.")
    lifecycle.aspiration_respond(aspiration=case, actor=desk.opd_staff, text="Survei selesai.", internal_note="x")
    lifecycle.aspiration_resolve(aspiration=case, actor=desk.opd_staff, outcome="Jalan sudah ditambal.")
    case.refresh_from_db()
    assert case.status == S.RESOLVED
    assert case.verified_at and case.dispositioned_at and case.first_response_at and case.resolved_at
    assert case.reopen_until is not None and case.reopen_until > case.resolved_at
    assert _log(case) == [
        "aspiration.verified",
        "aspiration.dispositioned",
        "aspiration.responded",
        "aspiration.responded",
        "aspiration.resolved",
    ]
    events = list(case.events.all())
    assert [e.kind for e in events] == [
        EventKind.STATUS,
        EventKind.STATUS,
        EventKind.RESPONSE,
        EventKind.RESPONSE,
        EventKind.STATUS,
    ]
    assert events[2].from_status == S.DISPOSITIONED and events[2].to_status == S.IN_PROGRESS
    assert events[3].from_status == ""  # a later response does not change the status
    # Public timeline names the organisation, not the officer.
    assert events[2].actor_label == "Dinas PUPR"
    correction = RoutingCorrection.objects.get(aspiration=case)
    assert correction.was_suggested is True
    # Log payloads carry no text of the case and no identity.
    for entry in LedgerEntry.objects.filter(subject_id=str(case.uid)):
        assert "Siti" not in str(entry.payload) and case.title not in str(entry.payload)


def test_reopen_window_is_ten_working_days(desk) -> None:  # type: ignore[no-untyped-def]
    with freeze_time(dt.datetime(2026, 12, 22, 10, 0, tzinfo=WIB)):
        case = received_case(timezone.now(), category=desk.category)
        lifecycle.aspiration_verify(aspiration=case, actor=desk.coordinator)
        lifecycle.aspiration_disposition(aspiration=case, actor=desk.coordinator, organisation=desk.opd)
        lifecycle.aspiration_respond(aspiration=case, actor=desk.opd_staff, text="Ditangani.")
        lifecycle.aspiration_resolve(aspiration=case, actor=desk.opd_staff, outcome="Selesai.")
    case.refresh_from_db()
    # 23, 28, 29, 30, 31 Dec, 4, 6, 7, 8, 11 Jan (24–25 Dec cuti bersama/Natal, 1 Jan, 5 Jan Isra Mikraj off)
    assert case.reopen_until == dt.datetime(2027, 1, 11, 16, 0, tzinfo=WIB)


def test_correction_is_recorded_and_redisposition_allowed(desk) -> None:  # type: ignore[no-untyped-def]
    case = received_case(timezone.now(), category=desk.category, suggested_organisation=desk.opd)
    lifecycle.aspiration_verify(aspiration=case, actor=desk.coordinator)
    lifecycle.aspiration_disposition(aspiration=case, actor=desk.coordinator, organisation=desk.other_opd)
    assert RoutingCorrection.objects.get(aspiration=case).was_suggested is False
    # The other OPD returns it as not theirs, the coordinator sends it on.
    lifecycle.aspiration_return_to_coordinator(aspiration=case, actor=desk.other_staff, reason="Bukan urusan kami.")
    case.refresh_from_db()
    assert case.assigned_organisation is None and case.status == S.DISPOSITIONED
    with pytest.raises(RuleViolation):
        lifecycle.aspiration_respond(aspiration=case, actor=desk.other_staff, text="x")
    lifecycle.aspiration_disposition(aspiration=case, actor=desk.coordinator, organisation=desk.opd)
    case.refresh_from_db()
    assert case.assigned_organisation == desk.opd
    assert RoutingCorrection.objects.filter(aspiration=case).count() == 2


def test_rules_refuse_the_wrong_officer(desk) -> None:  # type: ignore[no-untyped-def]
    case = received_case(timezone.now(), category=desk.category)
    with pytest.raises(NotPermitted):
        lifecycle.aspiration_verify(aspiration=case, actor=desk.opd_staff)
    lifecycle.aspiration_verify(aspiration=case, actor=desk.coordinator)
    lifecycle.aspiration_disposition(aspiration=case, actor=desk.coordinator, organisation=desk.opd)
    with pytest.raises(NotPermitted):
        lifecycle.aspiration_respond(aspiration=case, actor=desk.other_staff, text="Bukan kami")
    with pytest.raises(NotPermitted):
        lifecycle.aspiration_respond(aspiration=case, actor=None, text="x")
    assert not case.events.filter(kind=EventKind.RESPONSE).exists()


def test_invalid_transitions_write_nothing(desk, personas) -> None:  # type: ignore[no-untyped-def]
    case = received_case(timezone.now(), category=desk.category)
    before = LedgerEntry.objects.count()
    with pytest.raises(InvalidTransition):
        lifecycle.aspiration_resolve(aspiration=case, actor=personas["administrator"].user, outcome="x")
    with pytest.raises(RuleViolation):
        lifecycle.aspiration_reject(aspiration=case, actor=desk.coordinator, reason="")
    with pytest.raises(RuleViolation):
        lifecycle.aspiration_archive(aspiration=case, actor=desk.coordinator, reason="x" * 2001)
    assert LedgerEntry.objects.count() == before
    case.refresh_from_db()
    assert case.status == S.RECEIVED


def test_request_information_pauses_the_clock(desk) -> None:  # type: ignore[no-untyped-def]
    case = received_case(timezone.now(), category=desk.category)
    lifecycle.aspiration_request_information(aspiration=case, actor=desk.coordinator, question="Di RT berapa?")
    case.refresh_from_db()
    assert case.status == S.NEEDS_INFORMATION
    assert case.verify_due_at is None and case.completion_due_at is None
    event = case.events.get()
    assert event.public_text == "Di RT berapa?" and event.is_public


def test_out_of_scope_and_archive_are_terminal(desk) -> None:  # type: ignore[no-untyped-def]
    case = received_case(timezone.now(), category=desk.category)
    lifecycle.aspiration_mark_out_of_scope(
        aspiration=case, actor=desk.coordinator, reason="Jalan provinsi.", referred_to="Pemprov Jawa Timur"
    )
    case.refresh_from_db()
    assert case.status == S.OUT_OF_SCOPE and case.referred_to == "Pemprov Jawa Timur" and case.closed_at
    with pytest.raises(InvalidTransition):
        lifecycle.aspiration_archive(aspiration=case, actor=desk.coordinator, reason="x")


def test_reject_needs_reason_and_is_terminal(desk) -> None:  # type: ignore[no-untyped-def]
    case = received_case(timezone.now(), category=desk.category)
    lifecycle.aspiration_verify(aspiration=case, actor=desk.coordinator)
    lifecycle.aspiration_disposition(aspiration=case, actor=desk.coordinator, organisation=desk.opd)
    lifecycle.aspiration_reject(aspiration=case, actor=desk.opd_staff, reason="Lahan milik pribadi.")
    case.refresh_from_db()
    assert case.status == S.REJECTED and case.outcome_text == "Lahan milik pribadi."
    assert _log(case)[-1] == "aspiration.rejected"


def test_investigation_recounts_completion(desk) -> None:  # type: ignore[no-untyped-def]
    received = dt.datetime(2026, 3, 19, 15, 0, tzinfo=WIB)
    with freeze_time(received):
        case = received_case(received, category=desk.category)
        lifecycle.aspiration_mark_investigation(aspiration=case, actor=desk.coordinator, reason="Dugaan pungli.")
    case.refresh_from_db()
    assert case.needs_investigation
    assert case.completion_due_at == dt.datetime(2026, 6, 29, 16, 0, tzinfo=WIB)
    with pytest.raises(RuleViolation):
        lifecycle.aspiration_mark_investigation(aspiration=case, actor=desk.coordinator, reason="lagi")


def test_kip_extension_once_with_reason(desk) -> None:  # type: ignore[no-untyped-def]
    received = dt.datetime(2026, 3, 19, 15, 0, tzinfo=WIB)
    with freeze_time(received):
        case = received_case(received, kind_code=AspirationKind.PERMINTAAN_INFORMASI, category=desk.category)
        lifecycle.aspiration_verify(aspiration=case, actor=desk.coordinator)
        lifecycle.aspiration_disposition(aspiration=case, actor=desk.coordinator, organisation=desk.opd)
        with pytest.raises(RuleViolation):
            lifecycle.aspiration_extend_deadline(aspiration=case, actor=desk.opd_staff, reason=" ")
        lifecycle.aspiration_extend_deadline(aspiration=case, actor=desk.opd_staff, reason="Dokumen di arsip.")
        with pytest.raises(RuleViolation) as error:
            lifecycle.aspiration_extend_deadline(aspiration=case, actor=desk.opd_staff, reason="Lagi.")
    assert error.value.code == "already_extended"
    case.refresh_from_db()
    assert case.completion_due_at == dt.datetime(2026, 4, 20, 16, 0, tzinfo=WIB)
    pengaduan = received_case(received, category=desk.category)
    with pytest.raises(RuleViolation):
        lifecycle.aspiration_extend_deadline(aspiration=pengaduan, actor=desk.coordinator, reason="x")


def test_change_category(desk) -> None:  # type: ignore[no-untyped-def]
    from sinergi.aspirations.tests.factories import CategoryFactory

    other = CategoryFactory(slug="drainase")
    case = received_case(timezone.now(), category=desk.category, privacy=Privacy.CONFIDENTIAL)
    lifecycle.aspiration_change_category(aspiration=case, actor=desk.coordinator, category_slug="drainase")
    case.refresh_from_db()
    assert case.category == other
    assert _log(case) == ["aspiration.category_changed"]
    with pytest.raises(RuleViolation):
        lifecycle.aspiration_change_category(aspiration=case, actor=desk.coordinator, category_slug="tidak-ada")


def test_notifications_are_asked_for_after_commit(desk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen: list[int] = []

    def fake_notify(event_id: int) -> int:
        seen.append(event_id)
        return 1

    monkeypatch.setattr("sinergi.aspirations.notify.notify_event", fake_notify)
    case = received_case(timezone.now(), category=desk.category)
    with pytest.MonkeyPatch.context():
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            lifecycle.aspiration_verify(aspiration=case, actor=desk.coordinator)
    assert seen == [AspirationEvent.objects.get(aspiration=case).pk]


def test_a_case_from_intake_goes_all_the_way(desk) -> None:  # type: ignore[no-untyped-def]
    """The real intake contract feeds the officers' services: due dates set, anonymous reporter never
    named to the OPD, each public step in the log."""
    from sinergi.aspirations.services.intake import CONSENT_VERSION, AspirationSubmission, aspiration_submit

    received = dt.datetime(2026, 3, 19, 15, 0, tzinfo=WIB)
    with freeze_time(received):
        result = aspiration_submit(
            submission=AspirationSubmission(
                kind=AspirationKind.PENGADUAN,
                title="Jalan berlubang di depan pasar",
                text="Jalan di depan pasar berlubang besar dan membahayakan pengendara motor.",
                category_slug="jalan-rusak",
                reporter_name="Siti Pelapor Rahasia",
                consent_version=CONSENT_VERSION,
            ),
            actor=None,
        )
    case = result.aspiration
    assert case.verify_due_at == dt.datetime(2026, 3, 30, 16, 0, tzinfo=WIB)
    with freeze_time(dt.datetime(2026, 3, 26, 9, 0, tzinfo=WIB)):
        lifecycle.aspiration_verify(aspiration=case, actor=desk.coordinator)
        lifecycle.aspiration_disposition(aspiration=case, actor=desk.coordinator, organisation=desk.opd)
        lifecycle.aspiration_respond(aspiration=case, actor=desk.opd_staff, text="Tim kami survei hari ini.")
        lifecycle.aspiration_resolve(aspiration=case, actor=desk.opd_staff, outcome="Lubang sudah ditambal.")
    assert _log(case) == [
        "aspiration.submitted",
        "aspiration.verified",
        "aspiration.dispositioned",
        "aspiration.responded",
        "aspiration.resolved",
    ]
    case.refresh_from_db()
    assert desk.opd_staff.has_perm("aspirations.view_officer_case", case)
    assert not desk.opd_staff.has_perm("aspirations.view_reporter_identity", case)
    assert desk.coordinator.has_perm("aspirations.view_reporter_identity", case)
