from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sinergi.policy.models import PolicyObject
from sinergi.policy.services import policy_object_create


@admin.register(PolicyObject)
class PolicyObjectAdmin(admin.ModelAdmin):
    """Administrators register policy objects; creation goes through the service (public log).
    Existing rows are read-only here because forums and decisions cite them."""

    list_display = ("kind", "code", "title", "responsible_organisation")
    list_filter = ("kind",)
    search_fields = ("code", "title")
    fields = ("kind", "code", "title", "description", "responsible_organisation")

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: PolicyObject, form: Any, change: bool) -> None:
        created = policy_object_create(
            actor=request.user,
            kind=obj.kind,
            title=obj.title,
            code=obj.code,
            description=obj.description,
            responsible_organisation=obj.responsible_organisation,
        )
        obj.pk = created.pk
        obj.uid = created.uid
