from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from sinergi.web.demo import DEMO_PASSWORD, build_demo, demo_exists


class Command(BaseCommand):
    help = "Load Kota Blitar data and the fictional demo (people for every role, three forums, a year of meetings)."

    def handle(self, *args: Any, **options: Any) -> None:
        def load_kota_blitar() -> None:
            call_command("load_kota_blitar", verbosity=options["verbosity"])
            # Aspiration categories name Kota Blitar's OPD: loaded with them, at the start of the demo year.
            call_command("load_aspiration_categories", verbosity=options["verbosity"])

        if demo_exists():
            load_kota_blitar()
            self.stdout.write("Demo already present; nothing to add.")
            return
        summary = build_demo(prepare=load_kota_blitar)
        self.stdout.write(
            f"Demo ready: {len(summary['forums'])} forums, {summary['meetings_closed']} meetings held, "
            f"{summary['acts']} recorded acts."
        )
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}):")
        for username, role in summary["accounts"]:
            self.stdout.write(f"  {username:<12} {role}")
