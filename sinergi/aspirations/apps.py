from django.apps import AppConfig


class AspirationsConfig(AppConfig):
    name = "sinergi.aspirations"
    label = "aspirations"
    verbose_name = "Aspirasi"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the app's rules)
