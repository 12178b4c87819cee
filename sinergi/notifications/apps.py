from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "sinergi.notifications"
    label = "notifications"
    verbose_name = "Notifikasi"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the app's rules)
