"""Demo: move the demo aspirations through the officers' lifecycle with the real services, each act
at a plausible moment (working hours, working days after receipt), then run the overdue job.

Assumptions (the lead's demo wiring provides them before calling ``seed_lifecycle``):
* Kota Blitar's organisations are loaded (``diskominfotik`` and the OPDs of the routing categories);
* the demo accounts of ``sinergi.web.demo`` exist (``admin`` is used where an OPD has no demo officer);
* the intake demo has written cases in ``received`` with routing suggestions.

``demo_accounts()`` (called by ``seed_lifecycle``) adds the coordinator desk's account ``koordinator``
(Diskominfotik, role staf, password ``demo-Sakti-2026``) and ``pupr`` (Dinas PUPR, staf) and
``kepala-pupr`` (Dinas PUPR, kepala: receives escalations).
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from typing import Any

from django.contrib.auth import get_user_model
from freezegun import freeze_time

from sinergi.actors.models import MembershipRole, Organisation
from sinergi.actors.services import membership_start, person_create
from sinergi.aspirations.models import Aspiration
from sinergi.aspirations.services import lifecycle
from sinergi.aspirations.services.overdue import aspirations_mark_overdue
from sinergi.aspirations.states import AspirationKind, AspirationStatus
from sinergi.aspirations.workdays import default_calendar
from sinergi.core.errors import RuleViolation

DEMO_PASSWORD = "demo-Sakti-2026"  # noqa: S105  (published in README for the fictional demo)
# username, full name, organisation slug, role code, title
LIFECYCLE_ACCOUNTS = [
    ("koordinator", "Nadia Koordinator (demo)", "diskominfotik", "staf", "Pengelola Pengaduan SP4N-LAPOR!"),
    ("pupr", "Teguh Wibowo (demo)", "dinas-pupr", "staf", "Pengawas Jalan dan Jembatan"),
    ("kepala-pupr", "Ir. Bambang Hartono (demo)", "dinas-pupr", "kepala", "Kepala Dinas"),
]


def demo_accounts(today: dt.date) -> dict[str, Any]:
    """Create (once) the lifecycle demo accounts; returns them by username."""
    user_model = get_user_model()
    accounts = {}
    for username, full_name, organisation_slug, role_code, title in LIFECYCLE_ACCOUNTS:
        user = user_model.objects.filter(username=username).first()
        organisation = Organisation.objects.filter(slug=organisation_slug).first()
        if user is None and organisation is not None:
            user = user_model(username=username, email=f"{username}@demo.sinergi.test")
            user.set_password(DEMO_PASSWORD)
            user.save()
            person = person_create(actor=None, full_name=full_name, user=user, is_listed=True, public_title=title)
            membership_start(
                actor=None,
                person=person,
                organisation=organisation,
                role=MembershipRole.objects.get(code=role_code),
                title=title,
                valid_from=today - dt.timedelta(days=500),
            )
        if user is not None:
            accounts[username] = user
    return accounts


def _officer_of(organisation: Organisation, fallback: Any) -> Any:
    user = (
        get_user_model()
        .objects.filter(
            person__memberships__organisation=organisation,
            person__memberships__role__acts_for_organisation=True,
            person__memberships__valid_until__isnull=True,
            is_active=True,
        )
        .order_by("pk")
        .first()
    )
    return user or fallback


def _office_moment(after: dt.datetime, working_days: int, hour: int) -> dt.datetime:
    calendar = default_calendar()
    day = calendar.add_working_days(calendar.effective_receipt_date(after), working_days)
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=calendar.timezone)


# What happens to the i-th case (cycling): how far along the lifecycle it gets.
PLAN = [
    "stay",
    "resolve",
    "ask",
    "respond",
    "resolve",
    "out_of_scope",
    "disposition",
    "resolve",
    "reject",
    "resolve",
]


def seed_lifecycle(now: dt.datetime) -> dict[str, int]:
    """Move the received demo cases along; returns how many reached each step."""
    cases = list(
        Aspiration.objects.filter(status=AspirationStatus.RECEIVED, received_at__lt=now - dt.timedelta(days=1))
        .select_related("suggested_category", "suggested_organisation", "category__default_organisation")
        .order_by("received_at", "pk")
    )
    return _replay(now, [(case.received_at, lambda case=case: case) for case in cases])


def seed_aspirations(now: dt.datetime) -> dict[str, int]:
    """The intake demo and the lifecycle demo as one story in time order: each case is submitted at its
    moment and its officers act at theirs, so the public log's times follow its sequence."""
    from sinergi.aspirations.demo import intake_acts

    arrivals = intake_acts(now)
    return {"submitted": len(arrivals), **_replay(now, arrivals)}


def _replay(now: dt.datetime, arrivals: list[tuple[dt.datetime, Any]]) -> dict[str, int]:
    """Discrete-event replay: an arrival yields a case, whose planned steps join the queue."""
    accounts = demo_accounts(now.date())
    coordinator = accounts.get("koordinator")
    admin = get_user_model().objects.filter(username="admin").first()
    if coordinator is None or admin is None:
        return {}
    counts: dict[str, int] = {}
    queue: list[tuple[dt.datetime, int, str, Any]] = []
    order = itertools.count()
    for moment, arrive in arrivals:
        heapq.heappush(queue, (moment, next(order), "arrival", arrive))
    blocked: set[int] = set()  # cases whose plan stopped (a refused step ends its story)
    arrived = 0
    with freeze_time(min((m for m, *_ in queue), default=now), tick=False) as clock:
        while queue:
            moment, _, name, act = heapq.heappop(queue)
            if moment >= now:
                continue
            clock.move_to(moment)
            if name == "arrival":
                case = act()
                plan = PLAN[arrived % len(PLAN)]
                arrived += 1
                if case.status != AspirationStatus.RECEIVED:
                    continue
                for step_name, step_moment, step in _steps(case, plan, coordinator, admin):
                    heapq.heappush(queue, (max(step_moment, moment), next(order), step_name, (case.pk, step)))
                continue
            case_pk, step = act
            if case_pk in blocked:
                continue
            try:
                step()
            except RuleViolation:
                blocked.add(case_pk)
                continue
            counts[name] = counts.get(name, 0) + 1
        clock.move_to(now)
        run = aspirations_mark_overdue(now)
    counts["overdue"] = run.marked
    return counts


def _steps(case: Aspiration, plan: str, coordinator: Any, admin: Any) -> list[tuple[str, dt.datetime, Any]]:
    received = case.received_at
    destination = case.suggested_organisation or (case.category.default_organisation if case.category else None)
    category = case.category or case.suggested_category
    category_slug = category.slug if category else ""
    steps: list[tuple[str, dt.datetime, Any]] = []
    if plan == "stay":
        return steps
    if plan == "ask":
        question = "Mohon sebutkan RT/RW dan patokan lokasi yang lebih jelas, atau lampirkan foto."
        return [
            (
                "information_requested",
                _office_moment(received, 1, 9),
                lambda: lifecycle.aspiration_request_information(aspiration=case, actor=coordinator, question=question),
            )
        ]
    if plan == "out_of_scope":
        return [
            (
                "out_of_scope",
                _office_moment(received, 1, 10),
                lambda: lifecycle.aspiration_mark_out_of_scope(
                    aspiration=case,
                    actor=coordinator,
                    reason="Ruas jalan yang dimaksud berstatus jalan provinsi.",
                    referred_to="Pemerintah Provinsi Jawa Timur (Dinas PU Bina Marga)",
                ),
            )
        ]
    if destination is None or not category_slug:
        return steps
    officer = _officer_of(destination, admin)
    steps.append(
        (
            "verified",
            _office_moment(received, 1, 9),
            lambda: lifecycle.aspiration_verify(aspiration=case, actor=coordinator, category_slug=category_slug),
        )
    )
    steps.append(
        (
            "dispositioned",
            _office_moment(received, 1, 10),
            lambda: lifecycle.aspiration_disposition(aspiration=case, actor=coordinator, organisation=destination),
        )
    )
    if plan == "disposition":
        return steps
    steps.append(
        (
            "responded",
            _office_moment(received, 3, 11),
            lambda: lifecycle.aspiration_respond(
                aspiration=case,
                actor=officer,
                text="Terima kasih. Laporan sudah kami terima dan tim akan meninjau lokasi minggu ini.",
            ),
        )
    )
    if plan == "respond":
        return steps
    if plan == "reject":
        steps.append(
            (
                "rejected",
                _office_moment(received, 5, 14),
                lambda: lifecycle.aspiration_reject(
                    aspiration=case,
                    actor=officer,
                    reason="Setelah ditinjau, lokasi berada di lahan milik pribadi; pemilik telah kami beri tahu.",
                ),
            )
        )
        return steps
    days = 20 if case.kind == AspirationKind.ASPIRASI else 9
    steps.append(
        (
            "resolved",
            _office_moment(received, days, 13),
            lambda: lifecycle.aspiration_resolve(
                aspiration=case,
                actor=officer,
                outcome="Sudah ditindaklanjuti di lokasi. Mohon konfirmasi bila masalah masih terjadi.",
            ),
        )
    )
    return steps
