from typing import Any

from django.core.management.base import BaseCommand

from sinergi.aspirations.categories import aspiration_categories_load


class Command(BaseCommand):
    help = "Create or update the aspiration categories from the shipped routing data (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = aspiration_categories_load()
        self.stdout.write(f"aspiration categories: {counts['created']} created, {counts['updated']} updated")
