from django.apps import AppConfig


class ActorsConfig(AppConfig):
    name = "sinergi.actors"
    label = "actors"
    verbose_name = "Aktor"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the app's rules)
