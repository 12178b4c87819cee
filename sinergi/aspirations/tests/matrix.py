"""Permission-matrix rows of the aspirations app, one section per part of the lifecycle.

Each part adds its rows to its own list below; `ACTIONS` joins them. Subjects are built fresh per
attempt, so the page attempt and the API attempt do not interfere with each other.
"""

from tests.permission_matrix import MatrixAction

# --- intake and tracking (intake helper) ---------------------------------------------------------
INTAKE_ACTIONS: list[MatrixAction] = []

# --- officers: verification, disposition, response (lifecycle helper) -----------------------------
OFFICER_ACTIONS: list[MatrixAction] = []

# --- support (dukung) and merging (support helper) -----------------------------------------------
SUPPORT_ACTIONS: list[MatrixAction] = []

ACTIONS = [*INTAKE_ACTIONS, *OFFICER_ACTIONS, *SUPPORT_ACTIONS]
