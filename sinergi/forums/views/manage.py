"""Steward and member pages: convene, charter, invitations, applications, lifecycle."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.actors.models import Organisation, Person
from sinergi.actors.selectors import user_acting_organisations, user_public_institutions
from sinergi.core.errors import NotPermitted, RuleViolation
from sinergi.forums.forms import (
    ApplyForm,
    CharterForm,
    CloseForm,
    ConveneForm,
    DecisionForm,
    InviteForm,
    PolicyLinkForm,
    RoleForm,
)
from sinergi.forums.models import Forum, ForumMember
from sinergi.forums.selectors import forum_members, forum_pending_members
from sinergi.forums.services import (
    forum_activate,
    forum_charter_update,
    forum_close,
    forum_convene,
    forum_member_accept,
    forum_member_apply,
    forum_member_approve,
    forum_member_decline,
    forum_member_invite,
    forum_member_leave,
    forum_member_reject,
    forum_member_set_role,
    forum_policy_object_link,
)
from sinergi.forums.states import ForumStatus
from sinergi.forums.views.public import get_forum_or_404

MAX_ID = 2**62


def require_perm(request: HttpRequest, perm: str, obj: Any, message: str) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(message)


def get_member_or_404(forum: Forum, member_id: int) -> ForumMember:
    if not 0 < member_id <= MAX_ID:
        raise Http404
    try:
        return forum.members.select_related("person", "sector", "organisation").get(pk=member_id)
    except ForumMember.DoesNotExist as error:
        raise Http404 from error


def _convenable_institutions(user: Any) -> Any:
    if user.is_superuser:
        return Organisation.objects.filter(kind__is_public_institution=True).select_related("kind")
    return user_public_institutions(user)


def _back_to_forum(forum: Forum) -> HttpResponse:
    return redirect("forums:detail", slug=forum.slug)


@login_required
def forum_convene_view(request: HttpRequest) -> HttpResponse:
    require_perm(
        request,
        "forums.convene_forum",
        None,
        _(
            "Hanya orang yang bertindak atas nama lembaga publik (Pemkot/OPD, DPRD, kecamatan, kelurahan) "
            "yang dapat membentuk forum."
        ),
    )
    form = ConveneForm(request.POST or None, institutions=_convenable_institutions(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            forum = forum_convene(
                actor=request.user,
                convener=form.cleaned_data["convener"],
                seats=form.seat_specs(),
                **form.charter_values(),
            )
        except NotPermitted as error:
            raise PermissionDenied(error.message) from error
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Forum dibentuk sebagai draf. Lengkapi anggota dan fokus kebijakannya."))
            return _back_to_forum(forum)
    return render(request, "forums/manage/convene.html", {"form": form})


@login_required
def charter_edit(request: HttpRequest, slug: str) -> HttpResponse:
    forum = get_forum_or_404(slug)
    require_perm(request, "forums.change_forum", forum, _("Hanya pengelola forum yang dapat mengubah piagam."))
    if forum.status == ForumStatus.CLOSED:
        messages.error(request, _("Forum ini sudah ditutup."))
        return _back_to_forum(forum)
    lock = forum.status != ForumStatus.DRAFT
    form = CharterForm(request.POST or None, initial=CharterForm.initial_for(forum), lock_structure=lock)
    if request.method == "POST" and form.is_valid():
        try:
            forum_charter_update(
                actor=request.user,
                forum=forum,
                seats=None if lock else form.seat_specs(),
                **form.charter_values(),
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Piagam diperbarui."))
            return _back_to_forum(forum)
    return render(
        request,
        "forums/manage/charter_edit.html",
        {"forum": forum, "form": form, "policy_form": PolicyLinkForm(), "locked": lock},
    )


@login_required
@require_POST
def policy_link(request: HttpRequest, slug: str) -> HttpResponse:
    forum = get_forum_or_404(slug)
    require_perm(request, "forums.change_forum", forum, _("Hanya pengelola forum yang dapat mengubah fokus kebijakan."))
    form = PolicyLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih objek kebijakan yang terdaftar."))
        return redirect("forums:charter_edit", slug=forum.slug)
    try:
        forum_policy_object_link(actor=request.user, forum=forum, policy_object=form.cleaned_data["policy_object"])
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Fokus kebijakan ditautkan."))
    return redirect("forums:charter_edit", slug=forum.slug)


@login_required
def member_invite(request: HttpRequest, slug: str) -> HttpResponse:
    forum = get_forum_or_404(slug)
    require_perm(request, "forums.invite_member", forum, _("Hanya pengelola forum yang dapat mengundang anggota."))
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = Person.objects.filter(slug=form.cleaned_data["person"].strip()).first()
        org_slug = form.cleaned_data["organisation"].strip()
        organisation = Organisation.objects.filter(slug=org_slug).first() if org_slug else None
        if person is None:
            form.add_error("person", _("Profil orang ini tidak ditemukan di direktori."))
        elif org_slug and organisation is None:
            form.add_error("organisation", _("Organisasi ini tidak ditemukan di direktori."))
        else:
            try:
                forum_member_invite(
                    actor=request.user,
                    forum=forum,
                    person=person,
                    organisation=organisation,
                    role=form.cleaned_data["role"],
                )
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Undangan dikirim kepada %(person)s.") % {"person": person.full_name})
                return redirect("forums:members_manage", slug=forum.slug)
    return render(request, "forums/manage/invite.html", {"forum": forum, "form": form})


@login_required
def members_manage(request: HttpRequest, slug: str) -> HttpResponse:
    forum = get_forum_or_404(slug)
    require_perm(
        request, "forums.decide_membership", forum, _("Hanya pengelola forum yang dapat meninjau keanggotaan.")
    )
    return render(
        request,
        "forums/manage/members.html",
        {
            "forum": forum,
            "pending": forum_pending_members(forum)[:100],
            "active": forum_members(forum)[:200],
            "decision_form": DecisionForm(),
            "role_form": RoleForm(),
        },
    )


@login_required
@require_POST
def member_decide(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    forum = get_forum_or_404(slug)
    require_perm(
        request, "forums.decide_membership", forum, _("Hanya pengelola forum yang dapat memutuskan permohonan.")
    )
    member = get_member_or_404(forum, member_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih terima atau tolak."))
        return redirect("forums:members_manage", slug=forum.slug)
    try:
        if form.cleaned_data["decision"] == "approve":
            forum_member_approve(actor=request.user, member=member, reason=form.cleaned_data["reason"])
            messages.success(request, _("Permohonan diterima."))
        else:
            forum_member_reject(actor=request.user, member=member, reason=form.cleaned_data["reason"])
            messages.success(request, _("Permohonan ditolak."))
    except RuleViolation as error:
        messages.error(request, error.message)
    return redirect("forums:members_manage", slug=forum.slug)


@login_required
@require_POST
def member_set_role(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    forum = get_forum_or_404(slug)
    require_perm(
        request, "forums.set_member_role", forum, _("Hanya pengelola forum yang dapat mengubah peran anggota.")
    )
    member = get_member_or_404(forum, member_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih peran yang tersedia."))
    else:
        try:
            forum_member_set_role(actor=request.user, member=member, role=form.cleaned_data["role"])
        except RuleViolation as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Peran anggota diubah."))
    return redirect("forums:members_manage", slug=forum.slug)


@login_required
@require_POST
def invitation_respond(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    forum = get_forum_or_404(slug)
    member = get_member_or_404(forum, member_id)
    require_perm(request, "forums.respond_invitation", member, _("Undangan ini bukan untuk Anda."))
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, _("Pilih terima atau tolak undangan."))
        return _back_to_forum(forum)
    try:
        if answer == "accept":
            forum_member_accept(actor=request.user, member=member)
            messages.success(request, _("Selamat bergabung di forum ini."))
        else:
            forum_member_decline(actor=request.user, member=member)
            messages.success(request, _("Undangan ditolak."))
    except RuleViolation as error:
        messages.error(request, error.message)
    return _back_to_forum(forum)


@login_required
@require_POST
def forum_activate_view(request: HttpRequest, slug: str) -> HttpResponse:
    forum = get_forum_or_404(slug)
    require_perm(request, "forums.activate_forum", forum, _("Hanya pengelola forum yang dapat mengaktifkan forum."))
    try:
        forum_activate(actor=request.user, forum=forum)
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Forum aktif."))
    return _back_to_forum(forum)


@login_required
@require_POST
def forum_close_view(request: HttpRequest, slug: str) -> HttpResponse:
    forum = get_forum_or_404(slug)
    require_perm(request, "forums.close_forum", forum, _("Hanya pengelola forum yang dapat menutup forum."))
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Catatan penutupan terlalu panjang (maksimal 2000 karakter)."))
        return _back_to_forum(forum)
    try:
        forum_close(actor=request.user, forum=forum, note=form.cleaned_data["note"])
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Forum ditutup."))
    return _back_to_forum(forum)


@login_required
def forum_apply_view(request: HttpRequest, slug: str) -> HttpResponse:
    forum = get_forum_or_404(slug)
    require_perm(
        request,
        "forums.apply_membership",
        forum,
        _("Permohonan hanya untuk pengguna dengan profil yang belum menjadi anggota forum ini."),
    )
    form = ApplyForm(request.POST or None, organisations=user_acting_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            forum_member_apply(
                actor=request.user,
                forum=forum,
                organisation=form.cleaned_data["organisation"],
                motivation=form.cleaned_data["motivation"],
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Permohonan Anda terkirim dan menunggu keputusan pengelola forum."))
            return _back_to_forum(forum)
    return render(request, "forums/manage/apply.html", {"forum": forum, "form": form})


@login_required
@require_POST
def member_leave(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    forum = get_forum_or_404(slug)
    member = get_member_or_404(forum, member_id)
    require_perm(request, "forums.leave_forum", member, _("Hanya anggota itu sendiri yang dapat keluar dari forum."))
    try:
        forum_member_leave(actor=request.user, member=member)
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Keanggotaan di forum ini berakhir."))
    return _back_to_forum(forum)
