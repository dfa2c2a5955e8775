"""Personal data: masking caller numbers and the retention cutoff (pure)."""

from __future__ import annotations

from datetime import datetime, timedelta

#: Digits left visible at the end of a masked number.
VISIBLE_TAIL = 2
#: Characters left visible at the start (country or area prefix).
VISIBLE_HEAD = 4
MASK = "•"


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
