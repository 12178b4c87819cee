import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.utils import timezone

from sinergi.actors.models import Membership, Organisation, OrganisationAlias, Person, Sector
from sinergi.actors.services import (
    membership_end,
    membership_start,
    organisation_alias_add,
    organisation_create,
    organisation_update,
    person_create,
    person_update,
    sector_create,
)
from sinergi.actors.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    kind,
    role,
    sector,
)
from sinergi.core.errors import InvalidTransition, RuleViolation
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.models import LedgerEntry

pytestmark = pytest.mark.usefixtures("reference_data")


@contextmanager
def one_entry(event: LedgerEvent) -> Iterator[Callable[[], LedgerEntry]]:
    before = LedgerEntry.objects.count()
    yield lambda: LedgerEntry.objects.order_by("-sequence").first()
    assert LedgerEntry.objects.count() == before + 1
    assert LedgerEntry.objects.order_by("-sequence").first().event_type == event


@contextmanager
def refused(error: type[Exception] = RuleViolation) -> Iterator[None]:
    before = LedgerEntry.objects.count()
    with pytest.raises(error):
        yield
    assert LedgerEntry.objects.count() == before


@pytest.fixture
def admin() -> Any:
    user = UserFactory(is_superuser=True)
    PersonFactory(user=user, full_name="Admin Platform")
    return user


def test_sector_create(admin: Any) -> None:
    with one_entry(LedgerEvent.SECTOR_CREATED) as last:
        made = sector_create(actor=admin, code="keagamaan", name="Keagamaan", description="Ormas keagamaan")
    assert made.code == "keagamaan" and not made.is_state
    assert last().payload == {"code": "keagamaan", "name": "Keagamaan", "is_state": False}
    assert last().actor == admin.public_handle


@pytest.mark.parametrize(("code", "name"), [("swasta", "Swasta lagi"), ("Bad Code!", "X"), ("ok", "  ")])
def test_sector_create_refusals(admin: Any, code: str, name: str) -> None:
    count = Sector.objects.count()
    with refused():
        sector_create(actor=admin, code=code, name=name)
    assert Sector.objects.count() == count


def test_organisation_create_logs_public_facts(admin: Any) -> None:
    pemkot = OrganisationFactory(name="Pemerintah Kota Contoh", kind=kind("pemkot"))
    with one_entry(LedgerEvent.ORGANISATION_CREATED) as last:
        opd = organisation_create(
            actor=admin,
            name=" Dinas Kesehatan ",
            short_name="Dinkes",
            sector=sector("pemerintah"),
            kind=kind("opd"),
            parent=pemkot,
            valid_from=dt.date(2022, 1, 1),
        )
    assert opd.slug == "dinas-kesehatan" and opd.name == "Dinas Kesehatan" and opd.parent == pemkot
    payload = last().payload
    assert payload["parent"] == pemkot.slug and payload["kind"] == "opd" and payload["valid_from"] == "2022-01-01"
    assert last().subject_id == str(opd.uid)
    again = organisation_create(actor=admin, name="Dinas Kesehatan", sector=sector("pemerintah"), kind=kind("opd"))
    assert again.slug == "dinas-kesehatan-2"


@pytest.mark.parametrize(
    "bad",
    [
        {"name": "  "},
        {"valid_from": dt.date(2025, 1, 2), "valid_until": dt.date(2025, 1, 1)},
        {"website": "bukan url"},
        {"public_email": "bukan-email"},
        {"slug": "taken"},
    ],
)
def test_organisation_create_refusals_leave_nothing(admin: Any, bad: dict[str, Any]) -> None:
    OrganisationFactory(slug="taken")
    count = Organisation.objects.count()
    fields = {"name": "LSM Baru", "sector": sector("masyarakat"), "kind": kind("lsm"), **bad}
    with refused():
        organisation_create(actor=admin, **fields)
    assert Organisation.objects.count() == count


def test_organisation_update_logs_old_and_new(admin: Any) -> None:
    organisation = OrganisationFactory(name="Dinas Pariwisata", description="lama")
    with one_entry(LedgerEvent.ORGANISATION_UPDATED) as last:
        organisation_update(actor=admin, organisation=organisation, name="Dinas Kebudayaan", description="lama")
    assert last().payload["changes"] == {"name": {"old": "Dinas Pariwisata", "new": "Dinas Kebudayaan"}}
    organisation.refresh_from_db()
    assert organisation.name == "Dinas Kebudayaan"


def test_organisation_update_without_changes_writes_nothing(admin: Any) -> None:
    organisation = OrganisationFactory(name="Tetap")
    before = LedgerEntry.objects.count()
    organisation_update(actor=admin, organisation=organisation, name="Tetap")
    assert LedgerEntry.objects.count() == before


def test_organisation_update_refuses_cycles_and_unknown_fields(admin: Any) -> None:
    top = OrganisationFactory(name="Atas")
    middle = OrganisationFactory(name="Tengah", parent=top)
    bottom = OrganisationFactory(name="Bawah", parent=middle)
    with refused():
        organisation_update(actor=admin, organisation=top, parent=bottom)
    with refused():
        organisation_update(actor=admin, organisation=top, parent=top)
    with refused():
        organisation_update(actor=admin, organisation=top, slug="baru")
    with refused():
        organisation_update(actor=admin, organisation=top, name="")
    top.refresh_from_db()
    assert top.parent is None and top.name == "Atas"


def test_organisation_alias_add(admin: Any) -> None:
    organisation = OrganisationFactory(name="Dinas Koperasi dan Usaha Mikro")
    with one_entry(LedgerEvent.ORGANISATION_ALIAS_ADDED) as last:
        organisation_alias_add(actor=admin, organisation=organisation, name="Dinas Koperasi, UKM dan Tenaga Kerja")
    assert last().payload["alias"] == "Dinas Koperasi, UKM dan Tenaga Kerja"
    for duplicate in ("dinas koperasi, ukm dan tenaga kerja", "Dinas Koperasi dan Usaha Mikro", " "):
        with refused():
            organisation_alias_add(actor=admin, organisation=organisation, name=duplicate)
    assert OrganisationAlias.objects.filter(organisation=organisation).count() == 1


def test_person_create_listed_and_unlisted(admin: Any) -> None:
    with one_entry(LedgerEvent.PERSON_CREATED) as last:
        official = person_create(actor=admin, full_name="dr. Syahrul Alim", public_title="Ketua DPRD")
    assert official.slug == "dr-syahrul-alim" and official.user is None and official.is_listed
    assert last().payload["full_name"] == "dr. Syahrul Alim"
    before = LedgerEntry.objects.count()
    private = person_create(actor=admin, full_name="Warga Pribadi", is_listed=False)
    assert not private.is_listed
    assert LedgerEntry.objects.count() == before  # private, like a citizen's own profile


def test_person_create_refusals(admin: Any) -> None:
    user = PersonFactory().user
    with refused():
        person_create(actor=admin, full_name="  ")
    with refused():
        person_create(actor=admin, full_name="Dua Profil", user=user)
    assert not Person.objects.filter(full_name="Dua Profil").exists()


def test_person_update_hides_values_of_unlisted_people(admin: Any) -> None:
    listed = PersonFactory(user=None, full_name="Tokoh", public_title="Lama")
    with one_entry(LedgerEvent.PERSON_UPDATED) as last:
        person_update(actor=admin, person=listed, public_title="Baru")
    assert last().payload["changes"] == {"public_title": {"old": "Lama", "new": "Baru"}}
    citizen = PersonFactory(full_name="Nama Rahasia", is_listed=False)
    before = LedgerEntry.objects.count()
    person_update(actor=citizen.user, person=citizen, full_name="Nama Rahasia Baru")
    assert LedgerEntry.objects.count() == before
    citizen.refresh_from_db()
    assert citizen.full_name == "Nama Rahasia Baru"
    with one_entry(LedgerEvent.PERSON_UPDATED) as last:
        person_update(actor=admin, person=citizen, is_listed=True, public_title="Ketua RW")
    assert "Rahasia" not in str(last().payload)
    assert last().payload["changes"]["public_title"] == {"old": None, "new": "Ketua RW"}
    with refused():
        person_update(actor=admin, person=listed, slug="x")
    before = LedgerEntry.objects.count()
    person_update(actor=admin, person=listed, public_title="Baru")
    assert LedgerEntry.objects.count() == before


def test_membership_start_and_end(admin: Any) -> None:
    official = PersonFactory(user=None, full_name="Kepala Dinas")
    dinas = OrganisationFactory(name="Dinas Contoh", kind=kind("opd"))
    with one_entry(LedgerEvent.MEMBERSHIP_STARTED) as last:
        membership = membership_start(
            actor=admin, person=official, organisation=dinas, role=role("kepala"), title="Kepala Dinas"
        )
    today = timezone.localdate()
    assert membership.valid_from == today
    assert last().payload["person_name"] == "Kepala Dinas" and last().payload["role"] == "kepala"
    assert last().subject_id == str(membership.uid)
    with refused():
        membership_start(actor=admin, person=official, organisation=dinas, role=role("kepala"))

    with one_entry(LedgerEvent.MEMBERSHIP_ENDED) as last:
        membership_end(actor=admin, membership=membership, reason="Mutasi")
    membership.refresh_from_db()
    # Began today, so ending it withdraws it: it is not current on any day from today on.
    assert not Membership.objects.valid_on(today).filter(pk=membership.pk).exists()
    assert last().payload["reason"] == "Mutasi"
    with refused(InvalidTransition):
        membership_end(actor=admin, membership=membership)


def test_membership_end_sets_yesterday_as_last_day(admin: Any) -> None:
    today = timezone.localdate()
    membership = MembershipFactory(valid_from=today - dt.timedelta(days=30))
    membership_end(actor=admin, membership=membership)
    membership.refresh_from_db()
    assert membership.valid_until == today - dt.timedelta(days=1)


def test_membership_of_a_citizen_logs_only_the_handle(admin: Any) -> None:
    citizen = PersonFactory(full_name="Warga Tanpa Nama Publik", is_listed=False)
    with one_entry(LedgerEvent.MEMBERSHIP_STARTED) as last:
        membership_start(actor=admin, person=citizen, organisation=OrganisationFactory(), role=role("anggota"))
    assert last().payload["person_name"] is None
    assert last().payload["person"] == citizen.public_handle


def test_membership_start_refusals(admin: Any) -> None:
    closed = OrganisationFactory(valid_until=dt.date(2020, 1, 1))
    person = PersonFactory(user=None)
    with refused():
        membership_start(actor=admin, person=person, organisation=closed, role=role("anggota"))
    with refused():
        membership_start(
            actor=admin,
            person=person,
            organisation=OrganisationFactory(),
            role=role("anggota"),
            valid_from=dt.date(2026, 2, 1),
            valid_until=dt.date(2026, 1, 1),
        )
    assert not Membership.objects.filter(person=person).exists()
