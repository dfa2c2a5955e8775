"""Personal data: masking caller numbers and the retention cutoff (pure)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

#: Digits left visible at the end of a masked number.
VISIBLE_TAIL = 2
#: Characters left visible at the start (country or area prefix).
VISIBLE_HEAD = 4
MASK = "•"
#: What an article flag's comment becomes once the flag is done and past retention.
PURGED_COMMENT = "[nach Ablauf der Aufbewahrungsfrist gelöscht]"
#: Something that looks like a phone number in free text: 7 or more digits, maybe with
#: a leading + and single spaces, slashes or dashes between them (dates, with dots, and
#: postcodes, 5 digits, stay as they are).
_PHONE_LIKE = re.compile(r"\+?\d(?:[ /\-]?\d){6,}")


def mask_number(number: str | None) -> str:
    """Mask a phone number for display: keep its prefix and last two digits.

    >>> mask_number("+49 234 9101234")
    '+49 ••••••••34'
    """
    if not number:
        return ""
    digits = [i for i, ch in enumerate(number) if ch.isdigit()]
    if len(digits) <= VISIBLE_TAIL + 2:
        return MASK * len(number)
    head_end = _head_end(number)
    tail_start = digits[-VISIBLE_TAIL]
    hidden = sum(1 for i in digits if head_end <= i < tail_start)
    return number[:head_end].rstrip() + " " + MASK * hidden + number[tail_start:]


def mask_numbers_in(text: str) -> str:
    """Free text with every phone-number-like run masked as `mask_number` does.

    >>> mask_numbers_in("Rückruf an 0234 9101234 erbeten")
    'Rückruf an 0234 •••••34 erbeten'
    """
    return _PHONE_LIKE.sub(lambda m: mask_number(m.group()), text)


def _head_end(number: str) -> int:
    """Index after the visible prefix: the country code (+49) or the first four characters."""
    if number.startswith("+"):
        end = 1
        while end < len(number) and number[end].isdigit() and end < 3:
            end += 1
        return end
    return min(VISIBLE_HEAD, len(number))


def retention_cutoff(now: datetime, retention_days: int) -> datetime:
    """Records offered before this moment lose their personal data."""
    if retention_days < 0:
        raise ValueError("retention must not be negative")
    return now - timedelta(days=retention_days)
