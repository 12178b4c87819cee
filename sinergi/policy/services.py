"""Writes for policy objects (criterion C6)."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.actors.models import Organisation
from sinergi.core.errors import RuleViolation
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.services import ledger_record
from sinergi.policy.models import PolicyObject, PolicyObjectKind


@transaction.atomic
def policy_object_create(
    *,
    actor: Any,
    kind: str,
    title: str,
    code: str = "",
    description: str = "",
    responsible_organisation: Organisation | None = None,
) -> PolicyObject:
    """Register what forums, proposals and decisions can be about; one log entry."""
    title = title.strip()
    code = code.strip()
    if kind not in PolicyObjectKind.values:
        raise RuleViolation(_("Jenis objek kebijakan tidak dikenal."))
    if not title:
        raise RuleViolation(_("Judul objek kebijakan wajib diisi."))
    if code and PolicyObject.objects.filter(kind=kind, code=code).exists():
        raise RuleViolation(_("Objek kebijakan dengan jenis dan kode ini sudah terdaftar."))
    policy_object = PolicyObject.objects.create(
        kind=kind,
        title=title,
        code=code,
        description=description.strip(),
        responsible_organisation=responsible_organisation,
    )
    ledger_record(
        event=LedgerEvent.POLICY_OBJECT_CREATED,
        actor=actor,
        subject_type="policy_object",
        subject_id=str(policy_object.uid),
        data={
            "kind": kind,
            "code": code,
            "title": title,
            "responsible_organisation": str(responsible_organisation.uid) if responsible_organisation else None,
        },
    )
    return policy_object
