"""German notices for where a call-log write went (pure; the screens show them)."""

from __future__ import annotations

from typing import Literal

from calllog.outbox import Delivery

Severity = Literal["information", "warning", "error"]

#: From best to worst: the state a write of several parts (call and ticket) is in.
_ORDER = (Delivery.STORED, Delivery.QUEUED, Delivery.HELD, Delivery.REJECTED)


def worst(*deliveries: Delivery) -> Delivery:
    """The least settled of several writes' deliveries."""
    return max(deliveries, key=_ORDER.index, default=Delivery.STORED)


def write_notice(subject: str, delivery: Delivery) -> tuple[str, Severity] | None:
    """What to tell the agent about a write of `subject` ("Anruf", "Meldung", ...); None: stored."""
    if delivery is Delivery.QUEUED:
        return (f"{subject} im Zwischenspeicher: Die Datenbank nimmt gerade nichts an; "
                "wird automatisch nachgetragen.", "warning")  # fmt: skip
    if delivery is Delivery.HELD:
        return (f"{subject} nur im Arbeitsspeicher: Der Zwischenspeicher ist nicht "
                "beschreibbar (Platte voll?). Konsole bitte offen lassen und die IT "
                "informieren; wird nachgetragen.", "error")  # fmt: skip
    if delivery is Delivery.REJECTED:
        return (f"{subject} vom Anrufprotokoll abgelehnt und zur Prüfung aufbewahrt "
                "(lotse calllog outbox). Bitte die Teamleitung informieren.", "error")  # fmt: skip
    return None
