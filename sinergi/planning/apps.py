from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "sinergi.planning"
    label = "planning"
    verbose_name = _("Perencanaan: reses, pokir, Musrenbang")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sinergi.planning import permissions  # noqa: F401  (registers the rules)
