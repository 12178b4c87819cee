"""Who may do what with consultations (django-rules, default deny)."""

import rules  # noqa: F401
