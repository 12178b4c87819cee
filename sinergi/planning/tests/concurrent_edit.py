"""Child process of `test_edit_racing_verification_loses_neither`: in each round the member corrects a
proposed pokir item while Setwan verifies it, both starting at once from copies loaded before.

Run against a fresh file database: ``DATABASE_URL=sqlite:////tmp/x.sqlite3 python -m
sinergi.planning.tests.concurrent_edit``. Prints one JSON line with each round's outcome.
"""

from __future__ import annotations

import json
import sys
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

ROUNDS = 12


def run() -> dict[str, Any]:
    from django.db import connection

    from sinergi.actors.reference_data import reference_data_load
    from sinergi.actors.tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, kind, role
    from sinergi.ledger.models import LedgerEntry
    from sinergi.planning import services
    from sinergi.planning.models import PokirItem
    from sinergi.planning.states import PokirStatus

    reference_data_load()

    def staff(organisation: Any, role_code: str) -> Any:
        return MembershipFactory(person=PersonFactory(), organisation=organisation, role=role(role_code)).person.user

    member = staff(OrganisationFactory(name="DPRD Uji", kind=kind("dprd")), "anggota-dprd")
    setwan = staff(OrganisationFactory(name="Sekretariat DPRD", slug="sekretariat-dprd", kind=kind("opd")), "staf")
    opd = OrganisationFactory(name="Dinas PUPR Uji", kind=kind("opd"))

    def data(unit: str) -> Any:
        return services.PokirInput(
            title="Normalisasi saluran",
            description="Saluran meluap tiap hujan.",
            location_text="Jl. Kalimantan 3",
            volume=Decimal(150),
            unit=unit,
            target_group="Warga RW 03",
            opd=opd,
            program_code="1.03.02",
            program_name="P",
            activity_code="1.03.02.2.01",
            activity_name="K",
            sub_activity_code="1.03.02.2.01.0012",
            sub_activity_name="S",
            budget_estimate=Decimal(1_000_000),
            fiscal_year=2028,
        )

    rounds: list[dict[str, Any]] = []
    errors: list[str] = []
    for _ in range(ROUNDS):
        item = services.pokir_propose(actor=member, data=data("meter"))
        editor_copy, verifier_copy = PokirItem.objects.get(pk=item.pk), PokirItem.objects.get(pk=item.pk)
        barrier = threading.Barrier(2)
        outcome: dict[str, Any] = {"edit": None}

        def edit(copy: Any = editor_copy, outcome: dict[str, Any] = outcome, barrier: Any = barrier) -> None:
            try:
                barrier.wait()
                services.pokir_edit(item=copy, actor=member, data=data("m"))
                outcome["edit"] = "saved"
            except services.PokirEditConflict as error:
                outcome["edit"] = error.code
            except Exception as error:
                errors.append(repr(error))
            finally:
                connection.close()

        def verify(copy: Any = verifier_copy, barrier: Any = barrier) -> None:
            try:
                barrier.wait()
                services.pokir_transition(item=copy, actor=setwan, to_status=PokirStatus.VERIFIED)
            except Exception as error:
                errors.append(repr(error))
            finally:
                connection.close()

        threads = [threading.Thread(target=edit), threading.Thread(target=verify)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        item.refresh_from_db()
        rounds.append(
            {
                "edit": outcome["edit"],
                "status": item.status,
                "unit": item.unit,
                "history": ["edit" if c.is_edit else c.to_status for c in item.history.order_by("created_at", "pk")],
                "logged_edits": LedgerEntry.objects.filter(
                    subject_id=str(item.uid), event_type="pokir.item_updated"
                ).count(),
            }
        )
    return {"errors": errors, "rounds": rounds}


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    print(json.dumps(run()))
