from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "sinergi.regions"
    label = "regions"
    verbose_name = "Wilayah"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the app's rules)
