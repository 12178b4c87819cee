from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import PublicIdModel, TimeStampedModel
from sinergi.forums.states import ForumMemberStatus, ForumStatus


class MembershipPolicy(models.TextChoices):
    INVITATION = "invitation", _("Hanya dengan undangan")
    APPLICATION = "application", _("Undangan atau permohonan yang disetujui")


class DecisionRule(models.TextChoices):
    CONSENSUS = "consensus", _("Musyawarah untuk mufakat (putaran persetujuan)")


class FallbackRule(models.TextChoices):
    NONE = "none", _("Tidak ada — hanya mufakat")
    QUALIFIED_MAJORITY_EACH_SECTOR = (
        "qualified_majority_each_sector",
        _("Suara terbanyak bersyarat dengan mayoritas di setiap sektor"),
    )
    QUALIFIED_MAJORITY = "qualified_majority", _("Suara terbanyak bersyarat")
    SIMPLE_MAJORITY = "simple_majority", _("Suara terbanyak sederhana")


class Forum(PublicIdModel):
    """A collaborative forum (forum kolaborasi) convened by a public institution (C1)."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(_("nama forum"), max_length=200)
    status = models.CharField(max_length=10, choices=ForumStatus.choices, default=ForumStatus.DRAFT, db_index=True)
    convener = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="convened_forums", verbose_name=_("penyelenggara")
    )
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    policy_objects = models.ManyToManyField(
        "policy.PolicyObject", related_name="forums", blank=True, verbose_name=_("fokus kebijakan")
    )
    activated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["name"]
        verbose_name = _("forum")
        verbose_name_plural = _("forum")

    def __str__(self) -> str:
        return self.name


class Charter(TimeStampedModel):
    """The forum's rules (piagam, criterion C4): who sits, what counts as quorum, how it decides."""

    forum = models.OneToOneField(Forum, on_delete=models.CASCADE, related_name="charter")
    purpose = models.TextField(_("tujuan"))
    legal_basis = models.CharField(
        _("dasar hukum"), max_length=255, blank=True, help_text=_("mis. SK Wali Kota Blitar Nomor 188/123/HK/2026")
    )
    terms_of_reference = models.TextField(_("kerangka acuan (ToR)"), blank=True)
    membership_policy = models.CharField(
        max_length=20, choices=MembershipPolicy.choices, default=MembershipPolicy.APPLICATION
    )
    quorum_member_share = models.DecimalField(
        _("kuorum: bagian anggota hadir"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
    )
    quorum_sectors = models.ManyToManyField(
        "actors.Sector", blank=True, related_name="+", verbose_name=_("kuorum: sektor yang wajib hadir")
    )
    decision_rule = models.CharField(max_length=20, choices=DecisionRule.choices, default=DecisionRule.CONSENSUS)
    fallback_rule = models.CharField(max_length=40, choices=FallbackRule.choices, default=FallbackRule.NONE)
    fallback_threshold = models.DecimalField(
        _("ambang suara terbanyak"), max_digits=3, decimal_places=2, default=Decimal("0.67")
    )
    fallback_after_rounds = models.PositiveSmallIntegerField(_("cadangan setelah putaran ke-"), default=2)
    meeting_rrule = models.CharField(
        _("jadwal rapat (RRULE)"), max_length=255, blank=True, help_text=_("RFC 5545, mis. FREQ=MONTHLY;BYDAY=2TU")
    )
    meeting_duration_minutes = models.PositiveSmallIntegerField(default=120)
    default_location = models.CharField(_("tempat rapat"), max_length=255, blank=True)
    agenda_notice_days = models.PositiveSmallIntegerField(_("agenda diumumkan (hari sebelum rapat)"), default=3)

    class Meta:
        verbose_name = _("piagam forum")
        verbose_name_plural = _("piagam forum")

    def __str__(self) -> str:
        return f"Piagam {self.forum}"


class SeatAllocation(models.Model):
    """Seats per sector in a forum (criterion C2): a minimum to fill, optionally a maximum."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="seats")
    sector = models.ForeignKey("actors.Sector", on_delete=models.PROTECT, related_name="+")
    minimum = models.PositiveSmallIntegerField(default=1)
    maximum = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["sector__order"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["charter", "sector"], name="unique_seat_per_sector")
        ]

    def __str__(self) -> str:
        return f"{self.sector}: {self.minimum}"


class ForumRole(models.TextChoices):
    MEMBER = "member", _("Anggota")
    CHAIR = "chair", _("Ketua")
    SECRETARIAT = "secretariat", _("Sekretariat/fasilitator")


class ForumMember(TimeStampedModel):
    """A person's seat in a forum, representing an organisation (which gives the sector)."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("actors.Person", on_delete=models.PROTECT, related_name="forum_seats")
    organisation = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="forum_seats"
    )
    sector = models.ForeignKey("actors.Sector", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=ForumRole.choices, default=ForumRole.MEMBER)
    status = models.CharField(max_length=10, choices=ForumMemberStatus.choices, db_index=True)
    motivation = models.TextField(_("alasan bergabung"), blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["sector__order", "person__full_name"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["forum", "person"], name="unique_forum_seat_per_person")
        ]
        verbose_name = _("anggota forum")
        verbose_name_plural = _("anggota forum")

    def __str__(self) -> str:
        return f"{self.person} @ {self.forum}"
