"""Who may do what with aspirations (django-rules, default deny).

Sections per part of the lifecycle; each part adds its rules in its own section.
"""

import rules

# --- intake and tracking ------------------------------------------------------------------------
# No rules here on purpose: anybody may submit (an account is optional) and read the public pages,
# and the tracker's actions are authorised by the tracking code itself (a 60-bit secret) or by being
# the case's logged-in reporter — checked in `services/reporter.py`, not by a role.
# --- officers: verification, disposition, response --------------------------------------------
# The coordinator desk verifies and dispositions; the OPD (or DPRD komisi, or PPID) the case is
# assigned to responds and closes it. Administrators (superusers) pass every rule.
from sinergi.actors.predicates import acts_for_public_institution, is_administrator
from sinergi.aspirations.predicates import (
    acts_for_assigned_organisation,
    is_anonymous_case,
    is_aspiration_coordinator,
    is_ppid_case_officer,
)

may_coordinate = is_administrator | is_aspiration_coordinator
may_handle_case = is_administrator | acts_for_assigned_organisation | is_ppid_case_officer

rules.add_perm("aspirations.view_verification_desk", may_coordinate)
rules.add_perm("aspirations.view_opd_queue", is_administrator | is_aspiration_coordinator | acts_for_public_institution)
rules.add_perm("aspirations.view_officer_case", may_coordinate | may_handle_case)
# Identity of an anonymous reporter: never to the OPD. NIK, phone and e-mail: coordinator desk only.
rules.add_perm("aspirations.view_reporter_identity", may_coordinate | (may_handle_case & ~is_anonymous_case))
rules.add_perm("aspirations.view_reporter_contact", may_coordinate)
rules.add_perm("aspirations.verify_aspiration", may_coordinate)
rules.add_perm("aspirations.disposition_aspiration", may_coordinate)
rules.add_perm("aspirations.respond_aspiration", may_handle_case)
rules.add_perm("aspirations.mark_aspiration_investigation", may_coordinate | may_handle_case)
rules.add_perm("aspirations.extend_aspiration_deadline", may_handle_case)

# --- support (dukung) and merging ---------------------------------------------------------------
# Dukung with an account is for anyone signed in; without one, a phone proven by a one-time code
# stands in (services/support.py), so that path needs no permission. One per person, never the
# case's own reporter, only open cases: rules of the service, not of the role.
from sinergi.actors.predicates import is_administrator as _administers  # noqa: E402
from sinergi.aspirations.predicates import acts_for_assigned_organisation as _holds_case  # noqa: E402
from sinergi.aspirations.predicates import is_aspiration_coordinator as _coordinates  # noqa: E402

rules.add_perm("aspirations.support_aspiration", rules.is_authenticated)
# Merging: the coordinator desk, or the OPD holding the case (the target, checked again by the service).
rules.add_perm("aspirations.merge_aspiration", _administers | _coordinates | _holds_case)
