"""Who may do what with aspirations (django-rules, default deny).

Sections per part of the lifecycle; each part adds its rules in its own section.
"""

import rules  # noqa: F401

# --- intake and tracking ------------------------------------------------------------------------

# --- officers: verification, disposition, response --------------------------------------------

# --- support (dukung) and merging ---------------------------------------------------------------
