"""Mark overdue aspirations and escalate them (cron: every 15 minutes is plenty; idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from sinergi.aspirations.services.overdue import aspirations_mark_overdue


class Command(BaseCommand):
    help = "Tandai aspirasi yang melewati tenggat dan eskalasikan ke pimpinan OPD dan koordinator."

    def handle(self, *args: Any, **options: Any) -> None:
        run = aspirations_mark_overdue()
        self.stdout.write(
            f"marked={run.marked} escalated={run.escalated} cleared={run.cleared} deadlines_set={run.deadlines_set}"
        )
