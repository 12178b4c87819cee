"""Quorum as the forum's charter defines it (criteria C2 and C4).

A meeting is quorate when the share of active members present reaches the charter's
`quorum_member_share` AND every sector the charter lists in `quorum_sectors` has at least one
member present. When the charter lists no sectors, C2 still holds: at least one member of a
non-state sector must be present, so a meeting of officials alone never decides.

Pure arithmetic over plain values, so selectors and services share exactly one rule.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from sinergi.core.reference_labels import reference_label

DEFAULT_MEMBER_SHARE = Decimal("0.50")


@dataclass(frozen=True)
class SectorRef:
    code: str
    name: str
    is_state: bool


@dataclass(frozen=True)
class QuorumResult:
    is_quorate: bool
    roll_call_taken: bool
    members_total: int
    members_present: int
    present_share: Fraction
    required_share: Decimal
    required_sectors: list[SectorRef]
    missing_sectors: list[SectorRef]
    requires_non_state_presence: bool
    reasons: list[str] = field(default_factory=list)

    @property
    def present_share_percent(self) -> int:
        """Whole percent, rounded half up (for display and the API; the rule uses exact fractions)."""
        value = Decimal(self.present_share.numerator) * 100 / Decimal(self.present_share.denominator or 1)
        return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def required_share_percent(self) -> int:
        return int((self.required_share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def quorum_evaluate(
    *,
    present_sectors: list[SectorRef],
    members_total: int,
    required_share: Decimal | None,
    required_sectors: list[SectorRef],
) -> QuorumResult:
    """`present_sectors` holds one entry per member present (the sector copied at roll call)."""
    share_rule = required_share if required_share is not None else DEFAULT_MEMBER_SHARE
    present = len(present_sectors)
    roll_call_taken = members_total > 0
    share = Fraction(present, members_total) if members_total else Fraction(0)
    present_codes = {sector.code for sector in present_sectors}
    reasons: list[str] = []
    if not roll_call_taken:
        reasons.append(_("Daftar hadir belum dicatat."))
    if share < Fraction(share_rule):
        reasons.append(
            _("Anggota hadir %(present)d dari %(total)d; piagam mensyaratkan sekurang-kurangnya %(share)s%%.")
            % {"present": present, "total": members_total, "share": int(share_rule * 100)}
        )
    missing = [sector for sector in required_sectors if sector.code not in present_codes]
    reasons.extend(
        _("Sektor %(sector)s wajib hadir tetapi tidak ada wakilnya.") % {"sector": reference_label(sector.name)}
        for sector in missing
    )
    requires_non_state = not required_sectors
    if requires_non_state and not any(not sector.is_state for sector in present_sectors):
        reasons.append(_("Tidak ada anggota dari sektor nonpemerintah yang hadir."))
    return QuorumResult(
        is_quorate=not reasons,
        roll_call_taken=roll_call_taken,
        members_total=members_total,
        members_present=present,
        present_share=share,
        required_share=share_rule,
        required_sectors=required_sectors,
        missing_sectors=missing,
        requires_non_state_presence=requires_non_state,
        reasons=reasons,
    )
