"""The language choice of the simulated PBX: a municipality's own number and its IVR.

A citizen who dials a municipality's own number (`inbound,_115XXXX` of
docs/deployment-asterisk.md, e.g. 1150002) first hears the language choice
(`Gosub(lotse-language,s,1)`: WaitExten for one key, `Set(CHANNEL(language)=..)`,
`Return`), then joins the queue in `inbound,<number>`: its QueueCallerJoin carries
`Exten: <number>` and `Language: <choice>` (Asterisk's default `en` when no key came).
Keys: 1 Deutsch, 2 Türkçe, 3 Українська, 4 العربية. The key comes from `PlayDTMF` on the
citizen's `;2` half, or from a simulated citizen after `Timing.language_answer`. The main
number 115 stays the reference dialplan's (straight into the queue, no choice).
"""

from __future__ import annotations

import re

from telephony.sim.model import SimCall
from telephony.sim.survey import SurveyFlows

#: The language choice's context (a Gosub target: the caller's channel returns from it).
LANGUAGE_CONTEXT = "lotse-language"
#: Key -> CHANNEL(language) the choice sets.
LANGUAGE_KEYS = {"1": "de", "2": "tr", "3": "uk", "4": "ar"}
#: The numbers that run the language choice: the dialplan's `_115XXXX`.
MUNICIPALITY_NUMBER = re.compile(r"115[0-9]{4}\Z")


class LanguageFlows(SurveyFlows):
    """Calls to a municipality's own number: the language choice before the queue."""

    def offer_call(
        self, number: str, name: str, action_id: str = "", exten: str = "115", key: str = ""
    ) -> SimCall:
        """A citizen dials `exten`; on a municipality's number presses `key` (if any) in the
        language choice, then joins the queue."""
        if not MUNICIPALITY_NUMBER.match(exten):
            return super().offer_call(number, name, action_id, exten)
        call = self._dial_in(number, name, action_id, exten)
        assert call.caller is not None
        call.state = "language"
        call.caller.context, call.caller.exten, call.caller.priority = LANGUAGE_CONTEXT, "s", 1
        self._later(call, self.timing.language_timeout, lambda: self._chosen(call))
        if key:
            self._later(call, self.timing.language_answer, lambda: self.press(call, key))
        return call

    def press(self, call: SimCall, digit: str) -> None:
        """A key from the citizen: chooses the language while the choice runs (else the
        survey may hear it)."""
        if call.state != "language" or call.caller is None:
            super().press(call, digit)
            return
        chan = call.caller
        self._ev("DTMFBegin", "dtmf", chan.block(), Digit=digit, Direction="Received")
        self._ev("DTMFEnd", "dtmf", chan.block(), Digit=digit, DurationMs="120",
                 Direction="Received")  # fmt: skip
        if digit in LANGUAGE_KEYS:
            chan.language = LANGUAGE_KEYS[digit]
        self._chosen(call)  # an unknown key (the `i` extension) returns without a choice

    def _chosen(self, call: SimCall) -> None:
        """Return from the choice: the caller's channel runs Queue() in `inbound,<number>`."""
        if call.state != "language" or call.caller is None:
            return
        self._cancel_timers(call)
        caller = call.caller
        caller.context, caller.exten, caller.priority = "inbound", call.dialled, 3
        self._join(call)
