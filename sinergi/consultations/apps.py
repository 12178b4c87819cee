from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "sinergi.consultations"
    label = "consultations"
    verbose_name = "Konsultasi publik"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the app's rules)
