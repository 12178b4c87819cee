"""Page forms for planning. They only shape input; the services check the rules."""

import dataclasses
import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.actors.models import Organisation, Person
from sinergi.aspirations.models import TEXT_MAX as ASPIRATION_TEXT_MAX
from sinergi.aspirations.models import TITLE_MAX as ASPIRATION_TITLE_MAX
from sinergi.aspirations.models import Aspiration
from sinergi.aspirations.states import Privacy
from sinergi.planning.importer import MAX_IMPORT_BYTES
from sinergi.planning.models import MAX_ATTENDEES, MAX_YEAR, MIN_YEAR, TEXT_MAX, TITLE_MAX, PokirItem
from sinergi.planning.services import PokirInput
from sinergi.planning.states import MusrenbangLevel, PokirStatus, ProposalStatus
from sinergi.regions.models import Region, RegionLevel

MAX_LINKED = 200


def kelurahan_choices() -> Any:
    return Region.objects.filter(
        level=RegionLevel.DESA_KELURAHAN, code__startswith=str(settings.SINERGI["REGION_CODE"]) + "."
    ).defer("boundary")


def kecamatan_choices() -> Any:
    return Region.objects.filter(
        level=RegionLevel.KECAMATAN, code__startswith=str(settings.SINERGI["REGION_CODE"]) + "."
    ).defer("boundary")


def _queryset(form: forms.Form, name: str) -> Any:
    """The field whose choices come from a queryset (typed loosely: Field has no `queryset`)."""
    return form.fields[name]


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class AspirationRefsField(forms.CharField):
    """Aspirations by their public id (uid), one per line or comma-separated."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40 * MAX_LINKED)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        kwargs.setdefault("help_text", _("ID publik aspirasi (dari halaman aspirasi), satu per baris."))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[Aspiration]:  # type: ignore[override]
        import uuid

        text = super().clean(value) or ""
        refs = [r.strip() for r in text.replace(",", "\n").split() if r.strip()]
        if len(refs) > MAX_LINKED:
            raise forms.ValidationError(_("Paling banyak %(n)s aspirasi.") % {"n": MAX_LINKED})
        uids = []
        for ref in refs:
            try:
                uids.append(uuid.UUID(ref))
            except ValueError as error:
                raise forms.ValidationError(_("“%(r)s” bukan ID aspirasi.") % {"r": ref[:40]}) from error
        found = list(Aspiration.objects.filter(uid__in=uids))
        if len(found) != len(set(uids)):
            raise forms.ValidationError(_("Sebagian aspirasi tidak ditemukan."))
        return found


class ResesOpenForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Atas nama"), queryset=Organisation.objects.none())
    dapil = forms.CharField(label=_("Daerah pemilihan (dapil)"), max_length=80, help_text=_("mis. Dapil 1 Sukorejo"))
    kecamatan = RegionChoiceField(label=_("Kecamatan dapil"), queryset=Region.objects.none(), required=False)
    masa_sidang = forms.CharField(label=_("Masa sidang"), max_length=80, help_text=_("mis. Masa Sidang I 2027"))
    held_on = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Tempat"), max_length=255)
    attendee_count = forms.IntegerField(label=_("Perkiraan peserta"), min_value=0, max_value=MAX_ATTENDEES, initial=0)
    notes = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX, required=False
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "organisation").queryset = organisations
        _queryset(self, "kecamatan").queryset = kecamatan_choices()


class ResesHeldForm(forms.Form):
    attendee_count = forms.IntegerField(label=_("Jumlah peserta hadir"), min_value=0, max_value=MAX_ATTENDEES)
    notes = forms.CharField(
        label=_("Catatan hasil reses"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX, required=False
    )


class BatchRowForm(forms.Form):
    """One row of the reses batch; an empty row is skipped. Kelurahan and category are typed with
    suggestions from one shared <datalist> (ten selects per screen would weigh too much)."""

    kelurahan = forms.CharField(
        label=_("Kelurahan"), max_length=120, required=False, widget=forms.TextInput(attrs={"list": "daftar-kelurahan"})
    )
    category = forms.CharField(
        label=_("Kategori"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"list": "daftar-kategori"}),
    )
    title = forms.CharField(label=_("Judul"), max_length=ASPIRATION_TITLE_MAX, required=False)
    text = forms.CharField(
        label=_("Isi aspirasi"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=ASPIRATION_TEXT_MAX,
        required=False,
    )
    name = forms.CharField(label=_("Nama warga"), max_length=160, required=False)
    phone = forms.CharField(label=_("Telepon warga"), max_length=20, required=False)
    privacy = forms.ChoiceField(label=_("Privasi"), choices=Privacy.choices, initial=Privacy.ANONYMOUS)

    FILLED_KEYS = ("kelurahan", "category", "title", "text", "name", "phone")

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(k) for k in self.FILLED_KEYS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if any(data.get(k) for k in self.FILLED_KEYS):
            for key, label in (("kelurahan", _("Kelurahan")), ("title", _("Judul")), ("text", _("Isi aspirasi"))):
                if not data.get(key):
                    self.add_error(key, _("%(label)s wajib diisi.") % {"label": label})
        return data


BatchFormSet = forms.formset_factory(BatchRowForm, extra=10, max_num=50, absolute_max=50, validate_max=True)


class BatchTokenForm(forms.Form):
    batch_key = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas CSV atau XLSX"), help_text=_("Paling besar 2 MB, paling banyak 500 baris."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Berkas paling besar 2 MB."))
        return upload


class PokirForm(forms.Form):
    title = forms.CharField(label=_("Judul usulan"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Uraian permasalahan dan usulan"), widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX
    )
    location_text = forms.CharField(
        label=_("Alamat lokasi lengkap"), max_length=255, help_text=_("Jalan, RT/RW, patokan")
    )
    kelurahan = RegionChoiceField(label=_("Kelurahan"), queryset=Region.objects.none(), required=False)
    volume = forms.DecimalField(label=_("Volume"), min_value=0, max_digits=12, decimal_places=2)
    unit = forms.CharField(label=_("Satuan"), max_length=40, help_text=_("mis. meter, unit, paket"))
    target_group = forms.CharField(label=_("Sasaran"), max_length=255)
    photo = forms.FileField(label=_("Foto lokasi"), required=False, help_text=_("JPEG/PNG/WebP, paling besar 5 MB"))
    opd = forms.ModelChoiceField(label=_("OPD pelaksana"), queryset=Organisation.objects.none(), to_field_name="slug")
    komisi = forms.ModelChoiceField(
        label=_("Komisi"), queryset=Organisation.objects.none(), required=False, to_field_name="slug"
    )
    program_code = forms.CharField(label=_("Kode program"), max_length=20, help_text="1.03.02")
    program_name = forms.CharField(label=_("Nama program"), max_length=255)
    activity_code = forms.CharField(label=_("Kode kegiatan"), max_length=24, help_text="1.03.02.2.01")
    activity_name = forms.CharField(label=_("Nama kegiatan"), max_length=255)
    sub_activity_code = forms.CharField(label=_("Kode sub kegiatan"), max_length=30, help_text="1.03.02.2.01.0012")
    sub_activity_name = forms.CharField(label=_("Nama sub kegiatan"), max_length=255)
    budget_estimate = forms.DecimalField(
        label=_("Perkiraan anggaran (Rp)"), min_value=0, max_digits=16, decimal_places=0
    )
    fiscal_year = forms.IntegerField(label=_("Tahun anggaran"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    aspirations = AspirationRefsField(label=_("Aspirasi warga yang ditautkan"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "kelurahan").queryset = kelurahan_choices()
        _queryset(self, "opd").queryset = Organisation.objects.filter(kind__code="opd").order_by("name")
        _queryset(self, "komisi").queryset = Organisation.objects.filter(kind__code="komisi").order_by("name")
        self.fields["fiscal_year"].initial = timezone.localdate().year + 1


class PokirEditForm(PokirForm):
    """The proposal form for correcting an item, its linked aspirations listed in the same field (a
    removed line unlinks that aspiration); the hidden `loaded_at` is when the editor loaded the item,
    so a change saved meanwhile is not overwritten."""

    loaded_at = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)

    def __init__(self, *args: Any, item: PokirItem, **kwargs: Any) -> None:
        values = {field.name: getattr(item, field.name) for field in dataclasses.fields(PokirInput)}
        linked = "\n".join(str(uid) for uid in item.aspirations.order_by("pk").values_list("uid", flat=True))
        kwargs.setdefault("initial", {**values, "aspirations": linked, "loaded_at": item.updated_at.isoformat()})
        super().__init__(*args, **kwargs)
        self.fields["photo"].label = _("Ganti foto lokasi")
        self.fields["aspirations"].help_text = _(
            "ID publik aspirasi (dari halaman aspirasi), satu per baris. Hapus baris untuk melepas tautannya."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            loaded_at = dt.datetime.fromisoformat(data.get("loaded_at") or "")
        except ValueError:
            loaded_at = None
        if loaded_at is None or loaded_at.tzinfo is None:
            self.add_error(None, _("Formulir ini tidak lengkap. Muat ulang halaman, lalu ulangi perubahan Anda."))
        data["loaded_at"] = loaded_at
        return data


class PokirStepForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("Langkah"), choices=[(s.value, s.label) for s in PokirStatus if s != PokirStatus.PROPOSED]
    )
    note = forms.CharField(
        label=_("Catatan (wajib bila ditolak)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_MAX,
        required=False,
    )


class PokirFilterForm(forms.Form):
    komisi = forms.ModelChoiceField(
        label=_("Komisi"), queryset=Organisation.objects.none(), required=False, to_field_name="slug"
    )
    opd = forms.ModelChoiceField(
        label=_("OPD"), queryset=Organisation.objects.none(), required=False, to_field_name="slug"
    )
    member = forms.ModelChoiceField(
        label=_("Anggota DPRD"), queryset=Person.objects.none(), required=False, to_field_name="slug"
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Semua")), *PokirStatus.choices], required=False)
    year = forms.IntegerField(label=_("Tahun"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "opd").queryset = Organisation.objects.filter(kind__code="opd").order_by("name")
        _queryset(self, "komisi").queryset = Organisation.objects.filter(kind__code="komisi").order_by("name")
        _queryset(self, "member").queryset = Person.objects.filter(
            pk__in=PokirItem.objects.filter(member__isnull=False).values("member")
        ).order_by("full_name")


class MusrenbangOpenForm(forms.Form):
    organiser = forms.ModelChoiceField(label=_("Penyelenggara"), queryset=Organisation.objects.none())
    level = forms.ChoiceField(label=_("Tingkat"), choices=MusrenbangLevel.choices)
    region = forms.ModelChoiceField(
        label=_("Wilayah (kelurahan atau kecamatan; kosongkan untuk tingkat kota)"),
        queryset=Region.objects.none(),
        required=False,
    )
    fiscal_year = forms.IntegerField(label=_("Tahun RKPD"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    title = forms.CharField(label=_("Nama kegiatan"), max_length=TITLE_MAX)
    place = forms.CharField(label=_("Tempat"), max_length=255)
    held_on = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, organisers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "organiser").queryset = organisers
        _queryset(self, "region").queryset = Region.objects.filter(
            level__in=[RegionLevel.KECAMATAN, RegionLevel.DESA_KELURAHAN],
            code__startswith=str(settings.SINERGI["REGION_CODE"]) + ".",
        ).defer("boundary")
        self.fields["fiscal_year"].initial = timezone.localdate().year + 1


class DelegateForm(forms.Form):
    name = forms.CharField(label=_("Nama delegasi"), max_length=160)
    origin = forms.CharField(label=_("Asal/unsur"), max_length=160, help_text=_("mis. LPMK, RW 03, Karang Taruna"))
    elected_to_next_level = forms.BooleanField(
        label=_("Dipilih sebagai delegasi ke tingkat berikutnya"), required=False
    )


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Judul usulan"), max_length=TITLE_MAX)
    priority = forms.IntegerField(label=_("Peringkat prioritas"), min_value=1, max_value=999)
    description = forms.CharField(
        label=_("Uraian"), widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX, required=False
    )
    location_text = forms.CharField(label=_("Lokasi"), max_length=255, required=False)
    kelurahan = RegionChoiceField(label=_("Kelurahan"), queryset=Region.objects.none(), required=False)
    opd = forms.ModelChoiceField(
        label=_("OPD tujuan"), queryset=Organisation.objects.none(), required=False, to_field_name="slug"
    )
    volume = forms.DecimalField(label=_("Volume"), min_value=0, max_digits=12, decimal_places=2, required=False)
    unit = forms.CharField(label=_("Satuan"), max_length=40, required=False)
    aspirations = AspirationRefsField(label=_("Aspirasi warga yang ditautkan"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "kelurahan").queryset = kelurahan_choices()
        _queryset(self, "opd").queryset = Organisation.objects.filter(kind__code="opd").order_by("name")


class ProposalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[
            (ProposalStatus.AGREED.value, _("Disepakati")),
            ("forward", _("Teruskan ke tingkat berikutnya")),
            (ProposalStatus.IN_RKPD.value, _("Masuk RKPD")),
            (ProposalStatus.REJECTED.value, _("Ditolak")),
        ],
    )
    reason = forms.CharField(label=_("Alasan (wajib bila ditolak)"), max_length=TEXT_MAX, required=False)


class CloseForm(forms.Form):
    berita_acara = forms.CharField(label=_("Berita acara"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20_000)
