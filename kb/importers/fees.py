"""German fee text ("ab 20,50 Euro", "gebührenfrei", ...) to structured fees (model `Fee`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from kb.importers.html_text import text_lines

#: A line without an amount that ends in a colon (or starts with a "...Gebühr:" label) and
#: is at most this long is a heading; it becomes part of the conditions of the fees below it.
HEADING_MAX = 100

FeeDict = dict[str, Any]

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d+(?:,\d{1,2})?"
_CUR = r"(?:€|Euro|EUR)"
_QUAL = r"ab|bis zu|bis|etwa|ca\.|circa|rund|in der Regel|grundsätzlich|plus|zuzüglich|zusätzlich"
_MONEY = re.compile(
    rf"(?P<qual>(?:\b(?:{_QUAL})\s+)*)"
    rf"(?:\bzwischen\s+(?P<za>{_NUM})\s*(?:{_CUR}\s*)?und\s+(?P<zb>{_NUM})"
    rf"|(?P<a>{_NUM})\s*(?:{_CUR}\s*)?(?:(?:bis|-|–)\s*(?P<b>{_NUM}))?)"
    rf"\s*{_CUR}(?!\w)(?:\s+(?:pro|je)\s+(?P<per>[A-ZÄÖÜa-zäöüß][\w-]*))?",
    re.IGNORECASE,
)
_FREE = re.compile(
    r"\b(?:gebühren|kosten)(?:frei|freie|freien|befreit)\b|\bkostenlos\b|\bkeine\s+Gebühr(?:en)?\b",
    re.IGNORECASE,
)
_QUALIFIERS = {
    "ab": "Mindestgebühr",
    "bis": "Höchstgebühr",
    "bis zu": "Höchstgebühr",
    "plus": "zusätzlich",
    "zuzüglich": "zusätzlich",
    "zusätzlich": "zusätzlich",
}
_APPROXIMATE = {"etwa", "ca.", "circa", "rund", "in der regel", "grundsätzlich"}


@dataclass(frozen=True)
class FeeParse:
    """Structured fees found in a fee text, and the lines that are only hints."""

    fees: list[FeeDict]
    notes: list[str]


def parse_fees(text: str) -> FeeParse:
    """Parse a cleaned fee text line by line into fee dicts (model `Fee` fields).

    A line such as "Personalausweis:" heads the fees below it until the next heading or
    the end of the paragraph that follows its first fee.
    """
    fees: list[FeeDict] = []
    notes: list[str] = []
    heading: str | None = None
    heading_used = False
    for line in [*text_lines(text, keep_breaks=True), ""]:
        if not line:
            heading = None if heading_used else heading
            continue
        found = _parse_fee_line(line)
        if found:
            for fee in found:
                _prefix_condition(fee, heading, ": ")
            heading_used = bool(heading)
            fees.extend(found)
            continue
        label, colon, rest = line.partition(":")
        if colon and not _MONEY.search(line) and len(label) <= HEADING_MAX:
            if not rest.strip():  # "Personalausweis:"
                heading, heading_used = label.strip(), False
                continue
            if "gebühr" in label.lower():  # "Online-Gebühr: Zahlung mit Karte möglich"
                heading, heading_used = label.strip(), False
        notes.append(line)
    return FeeParse(fees, notes)


def _prefix_condition(fee: FeeDict, prefix: str | None, separator: str) -> None:
    """Put `prefix` in front of the fee's own condition (or make it the condition)."""
    if prefix:
        own = fee.get("condition")
        fee["condition"] = f"{prefix}{separator}{own}" if own else prefix


def _parse_fee_line(line: str) -> list[FeeDict]:
    """Fees of one line; empty when the line is prose, ambiguous or has no amount."""
    matches = list(_MONEY.finditer(line))
    free = _FREE.search(line)
    if free and not matches:
        return [_free_fee(line)]
    if free or not matches:
        return []
    if len(matches) == 1:
        fee = _fee(line, matches[0])
        return [fee] if fee else []
    # Several amounts: "Label: 46 Euro (ab 24 Jahren) oder 27,60 Euro (bis 24 Jahre)".
    label, colon, rest = line.partition(":")
    if not colon or _MONEY.search(label):
        label, rest = "", line
    fees = []
    for piece in (p for p in re.split(r";|\boder\b", rest) if p.strip()):
        found = list(_MONEY.finditer(piece))
        fee = _fee(piece, found[0]) if len(found) == 1 else None
        if fee is None:
            return []
        _prefix_condition(fee, _tidy(label), ", ")
        fees.append(fee)
    return fees


def _free_fee(line: str) -> FeeDict:
    """A line that says "free of charge" and names no amount."""
    label, colon, rest = line.partition(":")
    if colon:
        # "Schriftliche Anmeldung: gebührenfrei" or "Gebührenfrei: bei Mittellosigkeit"
        condition = _tidy(rest if _FREE.search(label) else label)
        return {"free": True, "condition": condition} if condition else {"free": True}
    return {"free": True} if len(line) <= 40 else {"free": True, "condition": line}


def _fee(line: str, match: re.Match[str]) -> FeeDict | None:
    """One fee from one amount in a line; the rest of the line becomes its condition."""
    amount = _decimal(match["za"] or match["a"])
    top = match["zb"] or match["b"]
    amount_max = _decimal(top) if top else None
    if amount is None or (top and (amount_max is None or amount_max < amount)):
        return None
    qualifiers = [q.lower() for q in re.findall(_QUAL, match["qual"] or "", re.IGNORECASE)]
    fee: FeeDict = {"amount": str(amount)}
    if amount_max is not None:
        fee["amount_max"] = str(amount_max)
    if any(q in _APPROXIMATE for q in qualifiers):
        fee["approximate"] = True
    if match["per"]:
        fee["per"] = match["per"]
    before, after = line[: match.start()], line[match.end() :]
    if ":" in before:
        # "Label: [Gebühr] ab 20,50 Euro (Zusatz)" -> "Label, Zusatz"
        rest = ", ".join(t for t in (_tidy(before.rsplit(":", 1)[0]), _tidy(after)) if t)
    elif line.rstrip().endswith(".") or len(before) + len(after) > 100:
        rest = line.strip()  # a sentence stays whole rather than losing its amount
    else:
        rest = _tidy(f"{before} {after}")
    notes = dict.fromkeys(_QUALIFIERS[q] for q in qualifiers if q in _QUALIFIERS)
    if rest == line.strip():
        notes.clear()  # the whole sentence already says it
    condition = ", ".join(part for part in (rest, *notes) if part)
    if condition:
        fee["condition"] = condition
    return fee


def _decimal(number: str) -> Decimal | None:
    """A German number ("1.000,5") as a Decimal with two places; None if out of range."""
    try:
        value = Decimal(number.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None
    value = value.quantize(Decimal("0.01"))
    return value if len(value.as_tuple().digits) <= 9 else None


def _tidy(text: str) -> str:
    """Remainder of a fee line as a condition: no dangling colons, brackets or spaces."""
    text = re.sub(r"\(\s*\)", "", " ".join(text.split()))
    text = re.sub(r"\s+([:,;.)])", r"\1", text).strip(" :;,.-–/")
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip()
    return text
