"""Who hears about an aspiration event, what they are told, and that nothing personal leaks:
recipients per kind, privacy (no tracking code but to the reporter, no title of a confidential case),
one message per address, no address or NIK in bodies, errors or task arguments."""

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from sinergi.actors.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    kind,
    role,
)
from sinergi.aspirations.models import Aspiration, AspirationEvent, ReporterIdentity, Support
from sinergi.aspirations.notify import event_recipients, notify_event
from sinergi.aspirations.states import AspirationStatus, EventKind, OverdueStage, Privacy
from sinergi.aspirations.tests.factories import AspirationEventFactory, AspirationFactory
from sinergi.notifications.models import Notification
from sinergi.notifications.states import NotificationStatus
from sinergi.notifications.tests import gateway_server
from sinergi.notifications.tests.gateway_server import GatewayServer

pytestmark = pytest.mark.django_db
gateway = gateway_server.gateway  # the local SMS/WhatsApp gateway fixture

CANARY_NIK = "3572014107900001"
CANARY_PHONE = "+6281299887766"
SUPPORTER_PHONE = "+6285712345678"
REPORTER_EMAIL = "pelapor.kenari@contoh.example"


@dataclass
class Case:
    aspiration: Aspiration
    officer: Any
    head: Any
    plain_member: Any
    coordinator: Any
    supporter: Any
    quiet_supporter: Any


def _member(organisation: Any, role_code: str, email: str) -> Any:
    user = UserFactory(email=email)
    MembershipFactory(person=PersonFactory(user=user), organisation=organisation, role=role(role_code))
    return user


def _build_case(privacy: str = Privacy.PUBLIC, *, assigned: bool = True) -> Case:
    opd = OrganisationFactory(name="Dinas Uji Jalan", kind=kind("opd"))
    desk = OrganisationFactory(name="Diskominfotik Uji", slug="diskominfotik", kind=kind("opd"))
    aspiration = AspirationFactory(
        privacy=privacy,
        title="Jalan Kenari berlubang di depan SD",
        assigned_organisation=opd if assigned else None,
        status=AspirationStatus.DISPOSITIONED if assigned else AspirationStatus.RECEIVED,
    )
    ReporterIdentity.objects.create(
        aspiration=aspiration,
        name="Pelapor Kenari",
        nik=CANARY_NIK,
        phone=CANARY_PHONE,
        email=REPORTER_EMAIL,
        wants_updates=True,
        consent_version="uji-1",
        consent_text_sha256="0" * 64,
        consented_at=timezone.now(),
    )
    supporter = UserFactory(email="pendukung@contoh.example")
    quiet = UserFactory(email="pendukung.diam@contoh.example")
    Support.objects.create(aspiration=aspiration, user=supporter)
    Support.objects.create(aspiration=aspiration, phone=SUPPORTER_PHONE, phone_index="idx-pendukung")
    Support.objects.create(aspiration=aspiration, user=quiet, wants_updates=False)
    return Case(
        aspiration=aspiration,
        officer=_member(opd, "staf", "petugas@dinas.example"),
        head=_member(opd, "kepala", "kepala@dinas.example"),
        plain_member=_member(opd, "anggota", "anggota@dinas.example"),
        coordinator=_member(desk, "staf", "meja@kominfo.example"),
        supporter=supporter,
        quiet_supporter=quiet,
    )


@pytest.fixture
def case(reference_data: None, gateway: GatewayServer) -> Case:
    return _build_case()


def _event(case: Case, kind: str, **fields: Any) -> AspirationEvent:
    defaults = {"public_text": "Petugas sudah meninjau lokasi.", "to_status": case.aspiration.status}
    defaults.update(fields)
    return AspirationEventFactory(aspiration=case.aspiration, kind=kind, **defaults)


def _rows(event: AspirationEvent) -> list[Notification]:
    return list(Notification.objects.filter(subject_type="aspiration_event", subject_id=str(event.pk)).order_by("pk"))


def _addresses(event: AspirationEvent) -> set[str]:
    return {row.address for row in _rows(event)}


def test_submitted_reaches_the_reporter_only_with_the_tracker(
    case: Case, gateway: GatewayServer, django_capture_on_commit_callbacks: Any
) -> None:
    event = _event(case, EventKind.SUBMITTED, to_status=AspirationStatus.RECEIVED)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_event(event.pk) == 2
    rows = _rows(event)
    assert {(r.channel, r.address) for r in rows} == {("email", REPORTER_EMAIL), ("sms", CANARY_PHONE)}
    code = case.aspiration.tracking_code
    assert all(f"/aspirasi/lacak/{code}/" in r.body for r in rows)
    assert all(r.status == NotificationStatus.SENT for r in Notification.objects.filter(pk__in=[r.pk for r in rows]))
    (message,) = mail.outbox
    assert message.to == [REPORTER_EMAIL] and code in message.body
    (sms,) = gateway.requests
    assert sms.body["to"] == CANARY_PHONE and code in sms.body["message"]


def test_disposition_reaches_reporter_supporters_and_the_opd(
    case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    event = _event(case, EventKind.STATUS, to_status=AspirationStatus.DISPOSITIONED)
    with django_capture_on_commit_callbacks(execute=True):
        count = notify_event(event.pk)
    assert _addresses(event) == {
        REPORTER_EMAIL,
        CANARY_PHONE,
        case.supporter.email,
        SUPPORTER_PHONE,
        case.officer.email,
        case.head.email,  # "kepala" acts for the organisation too
    }
    assert count == 6
    code = case.aspiration.tracking_code
    for row in _rows(event):
        if row.address in (REPORTER_EMAIL, CANARY_PHONE):
            assert code in row.body
        else:
            assert code not in row.body and code not in row.subject
            assert f"/aspirasi/{case.aspiration.uid}/" in row.body
    officer_row = next(r for r in _rows(event) if r.address == case.officer.email)
    assert "Dinas Uji Jalan" in officer_row.body
    assert officer_row.recipient_id == case.officer.pk
    site = settings.SINERGI["SITE_NAME"]
    assert officer_row.subject == f"[{site}] Aspirasi baru untuk ditindaklanjuti"
    reporter_row = next(r for r in _rows(event) if r.address == REPORTER_EMAIL)
    assert reporter_row.subject == f"[{site}] Kabar aspirasi Anda — Didisposisikan"


def test_officer_who_acted_is_not_told(case: Case) -> None:
    event = _event(case, EventKind.STATUS, to_status=AspirationStatus.DISPOSITIONED, actor=case.officer)
    assert case.officer.email not in {r.address for r in event_recipients(event)}


def test_response_skips_officers_and_quiet_supporters(case: Case) -> None:
    event = _event(case, EventKind.RESPONSE)
    addresses = {r.address for r in event_recipients(event)}
    assert addresses == {REPORTER_EMAIL, CANARY_PHONE, case.supporter.email, SUPPORTER_PHONE}
    assert case.quiet_supporter.email not in addresses


def test_escalation_reaches_opd_heads_and_the_coordinator_desk(case: Case) -> None:
    Aspiration.objects.filter(pk=case.aspiration.pk).update(overdue_stage=OverdueStage.FIRST_RESPONSE)
    event = _event(case, EventKind.ESCALATED)
    recipients = event_recipients(event)
    assert {r.address for r in recipients} == {case.officer.email, case.head.email, case.coordinator.email}
    assert {r.audience for r in recipients} == {"officer"}
    assert case.plain_member.email not in {r.address for r in recipients}


def test_escalation_heads_only_by_leadership_role(reference_data: None) -> None:
    opd = OrganisationFactory(kind=kind("opd"))
    head = _member(opd, "kepala", "kepala.saja@dinas.example")
    aspiration = AspirationFactory(assigned_organisation=opd, status=AspirationStatus.DISPOSITIONED)
    event = AspirationEventFactory(aspiration=aspiration, kind=EventKind.ESCALATED)
    assert [r.address for r in event_recipients(event)] == [head.email]


def test_information_added_before_disposition_goes_to_the_desk(reference_data: None, gateway: GatewayServer) -> None:
    case = _build_case(assigned=False)
    event = _event(case, EventKind.INFORMATION_ADDED)
    assert {r.address for r in event_recipients(event)} == {case.coordinator.email}


def test_internal_event_reaches_officers_only(case: Case) -> None:
    event = _event(case, EventKind.ROUTING_CORRECTED, is_public=False)
    assert {r.address for r in event_recipients(event)} == {case.officer.email, case.head.email}


def test_confirmed_reaches_supporters_and_opd_not_the_reporter(case: Case) -> None:
    event = _event(case, EventKind.CONFIRMED, to_status=AspirationStatus.RESOLVED)
    addresses = {r.address for r in event_recipients(event)}
    assert REPORTER_EMAIL not in addresses and CANARY_PHONE not in addresses
    assert {case.supporter.email, SUPPORTER_PHONE, case.officer.email} <= addresses


def test_confidential_case_gives_no_title_to_anyone_but_the_reporter(
    reference_data: None,
    gateway: GatewayServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    case = _build_case(Privacy.CONFIDENTIAL)
    event = _event(case, EventKind.STATUS, to_status=AspirationStatus.DISPOSITIONED)
    with django_capture_on_commit_callbacks(execute=True):
        notify_event(event.pk)
    title = case.aspiration.title
    for row in _rows(event):
        if row.address == REPORTER_EMAIL:
            assert title in row.body
        else:
            assert title not in row.body and title not in row.subject
            assert "Petugas sudah meninjau lokasi." not in row.body
    for message in mail.outbox:
        if message.to != [REPORTER_EMAIL]:
            assert title not in message.body and title not in message.subject
    assert all(title not in request.body["message"] for request in gateway.requests)


def test_one_message_per_address(case: Case) -> None:
    # The reporter also supports with an account whose e-mail is the same address (other case).
    same = UserFactory(email=REPORTER_EMAIL.upper())
    Support.objects.create(aspiration=case.aspiration, user=same)
    Support.objects.create(aspiration=case.aspiration, phone=CANARY_PHONE, phone_index="idx-pelapor")
    event = _event(case, EventKind.RESPONSE)
    recipients = event_recipients(event)
    keys = [(r.channel, r.address.lower()) for r in recipients]
    assert len(keys) == len(set(keys))
    reporter_mail = [r for r in recipients if r.address.lower() == REPORTER_EMAIL]
    assert [r.audience for r in reporter_mail] == ["reporter"]
    assert [r.audience for r in recipients if r.address == CANARY_PHONE] == ["reporter"]


def test_reporter_who_wants_no_updates_hears_nothing(case: Case) -> None:
    ReporterIdentity.objects.filter(aspiration=case.aspiration).update(wants_updates=False)
    event = _event(case, EventKind.SUBMITTED)
    assert event_recipients(event) == []


def test_reporter_account_email_is_used(case: Case) -> None:
    account = UserFactory(email="akun.pelapor@contoh.example")
    case.aspiration.reporter = account
    case.aspiration.save(update_fields=["reporter"])
    event = _event(case, EventKind.SUBMITTED)
    recipients = event_recipients(event)
    assert {r.address for r in recipients} == {REPORTER_EMAIL, CANARY_PHONE, account.email}
    assert all(r.user == account for r in recipients)


def test_running_twice_queues_nothing_more(case: Case, django_capture_on_commit_callbacks: Any) -> None:
    event = _event(case, EventKind.RESPONSE)
    with django_capture_on_commit_callbacks(execute=True):
        first = notify_event(event.pk)
        second = notify_event(event.pk)
    assert first == 4 and second == 0
    assert len(_rows(event)) == 4
    assert notify_event(10**12) == 0


def test_no_personal_data_in_bodies_errors_or_task_arguments(
    case: Case, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from sinergi.aspirations.tasks import aspiration_event_notify

    # An officer quoting personal data in the public text: it is cleaned before it is stored.
    event = _event(
        case,
        EventKind.STATUS,
        to_status=AspirationStatus.DISPOSITIONED,
        public_text=f"Pelapor ({REPORTER_EMAIL}, {CANARY_PHONE}, NIK {CANARY_NIK}) sudah dihubungi.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        aspiration_event_notify.enqueue(event.pk)
        notify_event(event.pk)
    backend = aspiration_event_notify.get_backend()
    for result in backend.results:
        assert all(isinstance(arg, int) for arg in result.args) and result.kwargs == {}
    secrets = [REPORTER_EMAIL, CANARY_PHONE, CANARY_PHONE[1:], "0" + CANARY_PHONE[3:], CANARY_NIK, SUPPORTER_PHONE]
    for row in Notification.objects.all():
        for secret in secrets:
            assert secret not in row.body and secret not in row.subject and secret not in row.last_error
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Notification._meta.db_table}")
        dump = repr(cursor.fetchall()).encode()
    assert CANARY_PHONE.encode() not in dump and CANARY_PHONE[1:].encode() not in dump
    assert CANARY_NIK.encode() not in dump and REPORTER_EMAIL.encode() not in dump


def test_sms_bodies_are_short(case: Case, django_capture_on_commit_callbacks: Any) -> None:
    event = _event(case, EventKind.RESPONSE, public_text="Sangat panjang. " * 200)
    with django_capture_on_commit_callbacks(execute=True):
        notify_event(event.pk)
    sms = [r for r in _rows(event) if r.channel == "sms"]
    assert sms and all(len(r.body) <= 480 for r in sms)
    assert all(re.search(r"https?://", r.body) for r in sms)
