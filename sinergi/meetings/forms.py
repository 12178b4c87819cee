import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_stubs_ext import StrOrPromise

from sinergi.forums.models import ForumMember
from sinergi.meetings.models import AgendaItemKind, AttendanceStatus, InvitationResponse, MinutesReviewVerdict

DATETIME_HELP = _("Waktu WIB.")


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def _datetime_field(label: "StrOrPromise") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=DATETIME_HELP,
    )


class MeetingScheduleForm(forms.Form):
    title = forms.CharField(label=_("Judul rapat"), max_length=200)
    starts_at = _datetime_field(_("Mulai"))
    ends_at = _datetime_field(pgettext_lazy("meeting end time", "Selesai"))
    location = forms.CharField(label=_("Tempat"), max_length=255, required=False)


class MeetingRescheduleForm(forms.Form):
    starts_at = _datetime_field(_("Mulai"))
    ends_at = _datetime_field(pgettext_lazy("meeting end time", "Selesai"))
    location = forms.CharField(label=_("Tempat"), max_length=255, required=False)


class MeetingSeriesForm(forms.Form):
    title = forms.CharField(label=_("Judul rapat"), max_length=200)
    rrule = forms.CharField(
        label=_("Aturan pengulangan (RRULE)"),
        max_length=255,
        help_text=_("RFC 5545, mis. FREQ=MONTHLY;BYDAY=2TU (Selasa kedua setiap bulan)."),
    )
    starts_at = _datetime_field(_("Mulai (kejadian pertama)"))
    duration_minutes = forms.IntegerField(label=_("Lama rapat (menit)"), min_value=15, max_value=1440, initial=120)
    location = forms.CharField(label=_("Tempat"), max_length=255, required=False)


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Judul acara"), max_length=255)
    kind = forms.ChoiceField(label=_("Jenis acara"), choices=AgendaItemKind.choices, initial=AgendaItemKind.DISCUSSION)
    description = forms.CharField(
        label=_("Uraian"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("Hasil"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))


class InvitationResponseForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Jawaban Anda"),
        choices=[(InvitationResponse.ACCEPTED, _("Akan hadir")), (InvitationResponse.DECLINED, _("Tidak dapat hadir"))],
        widget=forms.RadioSelect,
    )


class MinutesForm(forms.Form):
    body = forms.CharField(label=_("Isi notulen"), max_length=100_000, widget=forms.Textarea(attrs={"rows": 16}))


class MinutesReviewForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Tanggapan"), choices=MinutesReviewVerdict.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Catatan (wajib bila meminta perbaikan)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, present_members: list[ForumMember] | None = None, **kwargs: Any) -> None:
        """`present_members` is given for administrators, who may record a present member's review."""
        super().__init__(*args, **kwargs)
        self.present_members = {member.pk: member for member in present_members or []}
        if present_members is not None:
            self.fields["member"] = forms.TypedChoiceField(
                label=_("Atas nama anggota yang hadir"),
                choices=[(member.pk, member.person.full_name) for member in present_members],
                coerce=int,
            )

    def on_behalf_of(self) -> ForumMember | None:
        member_id = self.cleaned_data.get("member")
        return self.present_members.get(member_id) if member_id else None


class MinutesReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan dikembalikan"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RollCallForm(forms.Form):
    """One select per active member; the label names the member, organisation and sector."""

    def __init__(self, *args: object, members: list[ForumMember], initial_statuses: dict[int, str], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.members = members
        for member in members:
            organisation = f", {member.organisation.name}" if member.organisation else ""
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=f"{member.person.full_name}{organisation} ({member.sector.name})",
                choices=AttendanceStatus.choices,
                initial=initial_statuses.get(member.pk, AttendanceStatus.ABSENT),
            )

    def statuses(self) -> dict[int, str]:
        return {member.pk: self.cleaned_data[f"member_{member.pk}"] for member in self.members}


def as_aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value
