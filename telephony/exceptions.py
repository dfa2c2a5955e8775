"""Errors raised by the telephony package.

Hierarchy::

    TelephonyError
    ├── ProtocolError          a frame that does not follow the AMI wire format
    ├── UnsafeValueError       a value refused before it reaches an AMI header (also ValueError)
    ├── NotConnectedError      an action requested while the PBX is unreachable
    ├── ReadOnlyError          an action that changes calls, asked of a read-only bridge
    ├── AuthenticationError    the PBX refused the AMI login
    ├── ActionError            the PBX answered an action with `Response: Error`
    ├── ActionTimeoutError     no answer within the action's timeout
    ├── UnknownCallError       an action named a call or agent the bridge does not know
    └── CallStateError         the call is not in a state that allows the action
"""

from __future__ import annotations


class TelephonyError(Exception):
    """Base class of every telephony error."""


class ProtocolError(TelephonyError):
    """A frame that does not follow the AMI wire format."""


class UnsafeValueError(TelephonyError, ValueError):
    """A value refused before it is placed into an AMI header (injection, bad pattern)."""


class NotConnectedError(TelephonyError):
    """An action was requested while the PBX connection is down; it was not sent."""


class ReadOnlyError(TelephonyError):
    """A read-only bridge (recorder, supervisor) was asked to change a call or an agent."""


class AuthenticationError(TelephonyError):
    """The PBX refused the AMI login (the secret is never part of the message)."""


class ActionError(TelephonyError):
    """The PBX answered an action with an error."""

    def __init__(self, action: str, message: str) -> None:
        super().__init__(f"{action} failed: {message}")
        self.action = action
        self.message = message


class ActionTimeoutError(TelephonyError):
    """No answer to an action within its timeout."""


class UnknownCallError(TelephonyError):
    """An action named a call or an agent that the bridge does not know."""


class CallStateError(TelephonyError):
    """The call is not in a state that allows the action (e.g. hang up a transferred call)."""
