from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sinergi.ledger.models import LedgerEntry
from sinergi.ledger.selectors import ledger_verify_chain


class Command(BaseCommand):
    help = "Verify the public log's hash chain; exits non-zero when any entry was altered."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = list(ledger_verify_chain())
        for problem in problems:
            self.stderr.write(f"entry #{problem.sequence}: {problem.problem}")
        if problems:
            raise CommandError(f"public log is NOT intact: {len(problems)} problem(s)")
        head = LedgerEntry.objects.order_by("-sequence").first()
        count = head.sequence if head else 0
        self.stdout.write(f"public log intact: {count} entries, head {head.entry_hash if head else '-'}")
