from django.contrib import admin
from django.http import HttpRequest

from sinergi.forums.models import Forum, ForumMember


class ReadOnlyAdmin(admin.ModelAdmin):
    """Forums change only through their services (and so the public log): the pages and the API.
    The back office may look, not touch."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Forum)
class ForumAdmin(ReadOnlyAdmin):
    list_display = ("name", "status", "convener", "activated_at", "closed_at")
    list_filter = ("status",)
    search_fields = ("name", "slug")
    list_select_related = ("convener",)


@admin.register(ForumMember)
class ForumMemberAdmin(ReadOnlyAdmin):
    list_display = ("person", "forum", "sector", "role", "status")
    list_filter = ("status", "role", "sector")
    search_fields = ("person__full_name", "forum__name")
    list_select_related = ("person", "forum", "sector")
