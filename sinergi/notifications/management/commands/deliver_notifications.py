"""Send the queued notices whose time has come (first tries left behind and retries). Cron-able:

    */1 * * * *  python manage.py deliver_notifications

Prints only counts per resulting status, never an address.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sinergi.notifications.services import SWEEP_LIMIT, notification_deliver_due


class Command(BaseCommand):
    help = "Kirim notifikasi dalam antrean yang sudah jatuh waktu (termasuk percobaan ulang)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=SWEEP_LIMIT, help="paling banyak sekian notifikasi")

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = notification_deliver_due(limit=options["limit"])
        summary = ", ".join(f"{status}={count}" for status, count in sorted(outcome.items())) or "none due"
        self.stdout.write(f"deliver_notifications: {summary}")
