"""A small explicit state-machine helper shared by every lifecycle."""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from sinergi.core.errors import InvalidTransition


def check_transition(allowed: Mapping[str, frozenset[str]], current: str, target: str, *, label: str = "") -> None:
    if target not in allowed.get(current, frozenset()):
        raise InvalidTransition(
            _("Perubahan status %(label)s dari “%(current)s” ke “%(target)s” tidak diizinkan.")
            % {"label": label, "current": current, "target": target}
        )
