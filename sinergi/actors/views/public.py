from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sinergi.actors.selectors import (
    kind_list,
    organisation_ancestors,
    organisation_children,
    organisation_current_members,
    organisation_forums,
    organisation_get,
    organisation_list,
    organisation_unlisted_member_count,
    person_get_listed,
    person_memberships,
    sector_get,
    sector_list,
)

PAGE_SIZE = 50


def _filters(request: HttpRequest) -> dict[str, object]:
    return {
        "q": request.GET.get("q", "")[:100],
        "sector": request.GET.get("sektor", "")[:30],
        "kind": request.GET.get("jenis", "")[:40],
        "include_invalid": request.GET.get("semua") == "1",
    }


def organisation_list_view(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    organisations = organisation_list(**filters)  # type: ignore[arg-type]
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "actors/public/organisation_list.html",
        {"page": page, "filters": filters, "sectors": sector_list(), "kinds": kind_list()},
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_get(slug)
    if organisation is None:
        raise Http404
    return render(
        request,
        "actors/public/organisation_detail.html",
        {
            "organisation": organisation,
            "ancestors": organisation_ancestors(organisation),
            "children": organisation_children(organisation)[:200],
            "members": organisation_current_members(organisation)[:200],
            "unlisted_members": organisation_unlisted_member_count(organisation),
            "forums": organisation_forums(organisation),
            "aliases": organisation.aliases.order_by("valid_from", "name"),
            "can_change": request.user.has_perm("actors.change_organisation", organisation),
            "can_add_membership": request.user.has_perm("actors.add_membership", organisation),
        },
    )


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = person_get_listed(slug)
    if person is None:
        raise Http404
    return render(
        request,
        "actors/public/person_detail.html",
        {
            "person": person,
            "memberships": person_memberships(person)[:200],
            "can_change": request.user.has_perm("actors.change_person", person),
        },
    )


def sector_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "actors/public/sector_list.html", {"sectors": sector_list()})


def sector_detail(request: HttpRequest, code: str) -> HttpResponse:
    sector = sector_get(code)
    if sector is None:
        raise Http404
    page = Paginator(organisation_list(sector=sector.code), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "actors/public/sector_detail.html", {"sector": sector, "page": page})
