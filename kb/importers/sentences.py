"""German sentence splitting and the short answer taken from a cleaned description."""

from __future__ import annotations

from kb.importers.html_text import LIST_ITEM

#: Short answers stop adding sentences once they are this long.
SHORT_ANSWER_MIN = 120
#: ... and never grow beyond this (unless the first sentence alone is longer).
SHORT_ANSWER_MAX = 400
#: A line this short without a final "." or ":" above more text is a heading.
HEADING_LINE_MAX = 60

_ABBREVIATIONS = {
    "z", "b", "bzw", "ggf", "u", "a", "nr", "abs", "ca", "vgl", "usw", "d", "h", "str", "dr",
    "etc", "inkl", "evtl", "max", "min", "s", "sog", "zzgl", "bspw", "gem", "i", "v", "e", "m",
}  # fmt: skip


def sentences(text: str) -> list[str]:
    """Split German prose into sentences, not at abbreviations ("z. B.") or ordinals ("24.")."""
    words = " ".join(text.split()).split(" ")
    out: list[str] = []
    current: list[str] = []
    for index, word in enumerate(words):
        current.append(word)
        following = words[index + 1] if index + 1 < len(words) else ""
        if not word.endswith((".", "!", "?")) or not following:
            continue
        stem = word.rstrip(".!?").lower().lstrip('(„"')
        if word.endswith(".") and (stem in _ABBREVIATIONS or stem.isdigit() or len(stem) == 1):
            continue
        if following[0].isupper() or following[0] in '„"(' or following[0].isdigit():
            out.append(" ".join(current))
            current = []
    if current and current != [""]:
        out.append(" ".join(current))
    return out


def short_answer(description: str, title: str) -> str:
    """The first whole sentence(s) of the first prose paragraph, else of the first list item
    that is a sentence, else the title.

    Headings ("Visumverfahren") and sentences leading into a list ("...:") are skipped.
    """
    blocks = [block.splitlines() for block in description.split("\n\n") if block.strip()]
    prose = [lines for lines in blocks if not LIST_ITEM.match(lines[0])]
    items = [[LIST_ITEM.sub("", line)] for lines in blocks for line in lines]
    for lines in [*prose, *items]:
        while len(lines) > 1 and _is_heading(lines[0]):
            lines = lines[1:]
        answer = _first_sentences(" ".join(line.strip() for line in lines))
        if answer:
            return answer
    return title


def _is_heading(line: str) -> bool:
    return len(line) <= HEADING_LINE_MAX and not line.endswith((".", ":"))


def _first_sentences(prose: str) -> str:
    """Whole sentences from the start of `prose` until the answer is long enough."""
    answer = ""
    for sentence in sentences(prose):
        if not sentence.rstrip('"“)»').endswith((".", "!", "?")):
            break
        if answer and len(answer) + len(sentence) > SHORT_ANSWER_MAX:
            break
        answer = f"{answer} {sentence}".strip()
        if len(answer) >= SHORT_ANSWER_MIN:
            break
    return answer
