"""Who may see which notices (django-rules, default deny).

A signed-in person reads the notices addressed to their own account; administrators see the outbox
overview (counts and failures, never an address).
"""

import rules

from sinergi.actors.predicates import is_administrator, is_signed_in

rules.add_perm("notifications.view_own_notifications", is_signed_in)
rules.add_perm("notifications.view_outbox", is_administrator)
