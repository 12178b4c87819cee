"""Opinion-mapping engine: Polis's reference math on sparse votes, plus common ground across declared sectors.

No Django here: the caller maps database ids to dense row/column indices, builds a `VoteMatrix`, calls `update`
(passing the previous `EngineState` for a warm start) and stores what it needs from the returned `OpinionMap`.
"""

from .common_ground import BlocSupport, CommonGround, CommonGroundStatement
from .engine import EngineConfig, EngineState, OpinionMap, update
from .matrix import AGREE, DISAGREE, PASS, VoteMatrix
from .stats import Consensus, ConsensusStatement, RepresentativeStatement

__all__ = [
    "AGREE",
    "DISAGREE",
    "PASS",
    "BlocSupport",
    "CommonGround",
    "CommonGroundStatement",
    "Consensus",
    "ConsensusStatement",
    "EngineConfig",
    "EngineState",
    "OpinionMap",
    "RepresentativeStatement",
    "VoteMatrix",
    "update",
]
