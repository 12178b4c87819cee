from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import PublicIdModel, TimeStampedModel
from sinergi.meetings.states import MeetingStatus, MinutesStatus


class MeetingSeries(PublicIdModel):
    """A recurring schedule (RFC 5545 RRULE) from which meetings are generated."""

    forum = models.ForeignKey("forums.Forum", on_delete=models.CASCADE, related_name="meeting_series")
    title = models.CharField(_("judul"), max_length=200)
    rrule = models.CharField(max_length=255)
    starts_at = models.DateTimeField(_("mulai (kejadian pertama)"))
    duration_minutes = models.PositiveSmallIntegerField(default=120)
    location = models.CharField(_("tempat"), max_length=255, blank=True)
    # Occurrences are generated up to this moment; a rule without COUNT/UNTIL is published
    # in iCalendar with this as its UNTIL, so the feed and the stored meetings always agree.
    generated_until = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE of the series master")

    class Meta:
        ordering: ClassVar[list[Any]] = ["starts_at"]

    def __str__(self) -> str:
        return self.title


class Meeting(PublicIdModel):
    forum = models.ForeignKey("forums.Forum", on_delete=models.CASCADE, related_name="meetings")
    series = models.ForeignKey(MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    title = models.CharField(_("judul"), max_length=200)
    starts_at = models.DateTimeField(_("mulai"), db_index=True)
    ends_at = models.DateTimeField(_("selesai"))
    location = models.CharField(_("tempat"), max_length=255, blank=True)
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED, db_index=True
    )
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set when the meeting closes (or on each roll call): quorum as computed from the charter.
    is_quorate = models.BooleanField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # For an occurrence of a series: the start the rule generated (iCalendar RECURRENCE-ID).
    recurrence_id = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE, bumped on each change")

    class Meta:
        ordering: ClassVar[list[Any]] = ["starts_at"]
        indexes: ClassVar[list[Any]] = [models.Index(fields=["forum", "starts_at"])]
        verbose_name = _("rapat")
        verbose_name_plural = _("rapat")

    def __str__(self) -> str:
        return self.title


class AgendaItemKind(models.TextChoices):
    INFORMATION = "information", _("Informasi")
    DISCUSSION = "discussion", _("Pembahasan")
    DECISION = "decision", _("Pengambilan keputusan")


class AgendaItem(TimeStampedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("judul acara"), max_length=255)
    description = models.TextField(_("uraian"), blank=True)
    kind = models.CharField(max_length=20, choices=AgendaItemKind.choices, default=AgendaItemKind.DISCUSSION)
    proposed_by = models.ForeignKey("actors.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The proposer's sector when the item was tabled (C3: the record shows who, from which sector).
    proposer_sector = models.ForeignKey(
        "actors.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    policy_object = models.ForeignKey(
        "policy.PolicyObject", null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items"
    )
    outcome = models.TextField(_("hasil"), blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[Any]] = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.title


class InvitationResponse(models.TextChoices):
    PENDING = "pending", _("Belum menjawab")
    ACCEPTED = "accepted", _("Akan hadir")
    DECLINED = "declined", _("Tidak dapat hadir")


class Invitation(TimeStampedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey("forums.ForumMember", on_delete=models.CASCADE, related_name="invitations")
    response = models.CharField(max_length=10, choices=InvitationResponse.choices, default=InvitationResponse.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["meeting", "member"], name="unique_invitation")
        ]


class AttendanceStatus(models.TextChoices):
    PRESENT = "hadir", _("Hadir")
    EXCUSED = "izin", _("Izin")
    ABSENT = "absen", _("Absen")


class Attendance(TimeStampedModel):
    """Roll call: one row per forum member per meeting; the sector is copied at roll call so
    later changes of membership do not rewrite history."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("forums.ForumMember", on_delete=models.CASCADE, related_name="attendance")
    sector = models.ForeignKey("actors.Sector", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=5, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["meeting", "member"], name="unique_attendance")
        ]


class Minutes(TimeStampedModel):
    """Notulen. Frozen once approved: `approved_hash` is the SHA-256 of the approved text."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    body = models.TextField(_("isi notulen"))
    version = models.PositiveIntegerField(default=1)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("notulen")
        verbose_name_plural = _("notulen")


class MinutesReviewVerdict(models.TextChoices):
    APPROVE = "approve", _("Setuju")
    REQUEST_CHANGES = "request_changes", _("Minta perbaikan")


class MinutesReview(TimeStampedModel):
    """A member's review of one version of the minutes."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="reviews")
    member = models.ForeignKey("forums.ForumMember", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    verdict = models.CharField(max_length=20, choices=MinutesReviewVerdict.choices)
    comment = models.TextField(blank=True)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["minutes", "member", "version"], name="unique_review_per_version")
        ]
