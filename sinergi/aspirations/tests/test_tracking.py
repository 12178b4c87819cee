"""Reporter actions by tracking code or as the logged-in reporter: add information, confirm, rate,
reopen — with their state checks, a timeline event, one log entry each (no identity) and a notice."""

import datetime as dt

import pytest
from django.utils import timezone

from sinergi.aspirations.models import Aspiration, AspirationEvent
from sinergi.aspirations.services.intake import aspiration_submit
from sinergi.aspirations.services.reporter import (
    reporter_add_information,
    reporter_confirm,
    reporter_rate,
    reporter_reopen,
)
from sinergi.aspirations.states import AspirationStatus, EventKind, Privacy
from sinergi.aspirations.tests.test_intake import submission
from sinergi.core.errors import InvalidTransition, NotPermitted, RuleViolation
from sinergi.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db


def submitted(**overrides: object) -> Aspiration:
    return aspiration_submit(submission=submission(**overrides), actor=None).aspiration


def set_status(case: Aspiration, status: str, **fields: object) -> None:
    Aspiration.objects.filter(pk=case.pk).update(status=status, **fields)
    case.refresh_from_db()


def resolved(**overrides: object) -> Aspiration:
    case = submitted(**overrides)
    set_status(
        case,
        AspirationStatus.RESOLVED,
        resolved_at=timezone.now(),
        reopen_until=timezone.now() + dt.timedelta(days=14),
    )
    return case


def test_unknown_code_is_refused() -> None:
    with pytest.raises(NotPermitted) as caught:
        reporter_confirm(tracking_code="ZZZZZZZZZZZZ")
    assert caught.value.code == "unknown_tracking_code"


def test_add_information_from_needs_information_returns_to_received(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    case = submitted()
    set_status(case, AspirationStatus.NEEDS_INFORMATION)
    entries = LedgerEntry.objects.count()
    with django_capture_on_commit_callbacks() as callbacks:
        reporter_add_information(text="Lokasinya depan SDN 1.", tracking_code=case.tracking_code.lower())
    case.refresh_from_db()
    assert case.status == AspirationStatus.RECEIVED
    event = AspirationEvent.objects.filter(aspiration=case).latest("pk")
    assert event.kind == EventKind.INFORMATION_ADDED
    assert (event.from_status, event.to_status) == (AspirationStatus.NEEDS_INFORMATION, AspirationStatus.RECEIVED)
    assert event.public_text == "Lokasinya depan SDN 1."
    assert LedgerEntry.objects.count() == entries + 1
    assert len(callbacks) == 1


def test_add_information_to_confidential_case_keeps_words_internal() -> None:
    case = submitted(privacy=Privacy.CONFIDENTIAL)
    reporter_add_information(text="Nama oknumnya Pak X.", tracking_code=case.tracking_code)
    event = AspirationEvent.objects.filter(aspiration=case).latest("pk")
    assert "Pak X" not in event.public_text and event.internal_note == "Nama oknumnya Pak X."
    assert "Pak X" not in str(LedgerEntry.objects.order_by("-sequence").first().__dict__)  # type: ignore[union-attr]


@pytest.mark.parametrize("status", [AspirationStatus.RESOLVED, AspirationStatus.REJECTED, AspirationStatus.ARCHIVED])
def test_add_information_refused_when_closed(status: str) -> None:
    case = submitted()
    set_status(case, status)
    with pytest.raises(InvalidTransition) as caught:
        reporter_add_information(text="Tambahan", tracking_code=case.tracking_code)
    assert caught.value.code == "closed"


def test_add_information_needs_text() -> None:
    case = submitted()
    with pytest.raises(RuleViolation) as caught:
        reporter_add_information(text="   ", tracking_code=case.tracking_code)
    assert caught.value.code == "information_required"


def test_confirm_only_once_and_only_when_resolved() -> None:
    case = submitted()
    with pytest.raises(InvalidTransition):
        reporter_confirm(tracking_code=case.tracking_code)
    case = resolved()
    reporter_confirm(tracking_code=case.tracking_code)
    case.refresh_from_db()
    assert case.confirmed_at is not None
    with pytest.raises(InvalidTransition) as caught:
        reporter_confirm(tracking_code=case.tracking_code)
    assert caught.value.code == "already_confirmed"
    assert AspirationEvent.objects.filter(aspiration=case, kind=EventKind.CONFIRMED).count() == 1


@pytest.mark.parametrize("rating", [0, 6, "lima", None])
def test_rating_must_be_one_to_five(rating: object) -> None:
    case = resolved()
    with pytest.raises(RuleViolation) as caught:
        reporter_rate(rating=rating, tracking_code=case.tracking_code)  # type: ignore[arg-type]
    assert caught.value.code == "invalid_rating"


def test_rate_once_after_resolution() -> None:
    case = submitted()
    with pytest.raises(InvalidTransition):
        reporter_rate(rating=5, tracking_code=case.tracking_code)
    case = resolved()
    reporter_rate(rating=4, comment="Cepat ditangani, terima kasih.", tracking_code=case.tracking_code)
    case.refresh_from_db()
    assert (case.rating, case.rating_comment) == (4, "Cepat ditangani, terima kasih.")
    with pytest.raises(InvalidTransition) as caught:
        reporter_rate(rating=1, tracking_code=case.tracking_code)
    assert caught.value.code == "already_rated"
    entry = LedgerEntry.objects.order_by("-sequence").first()
    assert entry is not None and entry.event_type == "aspiration.rated"


def test_reopen_within_the_window() -> None:
    case = resolved()
    reporter_reopen(reason="Lubangnya muncul lagi setelah hujan.", tracking_code=case.tracking_code)
    case.refresh_from_db()
    assert case.status == AspirationStatus.IN_PROGRESS
    assert case.reopen_count == 1 and case.reopen_until is None
    event = AspirationEvent.objects.filter(aspiration=case).latest("pk")
    assert event.kind == EventKind.REOPENED and event.to_status == AspirationStatus.IN_PROGRESS


def test_reopen_refused_after_the_window_or_after_confirming() -> None:
    late = resolved()
    Aspiration.objects.filter(pk=late.pk).update(reopen_until=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(InvalidTransition) as caught:
        reporter_reopen(reason="Belum beres", tracking_code=late.tracking_code)
    assert caught.value.code == "reopen_expired"
    confirmed = resolved()
    reporter_confirm(tracking_code=confirmed.tracking_code)
    with pytest.raises(InvalidTransition) as caught:
        reporter_reopen(reason="Belum beres", tracking_code=confirmed.tracking_code)
    assert caught.value.code == "already_confirmed"
    with pytest.raises(RuleViolation) as refused:
        reporter_reopen(reason=" ", tracking_code=resolved().tracking_code)
    assert refused.value.code == "reason_required"


def test_logged_in_reporter_acts_by_uid_others_cannot(personas) -> None:  # type: ignore[no-untyped-def]
    citizen = personas["citizen"].user
    case = aspiration_submit(submission=submission(), actor=citizen).aspiration
    reporter_add_information(text="Dari akun saya.", uid=case.uid, actor=citizen)
    for stranger in (None, personas["opd_officer"].user):
        with pytest.raises(NotPermitted) as caught:
            reporter_add_information(text="Bukan punya saya.", uid=case.uid, actor=stranger)
        assert caught.value.code == "not_reporter"


def test_merged_case_points_elsewhere() -> None:
    case = submitted()
    set_status(case, AspirationStatus.MERGED)
    with pytest.raises(InvalidTransition) as caught:
        reporter_add_information(text="Tambahan", tracking_code=case.tracking_code)
    assert caught.value.code == "merged"


def test_added_photos_are_stored_and_a_refusal_leaves_no_file(settings, tmp_path) -> None:
    """The files are written before the transaction (outside the write lock); a case that turns out to
    be closed inside it removes them again."""
    from sinergi.aspirations.models import Photo
    from sinergi.aspirations.tests.test_photos import image_bytes

    settings.MEDIA_ROOT = tmp_path / "media"
    files = lambda: sorted(p.name for p in (tmp_path / "media").rglob("*") if p.is_file())  # noqa: E731
    case = submitted()
    reporter_add_information(text="Fotonya.", tracking_code=case.tracking_code, photos=(("a.jpg", image_bytes()),))
    photo = Photo.objects.get(aspiration=case)
    assert files() == [photo.image.name.rsplit("/", 1)[-1]]
    set_status(case, AspirationStatus.RESOLVED)
    with pytest.raises(InvalidTransition):
        reporter_add_information(text="Lagi.", tracking_code=case.tracking_code, photos=(("b.jpg", image_bytes()),))
    assert files() == [photo.image.name.rsplit("/", 1)[-1]]
    assert Photo.objects.filter(aspiration=case).count() == 1
