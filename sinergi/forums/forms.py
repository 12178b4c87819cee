from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sinergi.actors.models import Organisation, Sector
from sinergi.core.errors import RuleViolation
from sinergi.forums.models import Charter, FallbackRule, Forum, ForumRole, MembershipPolicy
from sinergi.forums.services import STRUCTURAL_FIELDS, SeatSpec, validate_rrule
from sinergi.policy.models import PolicyObject

CHARTER_FORM_FIELDS = (
    "purpose",
    "legal_basis",
    "terms_of_reference",
    "membership_policy",
    "quorum_member_share",
    "quorum_sectors",
    "fallback_rule",
    "fallback_threshold",
    "fallback_after_rounds",
    "meeting_rrule",
    "meeting_duration_minutes",
    "default_location",
    "agenda_notice_days",
)


class CharterForm(forms.Form):
    """The charter, with one minimum/maximum pair of seat fields per sector."""

    name = forms.CharField(label=_("Nama forum"), max_length=200)
    purpose = forms.CharField(label=_("Tujuan forum"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    legal_basis = forms.CharField(
        label=_("Dasar hukum"),
        max_length=255,
        required=False,
        help_text=_("mis. SK Wali Kota Blitar Nomor 188/123/HK/2026"),
    )
    terms_of_reference = forms.CharField(
        label=_("Kerangka acuan (ToR)"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=20000
    )
    membership_policy = forms.ChoiceField(label=_("Cara menjadi anggota"), choices=MembershipPolicy.choices)
    quorum_member_share = forms.DecimalField(
        label=_("Kuorum: bagian anggota yang hadir"),
        min_value=Decimal("0.01"),
        max_value=Decimal("1.00"),
        decimal_places=2,
        initial=Decimal("0.50"),
        help_text=_("Angka 0,01–1,00; mis. 0,50 berarti separuh anggota."),
        localize=True,
    )
    quorum_sectors = forms.ModelMultipleChoiceField(
        label=_("Kuorum: sektor yang wajib hadir"),
        queryset=Sector.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    fallback_rule = forms.ChoiceField(
        label=_("Aturan cadangan bila mufakat tidak tercapai"), choices=FallbackRule.choices
    )
    fallback_threshold = forms.DecimalField(
        label=_("Ambang suara terbanyak"),
        min_value=Decimal("0.51"),
        max_value=Decimal("1.00"),
        decimal_places=2,
        initial=Decimal("0.67"),
        localize=True,
    )
    fallback_after_rounds = forms.IntegerField(
        label=_("Aturan cadangan baru boleh dipakai setelah putaran mufakat ke-"), min_value=1, max_value=10, initial=2
    )
    meeting_rrule = forms.CharField(
        label=_("Jadwal rapat berkala (RRULE)"),
        max_length=255,
        required=False,
        help_text=_("Format RFC 5545, mis. FREQ=MONTHLY;BYDAY=2TU (Selasa kedua setiap bulan)."),
    )
    meeting_duration_minutes = forms.IntegerField(
        label=_("Lama rapat (menit)"), min_value=15, max_value=1440, initial=120
    )
    default_location = forms.CharField(label=_("Tempat rapat"), max_length=255, required=False)
    agenda_notice_days = forms.IntegerField(
        label=_("Agenda diumumkan (hari sebelum rapat)"), min_value=0, max_value=60, initial=3
    )

    def __init__(self, *args: Any, lock_structure: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sectors = list(Sector.objects.all())
        for sector in self.sectors:
            self.fields[f"seat_min_{sector.code}"] = forms.IntegerField(
                label=_("Kursi minimum sektor %(sector)s") % {"sector": sector.name},
                min_value=0,
                max_value=999,
                required=False,
            )
            self.fields[f"seat_max_{sector.code}"] = forms.IntegerField(
                label=_("Kursi maksimum sektor %(sector)s") % {"sector": sector.name},
                min_value=1,
                max_value=999,
                required=False,
            )
        if lock_structure:
            # Once the forum is active, its structural rules are fixed (see forum_charter_update).
            for name, field in self.fields.items():
                if name in STRUCTURAL_FIELDS or name.startswith("seat_"):
                    field.disabled = True
                    field.help_text = _("Terkunci: hanya dapat diubah selama forum masih draf.")

    def clean_meeting_rrule(self) -> str:
        try:
            return validate_rrule(self.cleaned_data["meeting_rrule"])
        except RuleViolation as error:
            raise forms.ValidationError(error.message) from error

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for sector in self.sectors:
            low, high = data.get(f"seat_min_{sector.code}"), data.get(f"seat_max_{sector.code}")
            if low is not None and high is not None and high < low:
                self.add_error(f"seat_max_{sector.code}", _("Maksimum tidak boleh lebih kecil dari minimum."))
        return data

    def seat_specs(self) -> list[SeatSpec]:
        specs = []
        for sector in self.sectors:
            low = self.cleaned_data.get(f"seat_min_{sector.code}")
            high = self.cleaned_data.get(f"seat_max_{sector.code}")
            if low or high:
                specs.append(SeatSpec(sector=sector, minimum=low or 0, maximum=high))
        return specs

    def charter_values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in CHARTER_FORM_FIELDS}
        values["name"] = self.cleaned_data["name"]
        return values

    @staticmethod
    def initial_for(forum: Forum) -> dict[str, Any]:
        charter: Charter = forum.charter
        initial: dict[str, Any] = {name: getattr(charter, name) for name in CHARTER_FORM_FIELDS}
        initial["quorum_sectors"] = list(charter.quorum_sectors.all())
        initial["name"] = forum.name
        for seat in charter.seats.all():
            initial[f"seat_min_{seat.sector.code}"] = seat.minimum
            initial[f"seat_max_{seat.sector.code}"] = seat.maximum
        return initial


class ConveneForm(CharterForm):
    convener = forms.ModelChoiceField(
        label=_("Lembaga penyelenggara"),
        queryset=Organisation.objects.none(),
        help_text=_("Lembaga publik yang Anda wakili (kriteria C1)."),
    )

    field_order = ("convener", "name")

    def __init__(self, *args: Any, institutions: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        convener = self.fields["convener"]
        assert isinstance(convener, forms.ModelChoiceField)
        convener.queryset = institutions
        if len(institutions) == 1:
            convener.initial = institutions[0].pk
        self.initial.setdefault("membership_policy", MembershipPolicy.APPLICATION)
        for code in ("swasta", "masyarakat", "pemuda"):
            self.initial.setdefault(f"seat_min_{code}", 1)


class PolicyLinkForm(forms.Form):
    policy_object = forms.ModelChoiceField(
        label=_("Objek kebijakan"),
        queryset=PolicyObject.objects.all(),
        help_text=_("Program/sub-kegiatan, rancangan Perda/Perwali, aset publik, atau pos anggaran (C6)."),
    )


class InviteForm(forms.Form):
    person = forms.CharField(
        label=_("Profil orang yang diundang"),
        max_length=120,
        help_text=_("Alamat profil (slug) dari direktori, mis. budi-santoso."),
    )
    organisation = forms.CharField(
        label=_("Organisasi yang diwakili"),
        max_length=120,
        required=False,
        help_text=_(
            "Slug organisasi; kosongkan bila orang itu hanya mewakili satu organisasi atau hadir sebagai warga."
        ),
    )
    role = forms.ChoiceField(label=_("Peran"), choices=ForumRole.choices, initial=ForumRole.MEMBER)


class ApplyForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Mewakili"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Diri sendiri (warga, sektor masyarakat)"),
    )
    motivation = forms.CharField(
        label=_("Alasan bergabung"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        if len(organisations) == 1:
            field.initial = organisations[0].pk


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan penutupan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"), choices=[("approve", _("Terima")), ("reject", _("Tolak"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Alasan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Wajib bila menolak; dicatat di log publik."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Peran"), choices=ForumRole.choices)


class ForumFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    sector = forms.ModelChoiceField(
        label=_("Sektor"), queryset=Sector.objects.all(), required=False, to_field_name="code", empty_label=_("Semua")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from sinergi.forums.states import ForumStatus

        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("Semua")), *ForumStatus.choices]
