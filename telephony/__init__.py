"""Asterisk AMI bridge, call state machine and the built-in PBX simulator.

The console depends only on the `Telephony` protocol (telephony.protocol):

- `AmiBridge(BridgeConfig(...))` (telephony.bridge) is the real one: asterisk-ami
  under asyncio (telephony.ami), reconnect with backoff, resync via QueueStatus,
  header-injection checks (telephony.safety), secret never logged.
- `FakeTelephony()` (telephony.fake) is the in-memory stand-in for UI tests.
- `PbxSimulator` (telephony.sim, `lotse pbx-sim`) is an AMI server for
  demo, training and integration tests.

Updates (`ConnectionChanged`, `CallChanged`, `AgentChanged`) arrive on the
asyncio loop from `telephony.updates()`; `Call` and `Agent` (telephony.calls)
are frozen dataclasses produced by the pure `CallTracker` from typed events
(telephony.events, parsed by telephony.parse). Errors derive from
telephony.exceptions.TelephonyError.
"""
