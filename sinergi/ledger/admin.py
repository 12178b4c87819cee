from django.contrib import admin
from django.http import HttpRequest

from sinergi.ledger.models import LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, even for administrators."""

    list_display = ("sequence", "recorded_at", "event_type", "actor_label", "subject_type", "subject_id")
    list_filter = ("event_type", "subject_type")
    search_fields = ("subject_id", "actor", "actor_label")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
