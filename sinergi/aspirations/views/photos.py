"""Aspiration photos, served through a view rather than as static media: a confidential case's photos
reach only the officers who may open the case, and nothing under MEDIA_ROOT is ever public by path."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from sinergi.aspirations.models import Photo
from sinergi.aspirations.states import Privacy

PUBLIC_MAX_AGE = 86_400  # a stored photo never changes: its file name is its uid


@require_GET
def photo_view(request: HttpRequest, uid: Any) -> FileResponse:
    photo = Photo.objects.select_related("aspiration").filter(uid=uid).first()
    if photo is None:
        raise Http404
    case = photo.aspiration
    hidden = case.privacy == Privacy.CONFIDENTIAL
    if hidden and not request.user.has_perm("aspirations.view_officer_case", case):
        # Same answer as a missing photo would get for anonymous visitors; officers learn they lack the right.
        if request.user.is_authenticated:
            raise PermissionDenied
        raise Http404
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=photo.content_type)
    response["Content-Length"] = str(photo.size_bytes)
    response["Cache-Control"] = "private, no-store" if hidden else f"public, max-age={PUBLIC_MAX_AGE}, immutable"
    return response


urlpatterns: list[URLPattern] = [path("foto/<uuid:uid>/", photo_view, name="photo")]
