from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "sinergi.meetings"
    label = "meetings"
    verbose_name = "Rapat"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the app's rules)
