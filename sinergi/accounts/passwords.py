"""Stronger password rules for officials' accounts than for citizens'.

An account is official when it is staff/superuser or acts for a public institution. Citizens
keep Django's defaults (min. 8) so that signing up on a phone stays easy.
"""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

OFFICIAL_MIN_LENGTH = 12


def is_official_account(user: Any) -> bool:
    if user is None or not getattr(user, "pk", None):
        return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))
    if user.is_staff or user.is_superuser:
        return True
    from sinergi.actors.selectors import user_public_institutions

    return user_public_institutions(user).exists()


class OfficialPasswordValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if not is_official_account(user):
            return
        problems = []
        if len(password) < OFFICIAL_MIN_LENGTH:
            problems.append(
                _("Akun pejabat/petugas memerlukan kata sandi minimal %(n)d karakter.") % {"n": OFFICIAL_MIN_LENGTH}
            )
        has_classes = (re.search(pattern, password) for pattern in (r"[A-Za-z]", r"\d", r"[^A-Za-z0-9]"))
        if not all(has_classes):
            problems.append(_("Akun pejabat/petugas memerlukan huruf, angka, dan simbol dalam kata sandi."))
        if problems:
            raise ValidationError(problems, code="official_password_weak")

    def get_help_text(self) -> str:
        return _("Akun pejabat/petugas: minimal %(n)d karakter dengan huruf, angka, dan simbol.") % {
            "n": OFFICIAL_MIN_LENGTH
        }
