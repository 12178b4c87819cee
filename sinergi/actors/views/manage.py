"""Manage pages of the directory. Each view checks its permission against the object, calls
one service, and shows the service's refusal on the form (keeping what was typed)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sinergi.actors.forms import (
    MembershipEndForm,
    MembershipForm,
    OrganisationAliasForm,
    OrganisationForm,
    PersonForm,
    SectorForm,
)
from sinergi.actors.models import Organisation, Person
from sinergi.actors.selectors import membership_get, organisation_get
from sinergi.actors.services import (
    membership_end,
    membership_start,
    organisation_alias_add,
    organisation_create,
    organisation_update,
    person_create,
    person_update,
    sector_create,
)
from sinergi.core.errors import RuleViolation


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))


def _form_page(request: HttpRequest, form: Any, *, title: str, submit: str, back: str, **extra: Any) -> HttpResponse:
    return render(
        request,
        "actors/manage/form.html",
        {"form": form, "title": title, "submit": submit, "back": back, **extra},
    )


def _organisation_or_404(slug: str) -> Organisation:
    organisation = organisation_get(slug)
    if organisation is None:
        raise Http404
    return organisation


@login_required
def organisation_create_view(request: HttpRequest) -> HttpResponse:
    _require(request, "actors.add_organisation")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_create(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Organisasi didaftarkan."))
            return redirect("actors:organisation_detail", slug=organisation.slug)
    return _form_page(
        request, form, title=_("Daftarkan organisasi"), submit=_("Simpan"), back="actors:organisation_list"
    )


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_or_404(slug)
    _require(request, "actors.change_organisation", organisation)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update(actor=request.user, organisation=organisation, **form.cleaned_data)  # type: ignore[arg-type]
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("actors:organisation_detail", slug=organisation.slug)
    return render(
        request,
        "actors/manage/organisation_edit.html",
        {
            "form": form,
            "organisation": organisation,
            "alias_form": OrganisationAliasForm(),
            "aliases": organisation.aliases.order_by("valid_from", "name"),
        },
    )


@login_required
def organisation_alias_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_or_404(slug)
    _require(request, "actors.change_organisation", organisation)
    form = OrganisationAliasForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_alias_add(actor=request.user, organisation=organisation, **form.cleaned_data)  # type: ignore[arg-type]
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Nama lain dicatat."))
            return redirect("actors:organisation_detail", slug=organisation.slug)
    return _form_page(
        request,
        form,
        title=_("Nama lain untuk %(name)s") % {"name": organisation.name},
        submit=_("Catat"),
        back="actors:organisation_list",
    )


@login_required
def membership_add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_or_404(slug)
    _require(request, "actors.add_membership", organisation)
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_start(actor=request.user, organisation=organisation, **form.cleaned_data)  # type: ignore[arg-type]
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Keanggotaan dicatat."))
            return redirect("actors:organisation_detail", slug=organisation.slug)
    return _form_page(
        request,
        form,
        title=_("Tambah anggota %(name)s") % {"name": organisation.name},
        submit=_("Tambahkan"),
        back="actors:organisation_list",
    )


@login_required
def membership_end_view(request: HttpRequest, uid: str) -> HttpResponse:
    membership = membership_get(uid)
    if membership is None:
        raise Http404
    _require(request, "actors.end_membership", membership)
    form = MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_end(actor=request.user, membership=membership, **form.cleaned_data)  # type: ignore[arg-type]
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Keanggotaan diakhiri."))
            return redirect("actors:organisation_detail", slug=membership.organisation.slug)
    return _form_page(
        request,
        form,
        title=_("Akhiri keanggotaan: %(role)s di %(organisation)s")
        % {"role": membership.role.name, "organisation": membership.organisation.name},
        submit=_("Akhiri keanggotaan"),
        back="actors:organisation_list",
    )


@login_required
def person_create_view(request: HttpRequest) -> HttpResponse:
    _require(request, "actors.add_person")
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Orang didaftarkan."))
            if person.is_listed:
                return redirect("actors:person_detail", slug=person.slug)
            return redirect("actors:organisation_list")
    return _form_page(
        request, form, title=_("Daftarkan orang (tokoh publik)"), submit=_("Simpan"), back="actors:organisation_list"
    )


@login_required
def person_edit(request: HttpRequest, slug: str) -> HttpResponse:
    person = Person.objects.filter(slug=slug).first()
    if person is None or not (person.is_listed or request.user.has_perm("actors.change_person", person)):
        raise Http404
    _require(request, "actors.change_person", person)
    initial = {field: getattr(person, field) for field in ("full_name", "public_title", "bio", "is_listed")}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(actor=request.user, person=person, **form.cleaned_data)  # type: ignore[arg-type]
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Profil disimpan."))
            if person.is_listed:
                return redirect("actors:person_detail", slug=person.slug)
            return redirect("accounts:profile")
    return _form_page(request, form, title=_("Ubah profil"), submit=_("Simpan"), back="actors:organisation_list")


@login_required
def sector_create_view(request: HttpRequest) -> HttpResponse:
    _require(request, "actors.add_sector")
    form = SectorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sector = sector_create(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Sektor ditambahkan."))
            return redirect("actors:sector_detail", code=sector.code)
    return _form_page(request, form, title=_("Tambah sektor"), submit=_("Simpan"), back="actors:sector_list")
