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
# Detail pages stay under 30 KB however large an organisation grows; the rest is one link away.
CHILDREN_SHOWN = 40
MEMBERS_SHOWN = 60
FORUMS_SHOWN = 30


def _param(request: HttpRequest, name: str, max_length: int) -> str:
    # NUL characters are refused by PostgreSQL; nobody types them on purpose.
    return request.GET.get(name, "")[:max_length].replace("\x00", "")


def _filters(request: HttpRequest) -> dict[str, object]:
    return {
        "q": _param(request, "q", 100),
        "sector": _param(request, "sektor", 30),
        "kind": _param(request, "jenis", 40),
        "parent": _param(request, "induk", 120),
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
            "children": organisation_children(organisation)[:CHILDREN_SHOWN],
            "children_count": organisation_children(organisation).count(),
            "members": organisation_current_members(organisation)[:MEMBERS_SHOWN],
            "members_count": organisation_current_members(organisation).count(),
            "unlisted_members": organisation_unlisted_member_count(organisation),
            "forums": organisation_forums(organisation, limit=FORUMS_SHOWN),
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
            "memberships": person_memberships(person)[:MEMBERS_SHOWN],
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
