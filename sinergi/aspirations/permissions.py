"""Who may do what with aspirations (django-rules, default deny).

Sections per part of the lifecycle; each part adds its rules in its own section.
"""

import rules

# --- intake and tracking ------------------------------------------------------------------------
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
