from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sinergi.forums.forms import CloseForm, ForumFilterForm
from sinergi.forums.models import Forum
from sinergi.forums.selectors import (
    forum_criteria,
    forum_get,
    forum_governance_index,
    forum_list_public,
    forum_meetings,
    forum_members,
    forum_members_by_sector,
    forum_status_counts,
)
from sinergi.forums.states import ForumMemberStatus

# Members shown per sector on the forum page; the full list is paginated on its own page.
MEMBERS_PER_SECTOR_ON_DETAIL = 8


def get_forum_or_404(slug: str) -> Forum:
    try:
        return forum_get(slug=slug)
    except Forum.DoesNotExist as error:
        raise Http404 from error


def forum_list(request: HttpRequest) -> HttpResponse:
    form = ForumFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        filters = {"status": form.cleaned_data["status"] or None, "sector": form.cleaned_data["sector"]}
    page = Paginator(forum_list_public(**filters), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "forums/public/forum_list.html",
        {"page": page, "forums": page.object_list, "filter_form": form, "status_counts": forum_status_counts()},
    )


def forum_detail(request: HttpRequest, slug: str) -> HttpResponse:
    forum = get_forum_or_404(slug)
    groups = forum_members_by_sector(forum)
    my_seat = None
    person = getattr(request.user, "person", None) if request.user.is_authenticated else None
    if person is not None:
        my_seat = forum.members.filter(person=person).first()
    return render(
        request,
        "forums/public/forum_detail.html",
        {
            "forum": forum,
            "charter": forum.charter,
            "groups": groups,
            "members_shown": MEMBERS_PER_SECTOR_ON_DETAIL,
            "criteria": forum_criteria(forum, groups=groups),
            "index": forum_governance_index(forum, groups=groups),
            "meetings": forum_meetings(forum),
            "my_seat": my_seat,
            "pending_invitation": my_seat if my_seat and my_seat.status == ForumMemberStatus.INVITED else None,
            "close_form": CloseForm(),
        },
    )


def forum_member_list(request: HttpRequest, slug: str) -> HttpResponse:
    forum = get_forum_or_404(slug)
    page = Paginator(forum_members(forum), 50).get_page(request.GET.get("page"))
    return render(
        request, "forums/public/member_list.html", {"forum": forum, "page": page, "members": page.object_list}
    )
