from django.apps import AppConfig


class Open311Config(AppConfig):
    """Open311 GeoReport v2 over the aspirations: no models, no permissions of its own (reads are
    public; a POST needs the API token of an active user)."""

    name = "sinergi.open311"
    label = "open311"
    verbose_name = "Open311"
