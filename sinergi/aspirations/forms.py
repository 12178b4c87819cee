"""Forms of the public aspiration pages. They only shape input; `services/intake.py` decides."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.aspirations.identity import EMAIL_MAX, NAME_MAX, PHONE_INPUT_MAX
from sinergi.aspirations.models import TEXT_MAX, TITLE_MAX
from sinergi.aspirations.photos import MAX_PHOTO_BYTES, MAX_PHOTOS
from sinergi.aspirations.selectors import (
    category_choices,
    kelurahan_choices,
    kind_choices,
    organisation_choices,
    status_choices,
)
from sinergi.aspirations.services.intake import ADDRESS_MAX, CONSENT_VERSION, consent_text
from sinergi.aspirations.states import AspirationKind, Privacy

PRIVACY_EXPLANATIONS = {
    Privacy.ANONYMOUS: _(
        "Anonim — isi aspirasi tampil di halaman publik, tetapi nama dan kontak Anda tidak terlihat oleh "
        "publik maupun OPD yang menindaklanjuti."
    ),
    Privacy.PUBLIC: _("Publik — isi aspirasi dan nama Anda (bila diisi) tampil di halaman publik."),
    Privacy.CONFIDENTIAL: _(
        "Rahasia — isi dan foto tidak tampil di halaman publik; hanya petugas yang menangani yang membacanya."
    ),
}


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def new_form_token() -> str:
    """The hidden idempotency token of one form: a double click or a resend submits the same case once."""
    return "web-" + secrets.token_urlsafe(24)


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [f for f in files if f]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("Paling banyak %(max)d foto.") % {"max": MAX_PHOTOS})
        for upload in files:
            if upload.size > MAX_PHOTO_BYTES:
                raise forms.ValidationError(_("Setiap foto paling besar 5 MB."))
        return files


class SubmitForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis"),
        choices=AspirationKind.choices,
        initial=AspirationKind.PENGADUAN,
        widget=forms.RadioSelect,
        help_text=_(
            "Aspirasi: usulan untuk pembangunan. Pengaduan: layanan yang tidak berjalan. Permintaan "
            "informasi publik: diteruskan ke PPID (dijawab paling lambat 10 hari kerja)."
        ),
    )
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    title = forms.CharField(label=_("Judul singkat"), max_length=TITLE_MAX)
    text = forms.CharField(
        label=_("Isi aspirasi"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Jelaskan apa, di mana dan sejak kapan. Jangan menulis NIK atau nomor telepon di sini."),
    )
    region = forms.ChoiceField(label=_("Kelurahan"), required=False)
    latitude = forms.FloatField(label=_("Lintang (latitude)"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Bujur (longitude)"), required=False, min_value=-180, max_value=180)
    address = forms.CharField(label=_("Alamat atau patokan"), max_length=ADDRESS_MAX, required=False)
    photos = MultiplePhotoField(
        label=_("Foto"), required=False, help_text=_("Paling banyak 3 foto JPEG, PNG atau WebP, masing-masing ≤ 5 MB.")
    )
    privacy = forms.ChoiceField(
        label=_("Privasi"),
        choices=[(value, PRIVACY_EXPLANATIONS[Privacy(value)]) for value, _label in Privacy.choices],
        initial=Privacy.ANONYMOUS,
        widget=forms.RadioSelect,
    )
    reporter_name = forms.CharField(label=_("Nama"), max_length=NAME_MAX, required=False)
    phone = forms.CharField(
        label=_("Nomor ponsel/WhatsApp"),
        max_length=PHONE_INPUT_MAX,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Untuk kabar perkembangan. Tidak pernah ditampilkan."),
    )
    email = forms.CharField(
        label=_("E-mail"),
        max_length=EMAIL_MAX,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    nik = forms.CharField(
        label=_("NIK (16 angka)"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_(
            "Hanya untuk permintaan informasi publik (nama dan NIK, telepon atau e-mail wajib menurut "
            "UU 14/2008). Untuk aspirasi dan pengaduan boleh dikosongkan. Disimpan terenkripsi."
        ),
    )
    wants_updates = forms.BooleanField(label=_("Kirimi saya kabar perkembangan"), required=False, initial=True)
    consent = forms.BooleanField(label=_("Saya telah membaca dan menyetujui pemrosesan data pribadi di atas."))
    consent_version = forms.CharField(widget=forms.HiddenInput, initial=CONSENT_VERSION)
    token = forms.CharField(widget=forms.HiddenInput, max_length=80)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "category").choices = [("", _("— pilihkan otomatis dari isi —")), *category_choices()]
        _choices(self, "region").choices = [("", _("— pilih kelurahan —")), *kelurahan_choices()]
        if not self.is_bound:
            self.initial.setdefault("token", new_form_token())

    @staticmethod
    def consent_text() -> str:
        return consent_text()


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Kode lacak"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        help_text=_("12 huruf/angka yang Anda terima setelah mengirim aspirasi."),
    )


class AddInformationForm(forms.Form):
    text = forms.CharField(label=_("Informasi tambahan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    photos = MultiplePhotoField(label=_("Foto tambahan"), required=False)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Penilaian"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
        help_text=_("5 = sangat puas, 1 = sangat tidak puas."),
    )
    comment = forms.CharField(
        label=_("Komentar"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Mengapa belum selesai?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PublicFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("Kelurahan"), required=False)
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    organisation = forms.ChoiceField(label=_("OPD/komisi"), required=False)
    kind = forms.ChoiceField(label=_("Jenis"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", _("Semua"))
        _choices(self, "region").choices = [everything, *kelurahan_choices()]
        _choices(self, "category").choices = [everything, *category_choices()]
        _choices(self, "status").choices = [everything, *status_choices()]
        _choices(self, "organisation").choices = [everything, *organisation_choices()]
        _choices(self, "kind").choices = [everything, *kind_choices()]
