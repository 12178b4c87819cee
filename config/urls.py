from django.contrib import admin
from django.urls import include, path

from sinergi.api import api

urlpatterns = [
    # Machine clients first: a request is matched against the patterns in order, and the API and
    # Open311 take most of the writes (the web pages' patterns are many).
    path("api/v1/", api.urls),
    path("open311/v2/", include("sinergi.open311.urls")),
    path("", include("sinergi.web.urls")),
    path("akun/", include("sinergi.accounts.urls")),
    path("direktori/", include("sinergi.actors.urls")),
    path("wilayah/", include("sinergi.regions.urls")),
    path("forum/", include("sinergi.forums.urls")),
    path("rapat/", include("sinergi.meetings.urls")),
    path("log/", include("sinergi.ledger.urls")),
    path("aspirasi/", include("sinergi.aspirations.urls")),
    path("perencanaan/", include("sinergi.planning.urls")),
    path("konsultasi/", include("sinergi.consultations.urls")),
    path("notifikasi/", include("sinergi.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "sinergi.web.views.public.bad_request"
handler403 = "sinergi.web.views.public.permission_denied"
handler404 = "sinergi.web.views.public.page_not_found"
handler500 = "sinergi.web.views.public.server_error"
