"""Forms for the directory's manage pages. They validate input and resolve references; the
services decide the domain rules. Parent organisations, regions and people are typed (slug,
code or username), never offered as giant select lists: pages stay small with any amount of data."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sinergi.actors.models import MembershipRole, Organisation, OrganisationKind, Person, Sector
from sinergi.regions.models import Region

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label: "StrOrPromise", help_text: "StrOrPromise" = "") -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DATE_WIDGET, help_text=help_text)


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Nama resmi"), max_length=255)
    short_name = forms.CharField(label=_("Singkatan"), max_length=60, required=False)
    sector = forms.ModelChoiceField(label=_("Sektor"), queryset=Sector.objects.order_by("order", "name"))
    kind = forms.ModelChoiceField(label=_("Jenis organisasi"), queryset=OrganisationKind.objects.order_by("order"))
    parent = forms.CharField(
        label=_("Induk (alamat organisasi)"),
        max_length=120,
        required=False,
        help_text=_("Bagian terakhir alamat halaman induknya, mis. pemerintah-kota-blitar"),
    )
    region = forms.CharField(
        label=_("Kode wilayah"), max_length=13, required=False, help_text=_("Kode Kemendagri, mis. 35.72.03")
    )
    description = forms.CharField(label=_("Keterangan"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    website = forms.URLField(label=_("Situs web"), required=False, max_length=200, assume_scheme="https")
    public_email = forms.EmailField(label=_("Email publik"), required=False)
    address = forms.CharField(label=_("Alamat"), max_length=255, required=False)
    seat_count = forms.IntegerField(label=_("Jumlah kursi"), required=False, min_value=0, max_value=1000)
    valid_from = _date_field(_("Berlaku sejak"))
    valid_until = _date_field(_("Berlaku sampai"))

    def __init__(self, *args: Any, instance: Organisation | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "short_name": instance.short_name,
                "sector": instance.sector_id,
                "kind": instance.kind_id,
                "parent": instance.parent.slug if instance.parent else "",
                "region": instance.region_id or "",
                "description": instance.description,
                "website": instance.website,
                "public_email": instance.public_email,
                "address": instance.address,
                "seat_count": instance.seat_count,
                "valid_from": instance.valid_from,
                "valid_until": instance.valid_until,
            }
        super().__init__(*args, **kwargs)
        self.instance = instance

    def clean_parent(self) -> Organisation | None:
        slug = self.cleaned_data["parent"].strip()
        if not slug:
            return None
        parent = Organisation.objects.filter(slug=slug).first()
        if parent is None:
            raise forms.ValidationError(_("Organisasi induk “%(slug)s” tidak ditemukan."), params={"slug": slug})
        if self.instance is not None and parent.pk == self.instance.pk:
            raise forms.ValidationError(_("Organisasi tidak boleh menjadi induknya sendiri."))
        return parent

    def clean_region(self) -> Region | None:
        code = self.cleaned_data["region"].strip()
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("Wilayah dengan kode “%(code)s” tidak ditemukan."), params={"code": code})
        return region

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("Tanggal berakhir tidak boleh sebelum tanggal mulai."))
        return data


class OrganisationAliasForm(forms.Form):
    prefix = "alias"  # shares the edit page with OrganisationForm: field ids must not clash

    name = forms.CharField(label=_("Nama lain atau nama lama"), max_length=255)
    valid_from = _date_field(_("Dipakai sejak"))
    valid_until = _date_field(_("Dipakai sampai"))


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=160)
    public_title = forms.CharField(
        label=_("Sebutan/jabatan publik"), max_length=160, required=False, help_text=_("mis. Ketua DPRD Kota Blitar")
    )
    bio = forms.CharField(label=_("Profil singkat"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    is_listed = forms.BooleanField(label=_("Tampil di direktori publik"), required=False, initial=True)


def resolve_person(reference: str) -> Person | None:
    """A listed person's profile slug, or the username of any account."""
    reference = reference.strip()
    return (
        Person.objects.filter(slug=reference, is_listed=True).first()
        or Person.objects.filter(user__username=reference).first()
    )


class MembershipForm(forms.Form):
    person = forms.CharField(
        label=_("Orang"),
        max_length=150,
        help_text=_("Alamat profil publik (mis. syahrul-alim) atau nama pengguna akunnya"),
    )
    role = forms.ModelChoiceField(label=_("Peran"), queryset=MembershipRole.objects.order_by("order", "name"))
    title = forms.CharField(label=_("Jabatan"), max_length=160, required=False, help_text=_("mis. Kepala Dinas"))
    valid_from = _date_field(_("Mulai"), _("Kosongkan untuk hari ini"))
    valid_until = _date_field(_("Sampai"))

    def clean_person(self) -> Person:
        person = resolve_person(self.cleaned_data["person"])
        if person is None:
            raise forms.ValidationError(_("Orang atau akun tersebut tidak ditemukan."))
        return person


class MembershipEndForm(forms.Form):
    last_day = _date_field(_("Hari terakhir"), _("Kosongkan untuk mengakhiri sekarang (hari terakhir: kemarin)"))
    reason = forms.CharField(label=_("Alasan"), max_length=500, required=False)


class SectorForm(forms.Form):
    code = forms.SlugField(label=_("Kode"), max_length=30, help_text=_("huruf kecil, mis. keagamaan"))
    name = forms.CharField(label=_("Nama"), max_length=80)
    description = forms.CharField(label=_("Keterangan"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    is_state = forms.BooleanField(label=_("Sektor negara (pemerintah/legislatif)"), required=False)
