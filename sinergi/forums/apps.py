from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "sinergi.forums"
    label = "forums"
    verbose_name = "Forum"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the app's rules)
