"""The municipalities' numbers and their language choice, added to a real Asterisk at run time.

The dialplan of docs/deployment-asterisk.md ("Municipalities and languages"): `_115XXXX` in
`inbound` runs `Gosub(lotse-language,s,1)` (WaitExten for one key: 1 de, 2 tr, 3 uk, 4 ar;
`Set(CHANNEL(language)=..)`; `Return`), then the queue. It is added over AMI
(`DialplanExtensionAdd`, replacing what an earlier run added), so nothing of it is committed
as Asterisk configuration; the built-in simulator serves the same (telephony.sim.language).
"""

from __future__ import annotations

from telephony.ami import AmiSession

#: (context, extension, priority, application, data), as docs/deployment-asterisk.md lists it.
LANGUAGE_DIALPLAN: tuple[tuple[str, str, int, str, str], ...] = (
    ("inbound", "_115XXXX", 1, "NoOp", "Gemeinde ${EXTEN}"),
    ("inbound", "_115XXXX", 2, "Gosub", "lotse-language,s,1"),
    ("inbound", "_115XXXX", 3, "Queue", "service115,rtT,,,3600"),
    ("inbound", "_115XXXX", 4, "Hangup", ""),
    ("lotse-language", "s", 1, "WaitExten", "5"),
    *(
        row
        for key, code in (("1", "de"), ("2", "tr"), ("3", "uk"), ("4", "ar"))
        for row in (
            ("lotse-language", key, 1, "Set", f"CHANNEL(language)={code}"),
            ("lotse-language", key, 2, "Return", ""),
        )
    ),
    ("lotse-language", "t", 1, "Return", ""),
    ("lotse-language", "i", 1, "Return", ""),
)


async def add_language_dialplan(session: AmiSession) -> None:
    """Add (or replace) the municipalities' numbers and the language choice."""
    for context, exten, priority, app, data in LANGUAGE_DIALPLAN:
        headers = {
            "Context": context,
            "Extension": exten,
            "Priority": str(priority),
            "Application": app,
            "Replace": "yes",
        }
        if data:
            headers["ApplicationData"] = data
        await session.action("DialplanExtensionAdd", headers, 5, check=True)
