"""Aspirations (aspirasi, pengaduan, permintaan informasi) from intake to resolution.

Personal data lives apart from the case: `ReporterIdentity` holds the name and the sealed NIK, phone
and e-mail (sinergi.core.crypto) with blind indexes; public selectors never join it.
"""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.aspirations.states import (
    AspirationKind,
    AspirationStatus,
    Channel,
    EventKind,
    OverdueStage,
    Privacy,
)
from sinergi.core.crypto import EncryptedTextField
from sinergi.core.models import PublicIdModel, TimeStampedModel
from sinergi.core.reference_labels import reference_label

TITLE_MAX = 140
TEXT_MAX = 5000
TRACKING_CODE_LENGTH = 12


class Category(models.Model):
    """What an aspiration is about; also an Open311 service (`slug` is the service_code).

    Loaded from the routing data (`routing/data/categories.json`), so the routing model and the form
    share one list; administrators may add, rename or deactivate rows.
    """

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    description = models.TextField(_("keterangan"), blank=True)
    group = models.CharField(_("kelompok"), max_length=80, blank=True)
    default_organisation = models.ForeignKey(
        "actors.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("OPD penanggung jawab"),
    )
    default_komisi = models.ForeignKey(
        "actors.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("komisi DPRD mitra"),
    )
    keywords = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["order", "name"]
        verbose_name = _("kategori aspirasi")
        verbose_name_plural = _("kategori aspirasi")

    def __str__(self) -> str:
        return reference_label(self.name)


class Aspiration(PublicIdModel):
    """One case. Public URLs carry `uid`; the reporter's `tracking_code` is a secret that lets them
    follow, add information, confirm, rate and reopen without an account."""

    tracking_code = models.CharField(max_length=TRACKING_CODE_LENGTH, unique=True, editable=False)
    # A client's retry of the same submission (web form token, API/Open311 Idempotency-Key header).
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True, editable=False)
    # Every index below is written by every submission: single-column indexes that a composite index
    # already leads with, or on a column of three values, are left out; mostly-empty foreign keys get
    # partial indexes (only rows that have a value), declared in Meta.
    kind = models.CharField(_("jenis"), max_length=24, choices=AspirationKind.choices)
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        db_index=False,  # aspiration_category_status leads with it
        on_delete=models.PROTECT,
        related_name="aspirations",
        verbose_name=_("kategori"),
    )
    title = models.CharField(_("judul"), max_length=TITLE_MAX)
    text = models.TextField(_("isi"), max_length=TEXT_MAX)
    # Sastrawi stems of title + text, written at intake, for the similar-aspiration look-up.
    search_terms = models.TextField(blank=True, editable=False)
    status = models.CharField(
        max_length=20, choices=AspirationStatus.choices, default=AspirationStatus.RECEIVED, db_index=True
    )
    privacy = models.CharField(_("privasi"), max_length=12, choices=Privacy.choices, default=Privacy.ANONYMOUS)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices, default=Channel.WEB)

    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        db_index=False,  # aspiration_region_status leads with it
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kelurahan"),
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    address = models.CharField(_("alamat/patokan"), max_length=255, blank=True)

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        db_index=False,
        on_delete=models.SET_NULL,
        related_name="aspirations",
    )
    submitted_by = models.ForeignKey(  # staff at a counter, a DPRD member in a reses, an API client
        settings.AUTH_USER_MODEL, null=True, blank=True, db_index=False, on_delete=models.SET_NULL, related_name="+"
    )

    # Routing: what the model suggested, and who the case is with now (an OPD, a DPRD komisi or the PPID).
    # Not indexed: only read with the case itself (deleting a category or organisation, which would scan,
    # does not happen while cases refer to it in practice: they are PROTECTed through `category`).
    suggested_category = models.ForeignKey(
        Category, null=True, blank=True, db_index=False, on_delete=models.SET_NULL, related_name="+"
    )
    suggested_organisation = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, db_index=False, on_delete=models.SET_NULL, related_name="+"
    )
    suggestion_score = models.FloatField(null=True, blank=True)
    assigned_organisation = models.ForeignKey(
        "actors.Organisation",
        null=True,
        blank=True,
        db_index=False,  # aspiration_org_status leads with it
        on_delete=models.PROTECT,
        related_name="assigned_aspirations",
        verbose_name=_("OPD/komisi tujuan"),
    )

    # Deadlines (working days, sinergi.aspirations.workdays) counted from received_at.
    received_at = models.DateTimeField(db_index=True)
    verify_due_at = models.DateTimeField(null=True, blank=True)
    response_due_at = models.DateTimeField(null=True, blank=True)
    completion_due_at = models.DateTimeField(null=True, blank=True)
    needs_investigation = models.BooleanField(_("berkadar pengawasan (60 hari kerja)"), default=False)
    deadline_extended = models.BooleanField(_("diperpanjang (UU KIP, 7 hari kerja)"), default=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    dispositioned_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    overdue_stage = models.CharField(max_length=16, choices=OverdueStage.choices, blank=True, default="", db_index=True)
    overdue_since = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    outcome_text = models.TextField(_("hasil tindak lanjut / alasan"), blank=True)
    # Where an out-of-scope case belongs (e.g. "Pemerintah Provinsi Jawa Timur — jalan provinsi").
    referred_to = models.CharField(_("instansi yang berwenang"), max_length=255, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("penilaian"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("komentar penilaian"), blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reopen_until = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)

    merged_into = models.ForeignKey(
        "self", null=True, blank=True, db_index=False, on_delete=models.PROTECT, related_name="merged_cases"
    )
    support_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["-received_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["category", "status"], name="aspiration_category_status"),
            models.Index(fields=["region", "status"], name="aspiration_region_status"),
            models.Index(fields=["assigned_organisation", "status"], name="aspiration_org_status"),
            models.Index(fields=["latitude", "longitude"], name="aspiration_point"),
            models.Index(fields=["reporter"], name="aspiration_reporter", condition=models.Q(reporter__isnull=False)),
            models.Index(
                fields=["submitted_by"], name="aspiration_submitted_by", condition=models.Q(submitted_by__isnull=False)
            ),
            models.Index(
                fields=["merged_into"], name="aspiration_merged_into", condition=models.Q(merged_into__isnull=False)
            ),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="aspiration_rating_1_to_5",
            ),
        ]
        verbose_name = _("aspirasi")
        verbose_name_plural = _("aspirasi")

    def __str__(self) -> str:
        return self.title


class ReporterIdentity(TimeStampedModel):
    """Who reported, kept apart from the case. Never on a public page, API response, export or log;
    hidden from the OPD when the case is anonymous. NIK, phone and e-mail are sealed at rest."""

    aspiration = models.OneToOneField(Aspiration, on_delete=models.CASCADE, related_name="identity")
    name = models.CharField(_("nama"), max_length=160, blank=True)
    nik = EncryptedTextField(purpose="nik")
    nik_index = models.CharField(max_length=64, blank=True, db_index=True)
    phone = EncryptedTextField(purpose="phone")  # E.164
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    email = EncryptedTextField(purpose="email")
    email_index = models.CharField(max_length=64, blank=True, db_index=True)
    wants_updates = models.BooleanField(_("kirim kabar perkembangan"), default=True)
    consent_version = models.CharField(max_length=20)
    consent_text_sha256 = models.CharField(max_length=64)
    consented_at = models.DateTimeField()

    class Meta:
        verbose_name = _("identitas pelapor")
        verbose_name_plural = _("identitas pelapor")

    def __str__(self) -> str:
        return f"identitas #{self.pk}"


class Photo(TimeStampedModel):
    """A photo re-encoded on upload (EXIF and other metadata removed); hidden with the case if confidential."""

    uid = models.UUIDField(unique=True, editable=False)
    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="aspirations/%Y/%m/")
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    added_by_reporter = models.BooleanField(default=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at"]

    def __str__(self) -> str:
        return f"foto {self.uid}"


class AspirationEvent(models.Model):
    """One step of the case's timeline. `public_text` is what the tracker and the public page show;
    `internal_note` stays with officers. The public log entry of the same act is linked."""

    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=20, choices=AspirationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=AspirationStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, db_index=False, on_delete=models.SET_NULL, related_name="+"
    )
    # Shown publicly instead of the officer's name: the organisation that acted ("Dinas PUPR"), or "Pelapor".
    actor_label = models.CharField(max_length=255, blank=True)
    organisation = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, db_index=False, on_delete=models.SET_NULL, related_name="+"
    )
    public_text = models.TextField(blank=True)
    internal_note = models.TextField(blank=True)
    is_public = models.BooleanField(default=True)
    # Not indexed: log entries are never deleted, and the timeline is read from the event side.
    ledger_entry = models.ForeignKey(
        "ledger.LedgerEntry", null=True, blank=True, db_index=False, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at", "pk"]
        # Most events have no acting account (the reporter, the system) or no organisation.
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["actor"], name="aspiration_event_actor", condition=models.Q(actor__isnull=False)),
            models.Index(
                fields=["organisation"],
                name="aspiration_event_organisation",
                condition=models.Q(organisation__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aspiration_id}: {self.kind}"


class Support(models.Model):
    """A "dukung": one per person per case — an account, or a phone verified by a one-time code.
    The unique constraints are what keep it one under concurrency."""

    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    phone = EncryptedTextField(purpose="phone")  # to notify the supporter; sealed
    phone_index = models.CharField(max_length=64, blank=True)
    wants_updates = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["aspiration", "user"], condition=models.Q(user__isnull=False), name="one_support_per_user"
            ),
            models.UniqueConstraint(
                fields=["aspiration", "phone_index"],
                condition=~models.Q(phone_index=""),
                name="one_support_per_phone",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(phone_index=""), name="support_has_a_supporter"
            ),
        ]

    def __str__(self) -> str:
        return f"dukungan {self.pk}"


class PhoneVerification(models.Model):
    """A one-time code sent by SMS/WhatsApp to prove a phone number (for dukung without an account)."""

    phone_index = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    verified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"verifikasi {self.pk}"


class RoutingCorrection(models.Model):
    """An officer's confirmed or corrected routing: training data for `manage.py retrain_routing`."""

    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="routing_corrections")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("actors.Organisation", on_delete=models.PROTECT, related_name="+")
    was_suggested = models.BooleanField(help_text="the officer confirmed the model's first suggestion")
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"koreksi {self.pk}"
