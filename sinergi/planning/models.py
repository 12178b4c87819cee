"""Reses, pokir (pokok-pokok pikiran DPRD) and Musrenbang: where citizens' aspirations go into planning.

Every row is public (planning is a public process); citizens appear only through their aspirations,
whose own privacy rules apply wherever an aspiration is shown.
"""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import PublicIdModel
from sinergi.planning.states import MusrenbangLevel, MusrenbangStatus, PokirStatus, ProposalStatus, ResesStatus

TITLE_MAX = 200
TEXT_MAX = 5000
MAX_ATTENDEES = 100_000
MIN_YEAR = 2000
MAX_YEAR = 2100
MAX_VOLUME_DIGITS = 12
MAX_BUDGET_DIGITS = 16


class Reses(PublicIdModel):
    """A DPRD member's visit to their dapil during a recess (one per masa sidang)."""

    member = models.ForeignKey(
        "actors.Person", on_delete=models.PROTECT, related_name="reses_set", verbose_name=_("anggota DPRD")
    )
    # The DPRD, komisi or fraksi the member acted for when opening it.
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("atas nama")
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    dapil = models.CharField(_("daerah pemilihan"), max_length=80)
    kecamatan = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("kecamatan")
    )
    masa_sidang = models.CharField(_("masa sidang"), max_length=80)
    held_on = models.DateField(_("tanggal"))
    place = models.CharField(_("tempat"), max_length=255)
    attendee_count = models.PositiveIntegerField(
        _("jumlah peserta"), default=0, validators=[MaxValueValidator(MAX_ATTENDEES)]
    )
    notes = models.TextField(_("catatan"), blank=True, max_length=TEXT_MAX)
    status = models.CharField(max_length=12, choices=ResesStatus.choices, default=ResesStatus.PLANNED, db_index=True)
    held_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    aspirations = models.ManyToManyField("aspirations.Aspiration", blank=True, related_name="reses_set")

    class Meta:
        ordering: ClassVar[list[str]] = ["-held_on", "-pk"]
        verbose_name = _("reses")
        verbose_name_plural = _("reses")

    def __str__(self) -> str:
        return f"Reses {self.dapil} {self.held_on:%d-%m-%Y}"


class PokirItem(PublicIdModel):
    """One pokir item with the fields SIPD-RI's pokir module requires."""

    member = models.ForeignKey(
        "actors.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pokir_items",
        verbose_name=_("anggota DPRD"),
    )
    komisi = models.ForeignKey(
        "actors.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("komisi"),
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("judul usulan"), max_length=TITLE_MAX)
    description = models.TextField(_("uraian permasalahan dan usulan"), max_length=TEXT_MAX)
    location_text = models.CharField(_("lokasi (alamat lengkap)"), max_length=255)
    kelurahan = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("kelurahan")
    )
    volume = models.DecimalField(_("volume"), max_digits=MAX_VOLUME_DIGITS, decimal_places=2)
    unit = models.CharField(_("satuan"), max_length=40)
    target_group = models.CharField(_("sasaran"), max_length=255)
    photo = models.FileField(_("foto"), upload_to="planning/pokir/%Y/", blank=True)
    opd = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="pokir_items", verbose_name=_("OPD pelaksana")
    )
    program_code = models.CharField(_("kode program"), max_length=20)
    program_name = models.CharField(_("nama program"), max_length=255)
    activity_code = models.CharField(_("kode kegiatan"), max_length=24)
    activity_name = models.CharField(_("nama kegiatan"), max_length=255)
    sub_activity_code = models.CharField(_("kode sub kegiatan"), max_length=30)
    sub_activity_name = models.CharField(_("nama sub kegiatan"), max_length=255)
    budget_estimate = models.DecimalField(
        _("perkiraan anggaran (Rp)"), max_digits=MAX_BUDGET_DIGITS, decimal_places=0, validators=[MinValueValidator(0)]
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("tahun anggaran"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)], db_index=True
    )
    status = models.CharField(max_length=24, choices=PokirStatus.choices, default=PokirStatus.PROPOSED, db_index=True)
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    aspirations = models.ManyToManyField("aspirations.Aspiration", blank=True, related_name="pokir_items")

    class Meta:
        ordering: ClassVar[list[str]] = ["-fiscal_year", "-created_at", "-pk"]
        verbose_name = _("pokir")
        verbose_name_plural = _("pokir")

    def __str__(self) -> str:
        return self.title


class PokirStatusChange(models.Model):
    """Who moved a pokir item, when, and why (the public status history)."""

    item = models.ForeignKey(PokirItem, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=24, choices=PokirStatus.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=PokirStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The institution that acted ("Bappeda"), shown publicly instead of an officer's account.
    actor_label = models.CharField(max_length=255, blank=True)
    note = models.TextField(blank=True, max_length=TEXT_MAX)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.to_status}"

    @property
    def is_edit(self) -> bool:
        """A correction of the item's fields (listed in the note), not a step: the status stays."""
        return bool(self.from_status) and self.from_status == self.to_status


class Musrenbang(PublicIdModel):
    """One Musrenbang forum at a level (kelurahan, kecamatan, kota) for the RKPD of a fiscal year."""

    level = models.CharField(_("tingkat"), max_length=12, choices=MusrenbangLevel.choices, db_index=True)
    fiscal_year = models.PositiveSmallIntegerField(
        _("tahun RKPD"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)], db_index=True
    )
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    organiser = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("penyelenggara")
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("nama kegiatan"), max_length=TITLE_MAX)
    place = models.CharField(_("tempat"), max_length=255)
    held_on = models.DateField(_("tanggal"))
    status = models.CharField(max_length=8, choices=MusrenbangStatus.choices, default=MusrenbangStatus.OPEN)
    berita_acara = models.TextField(_("berita acara"), blank=True, max_length=20_000)
    berita_acara_sha256 = models.CharField(max_length=64, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-fiscal_year", "level", "region_id"]
        verbose_name = _("Musrenbang")
        verbose_name_plural = _("Musrenbang")

    def __str__(self) -> str:
        return self.title


class Delegate(models.Model):
    musrenbang = models.ForeignKey(Musrenbang, on_delete=models.CASCADE, related_name="delegates")
    name = models.CharField(_("nama"), max_length=160)
    origin = models.CharField(_("asal/unsur"), max_length=160)
    elected_to_next_level = models.BooleanField(_("delegasi ke tingkat berikutnya"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-elected_to_next_level", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class MusrenbangProposal(PublicIdModel):
    musrenbang = models.ForeignKey(Musrenbang, on_delete=models.PROTECT, related_name="proposals")
    # The proposal at the level below that was forwarded to become this one.
    parent = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="forwarded_as")
    title = models.CharField(_("judul usulan"), max_length=TITLE_MAX)
    description = models.TextField(_("uraian"), max_length=TEXT_MAX, blank=True)
    location_text = models.CharField(_("lokasi"), max_length=255, blank=True)
    kelurahan = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("kelurahan")
    )
    opd = models.ForeignKey(
        "actors.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("OPD tujuan"),
    )
    volume = models.DecimalField(_("volume"), max_digits=MAX_VOLUME_DIGITS, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("satuan"), max_length=40, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("peringkat prioritas"), validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    status = models.CharField(max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    aspirations = models.ManyToManyField("aspirations.Aspiration", blank=True, related_name="musrenbang_proposals")

    class Meta:
        ordering: ClassVar[list[str]] = ["priority", "pk"]
        verbose_name = _("usulan Musrenbang")
        verbose_name_plural = _("usulan Musrenbang")

    def __str__(self) -> str:
        return self.title
