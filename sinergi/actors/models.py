import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import PublicIdModel, TimeStampedModel, ValidityModel, ValidityQuerySet
from sinergi.core.reference_labels import reference_label


class Sector(models.Model):
    """A social sector of collaborative governance (pemerintah, swasta, pemuda, ...).

    `is_state` separates state actors (pemerintah, legislatif) from the non-state sectors
    whose presence criterion C2 requires.
    """

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=80)
    description = models.TextField(_("keterangan"), blank=True)
    is_state = models.BooleanField(_("sektor negara"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["order", "name"]
        verbose_name = _("sektor")
        verbose_name_plural = _("sektor")

    def __str__(self) -> str:
        return reference_label(self.name)


class OrganisationKind(models.Model):
    """What an organisation is (OPD, komisi, fraksi, kelurahan, perusahaan, LSM, karang taruna, ...).

    `is_public_institution` marks kinds that may convene a forum (criterion C1).
    """

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=80)
    default_sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="+")
    is_public_institution = models.BooleanField(_("lembaga publik"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["order", "name"]
        verbose_name = _("jenis organisasi")
        verbose_name_plural = _("jenis organisasi")

    def __str__(self) -> str:
        return reference_label(self.name)


class OrganisationQuerySet(ValidityQuerySet):
    pass


class Organisation(PublicIdModel, ValidityModel):
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(_("nama resmi"), max_length=255)
    short_name = models.CharField(_("singkatan"), max_length=60, blank=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="organisations")
    kind = models.ForeignKey(OrganisationKind, on_delete=models.PROTECT, related_name="organisations")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("induk")
    )
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="organisations"
    )
    description = models.TextField(_("keterangan"), blank=True)
    website = models.URLField(_("situs web"), blank=True)
    public_email = models.EmailField(_("email publik"), blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    seat_count = models.PositiveSmallIntegerField(
        _("jumlah kursi"), null=True, blank=True, help_text=_("mis. kursi DPRD atau anggota fraksi")
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["name"]
        verbose_name = _("organisasi")
        verbose_name_plural = _("organisasi")

    def __str__(self) -> str:
        return self.name

    @property
    def is_public_institution(self) -> bool:
        return self.kind.is_public_institution


class OrganisationAlias(ValidityModel):
    """Former and informal names; regulations rename OPD every few years."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("nama"), max_length=255, db_index=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_organisation_alias")
        ]

    def __str__(self) -> str:
        return self.name


class Person(PublicIdModel):
    """A person's public profile; may exist without a login (e.g. a DPRD member listed from data)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    slug = models.SlugField(max_length=120, unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=160)
    public_title = models.CharField(_("sebutan/jabatan publik"), max_length=160, blank=True)
    bio = models.TextField(_("profil singkat"), blank=True)
    is_listed = models.BooleanField(_("tampil di direktori"), default=True)
    # Identity checked in person (KTP at a kelurahan counter or by the secretariat): "warga terverifikasi".
    verified_at = models.DateTimeField(_("terverifikasi pada"), null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["full_name"]
        verbose_name = _("orang")
        verbose_name_plural = _("orang")

    def __str__(self) -> str:
        return self.full_name

    @property
    def display_name(self) -> str:
        return self.full_name

    @property
    def public_handle(self) -> str:
        return f"person:{self.uid}"


class MembershipRole(models.Model):
    """A role a person holds in an organisation (kepala, staf, anggota, ketua komisi, ...).

    `acts_for_organisation` means the holder may act in the organisation's name, e.g. convene
    a forum for an OPD; plain members of an association do not.
    """

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=80)
    acts_for_organisation = models.BooleanField(_("bertindak atas nama organisasi"), default=False)
    is_leadership = models.BooleanField(_("pimpinan"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["order", "name"]
        verbose_name = _("peran keanggotaan")
        verbose_name_plural = _("peran keanggotaan")

    def __str__(self) -> str:
        return reference_label(self.name)


class MembershipQuerySet(ValidityQuerySet):
    pass


class Membership(TimeStampedModel, ValidityModel):
    """A person's role in an organisation for a period; `uid` is what URLs and the API carry."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.ForeignKey(MembershipRole, on_delete=models.PROTECT, related_name="memberships")
    title = models.CharField(_("jabatan"), max_length=160, blank=True, help_text=_("mis. Kepala Dinas"))

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["organisation__name", "role__order"]
        verbose_name = _("keanggotaan organisasi")
        verbose_name_plural = _("keanggotaan organisasi")

    def __str__(self) -> str:
        return f"{self.person} — {self.role} {self.organisation}"
