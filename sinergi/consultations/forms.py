from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.actors.models import Organisation, Sector
from sinergi.consultations.models import QUESTION_MAX, STATEMENT_MAX
from sinergi.consultations.services import DESCRIPTION_MAX, REASON_MAX, TITLE_MAX, kelurahan_choices
from sinergi.consultations.states import Audience, VoteValue
from sinergi.forums.models import Forum
from sinergi.regions.models import Region

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
SEED_TEXT_MAX = 200 * (STATEMENT_MAX + 2)


class ConsultationForm(forms.Form):
    host = forms.ChoiceField(label=_("Penyelenggara"))
    title = forms.CharField(label=_("Judul"), max_length=TITLE_MAX)
    question = forms.CharField(label=_("Pertanyaan"), max_length=QUESTION_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    description = forms.CharField(
        label=_("Latar belakang"), max_length=DESCRIPTION_MAX, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    opens_at = forms.DateTimeField(label=pgettext_lazy("consultation opening time", "Dibuka"), widget=DATETIME_INPUT)
    closes_at = forms.DateTimeField(label=pgettext_lazy("consultation closing time", "Ditutup"), widget=DATETIME_INPUT)
    audience = forms.ChoiceField(label=_("Siapa yang boleh ikut"), choices=Audience.choices)
    accepts_statements = forms.BooleanField(label=_("Peserta boleh mengirim pernyataan"), required=False, initial=True)
    seed_statements = forms.CharField(
        label=_("Pernyataan awal"),
        help_text=_("Satu pernyataan per baris, masing-masing paling banyak 280 karakter."),
        max_length=SEED_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: Any, hosts: list[tuple[str, str]], fixed_host: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        host_field = self.fields["host"]
        assert isinstance(host_field, forms.ChoiceField)
        host_field.choices = hosts
        if fixed_host:
            host_field.disabled = True
            host_field.required = False

    def seed_lines(self) -> list[str]:
        return [line for line in self.cleaned_data.get("seed_statements", "").splitlines() if line.strip()]


def host_value(obj: Organisation | Forum) -> str:
    return f"{'forum' if isinstance(obj, Forum) else 'org'}:{obj.pk}"


class JoinForm(forms.Form):
    sector = forms.ModelChoiceField(
        label=_("Sektor Anda"),
        queryset=Sector.objects.order_by("order", "pk"),
        required=False,
    )
    kelurahan: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Kelurahan tempat tinggal"), queryset=Region.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kelurahan"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = kelurahan_choices()


class VoteForm(forms.Form):
    statement = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)
    value = forms.TypedChoiceField(coerce=int, choices=VoteValue.choices)


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Tulis pernyataan"),
        max_length=STATEMENT_MAX,
        help_text=_("Satu gagasan, paling banyak 280 karakter. Pernyataan diperiksa moderator sebelum ditampilkan."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATEMENT_MAX}),
    )


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"), choices=[("accept", _("Terima")), ("reject", _("Tolak"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Alasan (wajib bila ditolak)"), max_length=REASON_MAX, required=False)


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Alasan penutupan"), max_length=REASON_MAX, required=False)
