"""Steward and member tools for meetings. Every action checks its rules permission, calls one
service, and shows the service's refusal (in Indonesian) next to what was typed."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sinergi.core.errors import NotPermitted, RuleViolation
from sinergi.meetings import services
from sinergi.meetings.forms import (
    AgendaItemForm,
    InvitationResponseForm,
    MeetingCancelForm,
    MeetingRescheduleForm,
    MeetingScheduleForm,
    MeetingSeriesForm,
    MinutesForm,
    MinutesReturnForm,
    MinutesReviewForm,
    OutcomeForm,
    RollCallForm,
)
from sinergi.meetings.models import AgendaItem, Attendance, AttendanceStatus, Invitation, Meeting, Minutes
from sinergi.meetings.selectors import (
    forum_active_members,
    forum_by_slug,
    meeting_attendance,
    meeting_get,
    user_invitation,
)

DENIED = gettext_lazy("Anda tidak berwenang melakukan tindakan ini untuk rapat ini.")


def _require(request: HttpRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(str(DENIED))


def _form_page(
    request: HttpRequest,
    *,
    form: forms.Form,
    title: str,
    submit: str,
    back_url: str,
    intro: str = "",
    meeting: Meeting | None = None,
) -> HttpResponse:
    return render(
        request,
        "meetings/manage/form.html",
        {"form": form, "title": title, "submit": submit, "back_url": back_url, "intro": intro, "meeting": meeting},
    )


def _attempt(request: HttpRequest, form: forms.Form | None, action: Callable[[], Any]) -> Any:
    """Run a service; a refusal becomes a form error (or a message when there is no form)."""
    try:
        return action()
    except NotPermitted as error:
        raise PermissionDenied(error.message) from error
    except RuleViolation as error:
        if form is not None:
            form.add_error(None, error.message)
        else:
            messages.error(request, error.message)
        return None


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.uid])


def _meeting(uid: str) -> Meeting:
    return meeting_get(uid=uid)


# --- Scheduling ------------------------------------------------------------------------------


@login_required
def meeting_schedule(request: HttpRequest, slug: str) -> HttpResponse:
    forum = forum_by_slug(slug=slug)
    _require(request, "meetings.schedule_meeting", forum)
    form = MeetingScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = _attempt(
            request,
            form,
            lambda: services.meeting_schedule(
                forum=forum,
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                location=data["location"],
                actor=request.user,
            ),
        )
        if meeting is not None:
            messages.success(request, _("Rapat dijadwalkan."))
            return redirect("meetings:detail", uid=meeting.uid)
    return _form_page(
        request,
        form=form,
        title=_("Jadwalkan rapat — %(forum)s") % {"forum": forum.name},
        submit=_("Jadwalkan"),
        back_url=f"/rapat/?forum={forum.slug}",
    )


@login_required
def meeting_series_create(request: HttpRequest, slug: str) -> HttpResponse:
    forum = forum_by_slug(slug=slug)
    _require(request, "meetings.schedule_meeting", forum)
    charter = getattr(forum, "charter", None)
    initial = {"rrule": charter.meeting_rrule, "duration_minutes": charter.meeting_duration_minutes} if charter else {}
    if charter:
        initial["location"] = charter.default_location
    form = MeetingSeriesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        series = _attempt(
            request,
            form,
            lambda: services.meeting_series_create(
                forum=forum,
                title=data["title"],
                rrule=data["rrule"],
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                location=data["location"],
                actor=request.user,
            ),
        )
        if series is not None:
            messages.success(request, _("%(n)d rapat berulang dijadwalkan.") % {"n": series.meetings.count()})
            return redirect(f"/rapat/?forum={forum.slug}")
    return _form_page(
        request,
        form=form,
        title=_("Jadwal rapat berulang — %(forum)s") % {"forum": forum.name},
        intro=_("Rapat untuk 12 bulan ke depan dibuat sekaligus dari aturan pengulangan."),
        submit=_("Buat jadwal"),
        back_url=f"/rapat/?forum={forum.slug}",
    )


@login_required
def meeting_reschedule(request: HttpRequest, uid: str) -> HttpResponse:
    meeting = _meeting(uid)
    _require(request, "meetings.change_meeting", meeting)
    form = MeetingRescheduleForm(
        request.POST or None,
        initial={"starts_at": meeting.starts_at, "ends_at": meeting.ends_at, "location": meeting.location},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            request,
            form,
            lambda: services.meeting_reschedule(
                meeting=meeting,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                location=data["location"],
                actor=request.user,
            ),
        )
        if done is not None:
            messages.success(request, _("Jadwal rapat diubah."))
            return redirect("meetings:detail", uid=meeting.uid)
    return _form_page(
        request,
        form=form,
        title=_("Jadwal ulang: %(title)s") % {"title": meeting.title},
        submit=_("Simpan jadwal"),
        back_url=meeting_url(meeting),
        meeting=meeting,
    )


@login_required
def meeting_cancel(request: HttpRequest, uid: str) -> HttpResponse:
    meeting = _meeting(uid)
    _require(request, "meetings.cancel_meeting", meeting)
    form = MeetingCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            request,
            form,
            lambda: services.meeting_cancel(meeting=meeting, reason=form.cleaned_data["reason"], actor=request.user),
        )
        if done is not None:
            messages.success(request, _("Rapat dibatalkan."))
            return redirect("meetings:detail", uid=meeting.uid)
    return _form_page(
        request,
        form=form,
        title=_("Batalkan rapat: %(title)s") % {"title": meeting.title},
        intro=_("Alasan pembatalan diumumkan di halaman rapat dan di log publik."),
        submit=_("Batalkan rapat"),
        back_url=meeting_url(meeting),
        meeting=meeting,
    )


# --- Agenda and invitations ------------------------------------------------------------------


@login_required
def agenda_item_add(request: HttpRequest, uid: str) -> HttpResponse:
    meeting = _meeting(uid)
    _require(request, "meetings.add_agenda_item", meeting)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = _attempt(
            request,
            form,
            lambda: services.agenda_item_add(
                meeting=meeting,
                title=data["title"],
                kind=data["kind"],
                description=data["description"],
                actor=request.user,
            ),
        )
        if item is not None:
            messages.success(request, _("Acara ditambahkan ke agenda."))
            return redirect("meetings:detail", uid=meeting.uid)
    return _form_page(
        request,
        form=form,
        title=_("Usulkan acara: %(title)s") % {"title": meeting.title},
        intro=_("Setiap anggota forum, dari sektor mana pun, dapat mengusulkan acara. Nama dan sektor Anda dicatat."),
        submit=_("Tambahkan acara"),
        back_url=meeting_url(meeting),
        meeting=meeting,
    )


def _simple_action(
    request: HttpRequest, uid: str, perm: str, action: Callable[[Meeting], Any], success: str
) -> HttpResponse:
    meeting = _meeting(uid)
    _require(request, perm, meeting)
    if _attempt(request, None, lambda: action(meeting)) is not None:
        messages.success(request, success)
    return redirect("meetings:detail", uid=meeting.uid)


@login_required
@require_POST
def agenda_publish(request: HttpRequest, uid: str) -> HttpResponse:
    return _simple_action(
        request,
        uid,
        "meetings.publish_agenda",
        lambda m: services.agenda_publish(meeting=m, actor=request.user),
        _("Agenda diumumkan."),
    )


@login_required
@require_POST
def invitations_send(request: HttpRequest, uid: str) -> HttpResponse:
    return _simple_action(
        request,
        uid,
        "meetings.send_invitations",
        lambda m: services.meeting_invitations_send(meeting=m, actor=request.user),
        _("Undangan dikirim."),
    )


@login_required
@require_POST
def invitation_respond(request: HttpRequest, uid: str) -> HttpResponse:
    meeting = _meeting(uid)
    # Administrators name the invitation they answer for; members answer their own.
    chosen = request.POST.get("invitation", "")
    if chosen.isdigit() and len(chosen) < 19:
        invitation = Invitation.objects.filter(meeting=meeting, pk=int(chosen)).select_related("member").first()
    else:
        invitation = user_invitation(meeting=meeting, user=request.user)
    if invitation is None or not request.user.has_perm("meetings.respond_invitation", invitation):
        raise PermissionDenied(_("Anda tidak diundang ke rapat ini."))
    form = InvitationResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih jawaban Anda."))
    elif _attempt(
        request,
        None,
        lambda: services.invitation_respond(
            invitation=invitation, response=form.cleaned_data["response"], actor=request.user
        ),
    ):
        messages.success(request, _("Jawaban Anda tercatat."))
    return redirect("meetings:detail", uid=meeting.uid)


# --- The session -----------------------------------------------------------------------------


@login_required
@require_POST
def meeting_open(request: HttpRequest, uid: str) -> HttpResponse:
    return _simple_action(
        request,
        uid,
        "meetings.run_meeting",
        lambda m: services.meeting_open(meeting=m, actor=request.user),
        _("Rapat dibuka."),
    )


@login_required
@require_POST
def meeting_close(request: HttpRequest, uid: str) -> HttpResponse:
    return _simple_action(
        request,
        uid,
        "meetings.run_meeting",
        lambda m: services.meeting_close(meeting=m, actor=request.user),
        _("Rapat ditutup."),
    )


@login_required
def attendance_record(request: HttpRequest, uid: str) -> HttpResponse:
    meeting = _meeting(uid)
    _require(request, "meetings.record_attendance", meeting)
    members = list(forum_active_members(forum=meeting.forum))
    current = {row.member_id: row.status for row in meeting_attendance(meeting=meeting)}
    form = RollCallForm(request.POST or None, members=members, initial_statuses=current)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            request,
            form,
            lambda: services.attendance_record(meeting=meeting, statuses=form.statuses(), actor=request.user),
        )
        if done is not None:
            messages.success(request, _("Daftar hadir dicatat."))
            return redirect("meetings:detail", uid=meeting.uid)
    return _form_page(
        request,
        form=form,
        title=_("Daftar hadir: %(title)s") % {"title": meeting.title},
        intro=_("Catat kehadiran setiap anggota aktif: hadir, izin, atau absen. Kuorum dihitung dari piagam forum."),
        submit=_("Simpan daftar hadir"),
        back_url=meeting_url(meeting),
        meeting=meeting,
    )


@login_required
def outcome_record(request: HttpRequest, uid: str, item_id: int) -> HttpResponse:
    meeting = _meeting(uid)
    if item_id > 2**62:
        raise Http404
    item = get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)
    _require(request, "meetings.record_outcome", item)
    form = OutcomeForm(request.POST or None, initial={"outcome": item.outcome})
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            request,
            form,
            lambda: services.agenda_item_record_outcome(
                item=item, outcome=form.cleaned_data["outcome"], actor=request.user
            ),
        )
        if done is not None:
            messages.success(request, _("Hasil acara dicatat."))
            return redirect("meetings:detail", uid=meeting.uid)
    return _form_page(
        request,
        form=form,
        title=_("Hasil acara: %(title)s") % {"title": item.title},
        intro=_("Acara pengambilan keputusan hanya dapat diputuskan bila rapat kuorum."),
        submit=_("Simpan hasil"),
        back_url=meeting_url(meeting),
        meeting=meeting,
    )


# --- Minutes ---------------------------------------------------------------------------------


def _minutes(meeting: Meeting) -> Minutes:
    return get_object_or_404(Minutes, meeting=meeting)


@login_required
def minutes_edit(request: HttpRequest, uid: str) -> HttpResponse:
    """Draft the minutes, or edit the draft."""
    meeting = _meeting(uid)
    _require(request, "meetings.draft_minutes", meeting)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    form = MinutesForm(request.POST or None, initial={"body": minutes.body if minutes else ""})
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        if minutes is None:
            done = _attempt(
                request, form, lambda: services.minutes_draft(meeting=meeting, body=body, actor=request.user)
            )
        else:
            done = _attempt(
                request, form, lambda: services.minutes_update(minutes=minutes, body=body, actor=request.user)
            )
        if done is not None:
            messages.success(request, _("Notulen disimpan."))
            return redirect("meetings:detail", uid=meeting.uid)
    return _form_page(
        request,
        form=form,
        title=_("Notulen: %(title)s") % {"title": meeting.title},
        submit=_("Simpan notulen"),
        back_url=meeting_url(meeting),
        meeting=meeting,
    )


def _minutes_action(
    request: HttpRequest, uid: str, perm: str, action: Callable[[Minutes], Any], success: str
) -> HttpResponse:
    meeting = _meeting(uid)
    _require(request, perm, meeting)
    minutes = _minutes(meeting)
    if _attempt(request, None, lambda: action(minutes)) is not None:
        messages.success(request, success)
    return redirect("meetings:detail", uid=meeting.uid)


@login_required
@require_POST
def minutes_submit(request: HttpRequest, uid: str) -> HttpResponse:
    return _minutes_action(
        request,
        uid,
        "meetings.draft_minutes",
        lambda m: services.minutes_submit_for_review(minutes=m, actor=request.user),
        _("Notulen diajukan untuk ditinjau anggota yang hadir."),
    )


@login_required
@require_POST
def minutes_approve(request: HttpRequest, uid: str) -> HttpResponse:
    return _minutes_action(
        request,
        uid,
        "meetings.approve_minutes",
        lambda m: services.minutes_approve(minutes=m, actor=request.user),
        _("Notulen disahkan dan dibekukan."),
    )


@login_required
@require_POST
def minutes_return(request: HttpRequest, uid: str) -> HttpResponse:
    form = MinutesReturnForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _minutes_action(
        request,
        uid,
        "meetings.draft_minutes",
        lambda m: services.minutes_return_to_draft(minutes=m, reason=reason, actor=request.user),
        _("Notulen dikembalikan ke draf sebagai versi baru."),
    )


@login_required
def minutes_review(request: HttpRequest, uid: str) -> HttpResponse:
    meeting = _meeting(uid)
    _require(request, "meetings.review_minutes", meeting)
    minutes = _minutes(meeting)
    present = None
    if request.user.is_superuser:
        present = [
            row.member
            for row in Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.PRESENT).select_related(
                "member__person"
            )
        ]
    form = MinutesReviewForm(request.POST or None, present_members=present)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            request,
            form,
            lambda: services.minutes_review(
                minutes=minutes,
                verdict=form.cleaned_data["verdict"],
                comment=form.cleaned_data["comment"],
                member=form.on_behalf_of(),
                actor=request.user,
            ),
        )
        if done is not None:
            messages.success(request, _("Tanggapan Anda atas notulen tercatat."))
            return redirect("meetings:detail", uid=meeting.uid)
    return _form_page(
        request,
        form=form,
        title=_("Tinjau notulen: %(title)s") % {"title": meeting.title},
        intro=_("Versi %(version)d. Hanya anggota yang hadir yang dapat meninjau.") % {"version": minutes.version},
        submit=_("Kirim tanggapan"),
        back_url=meeting_url(meeting),
        meeting=meeting,
    )
