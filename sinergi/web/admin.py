from django.contrib import admin
from django.http import HttpRequest


class SinergiAdminSite(admin.AdminSite):
    """The back office is for platform administrators (superusers) only; officials work in
    the manage pages, which go through services and the public log."""

    site_header = "Sinergi Sakti — administrasi platform"
    site_title = "Sinergi Sakti"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)
