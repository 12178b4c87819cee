"""Who may do what with aspirations (django-rules, default deny). Filled in by the services' authors."""

import rules  # noqa: F401
