"""The built-in PBX simulator: an AMI server on 127.0.0.1 for demo, training and tests.

This package has one public entry, imported only by the `lotse` CLI and the tests
(an import-linter contract says so):

- `PbxSimulator` (sim.server): the asyncio AMI server speaking Asterisk 22's wire protocol;
- `Timing` (sim.model): how long agents, departments and callers take;
- `DEPARTMENTS`: the reference dialplan's back-office extensions;
- `CallerFactory` (sim.names): seeded German callers.

Inside: `pbx` (the queue, agents and channels), `flows` (call scripts over time),
`wire` (the events Asterisk would emit), `model` (plain state), `names`, `server`.
"""

from telephony.sim.model import DEPARTMENTS, SimError, Timing
from telephony.sim.names import CallerFactory
from telephony.sim.server import PbxSimulator

__all__ = ["DEPARTMENTS", "CallerFactory", "PbxSimulator", "SimError", "Timing"]
