from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "sinergi.ledger"
    label = "ledger"
    verbose_name = "Log publik"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the app's rules)
