from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sinergi.accounts"
    label = "accounts"
    verbose_name = "Akun"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the app's rules)
