"""Planning permissions (django-rules), default deny. Every rule has a row in tests/matrix.py.

Pokir steps follow SIPD's flow: the member (or komisi) proposes, the DPRD secretariat verifies, Bappeda
validates and marks RKPD, BPKAD (or Bappeda) marks budgeted, the OPD marks realised. Whoever may take
the next step may instead reject the item (with reason).
"""

from typing import Any

import rules

from sinergi.actors.predicates import is_administrator
from sinergi.planning.predicates import (
    is_bappeda,
    is_bpkad,
    is_dprd_member,
    is_dprd_secretariat,
    is_musrenbang_organiser,
    is_pokir_opd,
    is_pokir_proposed,
    is_pokir_proposer,
    is_reses_member,
    organises_musrenbang,
)
from sinergi.planning.states import PokirStatus

may_verify = is_dprd_secretariat | is_administrator
may_validate = is_bappeda | is_administrator
may_budget = is_bpkad | is_bappeda | is_administrator
may_realise = is_pokir_opd | is_administrator

STEP_RULES: dict[str, Any] = {
    PokirStatus.PROPOSED: may_verify,
    PokirStatus.VERIFIED: may_validate,
    PokirStatus.VALIDATED: may_validate,
    PokirStatus.IN_RKPD: may_budget,
    PokirStatus.BUDGETED: may_realise,
}


@rules.predicate
def may_take_next_step(user: Any, item: Any) -> bool:
    rule = STEP_RULES.get(str(getattr(item, "status", "")))
    return bool(rule is not None and rule.test(user, item))


rules.add_perm("planning.open_reses", is_dprd_member | is_administrator)
# The DPRD secretariat types in what members bring back from their dapil.
rules.add_perm("planning.manage_reses", is_reses_member | is_dprd_secretariat | is_administrator)
rules.add_perm("planning.propose_pokir", is_dprd_member | is_administrator)
# Corrections while the item is proposed: by its member (still in office) or by Setwan while it checks
# the item for SIPD (address, volume, photo, codes) instead of sending it back; every change is
# logged. After Setwan's verification the item is what Bappeda validates, so it is frozen.
rules.add_perm(
    "planning.edit_pokir",
    is_pokir_proposed & ((is_pokir_proposer & is_dprd_member) | is_dprd_secretariat | is_administrator),
)
rules.add_perm("planning.verify_pokir", may_verify)
rules.add_perm("planning.validate_pokir", may_validate)  # validated and in RKPD
rules.add_perm("planning.budget_pokir", may_budget)
rules.add_perm("planning.realise_pokir", may_realise)
rules.add_perm("planning.reject_pokir", may_take_next_step)
rules.add_perm("planning.open_musrenbang", is_musrenbang_organiser | is_bappeda | is_administrator)
rules.add_perm("planning.manage_musrenbang", organises_musrenbang | is_bappeda | is_administrator)

# The permission a move to each pokir status needs.
POKIR_STEP_PERMISSION = {
    PokirStatus.VERIFIED: "planning.verify_pokir",
    PokirStatus.VALIDATED: "planning.validate_pokir",
    PokirStatus.IN_RKPD: "planning.validate_pokir",
    PokirStatus.BUDGETED: "planning.budget_pokir",
    PokirStatus.REALISED: "planning.realise_pokir",
    PokirStatus.REJECTED: "planning.reject_pokir",
}
