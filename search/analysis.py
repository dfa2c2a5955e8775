"""German text analysis: folding, tokens, stopwords, stemming and compound splitting (pure)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from whoosh.lang import stemmer_for_language

#: Bumped whenever analysis changes the indexed terms; a different version forces a rebuild.
ANALYZER_VERSION = 4
#: German linking elements (Fugenelemente) tried between the parts of a compound.
LINKS: tuple[str, ...] = ("", "s", "es", "n", "en", "e", "er", "ens")
#: Shortest compound part taken from the vocabulary ("amt", "ehe", "kfz").
MIN_PART = 3
#: Shortest word that is tried as a compound at all.
MIN_COMPOUND = 7
#: Longest word that is tried as a compound (letters, after folding). German service words stay
#: far below it ("Rundfunkbeitragsbefreiung": 25); longer input (pasted text, a word repeated)
#: is indexed and searched as one word, unsplit.
MAX_COMPOUND = 64

# Function words and call filler; stored folded (see `fold`). Generic German, not tuned per query.
STOPWORDS: frozenset[str] = frozenset(
    """
    aber alle allem allen aller alles als also am an auch auf aus bei beim bin bis bitte bzw da
    dafur damit dann darf das dass dem den denn der des dich die dies diese diesem diesen
    dieser doch dort du durch ein eine einem einen einer eines er es etwa etwas euch fur gegen
    gehabt gerne gibt guten hab habe haben hallo hat hatte hatten hier ich ihm ihn ihnen ihr
    ihre im in ins ist ja jetzt kann konnen konnte man mehr mein meine meinem meinen meiner
    meines mich mir mit mochte mochten muss mussen musste nach nicht noch nun nur ob oder ohne
    sehr sein seine seinem seinen seiner sich sie sind so soll sollen sollte tag uber um und
    uns unser unsere vom von vor war waren was weil welche wem wen wenn wer werde werden wie
    will wir wird wo wollen wollte wurde zu zum zur
    """.split()  # noqa: SIM905
)

_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_FOLD_PAIRS = (("ae", "a"), ("oe", "o"), ("ue", "u"))
_SPECIAL = str.maketrans({"ß": "ss", "ẞ": "ss", "ä": "a", "ö": "o", "ü": "u"})
_stem = stemmer_for_language("de")


def fold(text: str) -> str:
    """Lower-case and fold umlauts both ways: "Führerschein", "Fuehrerschein" -> "fuhrerschein".

    ß becomes ss, accents are dropped, and the transliterations ae/oe/ue become a/o/u, so the
    same folding applied to documents and queries makes every spelling meet.
    """
    plain = text.lower().translate(_SPECIAL)
    if not plain.isascii():
        decomposed = unicodedata.normalize("NFKD", plain)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for pair, single in _FOLD_PAIRS:
        plain = plain.replace(pair, single)
    return plain


def tokens(text: str) -> list[str]:
    """Folded word tokens; a hyphenated word yields its parts and the joined form ("kitaplatz")."""
    out: list[str] = []
    for match in _TOKEN.finditer(fold(text)):
        word = match.group()
        if "-" in word:
            parts = [p for p in word.split("-") if p]
            out.extend(parts)
            out.append("".join(parts))
        else:
            out.append(word)
    return out


def keep(word: str) -> bool:
    """True for words worth indexing: not a stopword, and two letters or more (or a number)."""
    return word not in STOPWORDS and (len(word) > 1 or word.isdigit())


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball German stem of a folded word ("personalausweises" -> "personalausweis")."""
    if len(word) <= 3 or word.isdigit():
        return word
    stemmed: str = _stem(word)
    return stemmed


def vocabulary(texts: Iterable[str]) -> set[str]:
    """Compound parts known from the KB's own texts: folded words and their stems."""
    vocab: set[str] = set()
    for text in texts:
        for word in tokens(text):
            if len(word) >= MIN_PART and word not in STOPWORDS and not word.isdigit():
                vocab.add(word)
                stemmed = stem(word)
                if len(stemmed) > MIN_PART:
                    vocab.add(stemmed)
    return vocab


def split_compound(word: str, vocab: Collection[str]) -> list[str]:
    """Split a folded word into known parts, fewest parts first; [] when it does not split.

    "hundesteur" -> ["hund", "steur"] (linking "e"); "bewohnerparkausweis" ->
    ["bewohner", "parkausweis"]. The whole word itself never counts as a split. Words
    shorter than `MIN_COMPOUND` or longer than `MAX_COMPOUND` are not split.
    """
    if not MIN_COMPOUND <= len(word) <= MAX_COMPOUND:
        return []
    known = vocab if isinstance(vocab, frozenset) else frozenset(vocab)
    return list(_Splitter(word, known).split(0))


class _Splitter:
    """Dynamic programming over split points: each suffix of the word is solved once.

    The best split of `word[start:]` depends only on `start`, so memoising it makes the
    work O(n² · len(LINKS)) vocabulary look-ups for a word of n letters (a plain recursion
    tries every combination of parts: exponential in the number of parts).
    """

    def __init__(self, word: str, vocab: frozenset[str]) -> None:
        self.word = word
        self.vocab = vocab
        self.memo: dict[int, tuple[str, ...]] = {}

    def rest(self, start: int) -> tuple[str, ...]:
        """`word[start:]` as one known part, else its best split (() when it has none)."""
        tail = self.word[start:]
        return (tail,) if tail in self.vocab else self.split(start)

    def split(self, start: int) -> tuple[str, ...]:
        """The split of `word[start:]` into two or more parts: longest head, fewest parts."""
        if start in self.memo:
            return self.memo[start]
        word, size = self.word, len(self.word)
        best: tuple[str, ...] = ()
        for end in range(size - MIN_PART, start + MIN_PART - 1, -1):
            if word[start:end] not in self.vocab:
                continue
            for link in LINKS:
                if not word.startswith(link, end) or size - end - len(link) < MIN_PART:
                    continue
                rest = self.rest(end + len(link))
                if rest and (not best or len(rest) + 1 < len(best)):
                    best = (word[start:end], *rest)
            if len(best) == 2:
                break  # longest head with a known tail: as good as it gets
        self.memo[start] = best
        return best


def compound_terms(word: str, vocab: frozenset[str]) -> list[str]:
    """Stems of every part of a compound, recursing into parts that split again."""
    out: list[str] = []
    for part in split_compound(word, vocab):
        out.append(stem(part))
        out.extend(compound_terms(part, vocab))
    return out


def word_terms(word: str, vocab: frozenset[str]) -> list[str]:
    """Terms indexed for one folded word: its stem, then its compound parts' stems."""
    if not keep(word):
        return []
    if len(word) >= MIN_COMPOUND and not word.isdigit():
        return [stem(word), *compound_terms(word, vocab)]
    return [stem(word)]


def index_terms(text: str, vocab: frozenset[str]) -> Iterator[str]:
    """Terms indexed for a text: each word's stem, then its compound parts' stems."""
    for word in tokens(text):
        yield from word_terms(word, vocab)


def analyze(text: str, vocab: frozenset[str]) -> str:
    """`index_terms` as the space-separated string handed to Whoosh."""
    return " ".join(index_terms(text, vocab))


class TermCache:
    """`analyze` for many texts over one vocabulary, each distinct word analysed once.

    A knowledge base says the same words again and again (and its municipalities' versions of
    an article repeat most of it), so a full build splits and stems each word only once.
    """

    def __init__(self, vocab: frozenset[str]) -> None:
        """Analyse against `vocab` (the compound parts known at build time)."""
        self.vocab = vocab
        self._terms: dict[str, tuple[str, ...]] = {}

    def analyze(self, text: str) -> str:
        """The same string as `analyze(text, vocab)`."""
        out: list[str] = []
        for word in tokens(text):
            terms = self._terms.get(word)
            if terms is None:
                terms = self._terms[word] = tuple(word_terms(word, self.vocab))
            out.extend(terms)
        return " ".join(out)


@dataclass(frozen=True)
class QueryWord:
    """One query word, folded, with its stem; `prefix` marks the unfinished last word."""

    word: str
    stem: str
    prefix: bool = False


def query_words(text: str, max_words: int = 12) -> list[QueryWord]:
    """The words of a query, stopwords dropped; the last word is a prefix unless a space follows.

    Very long input is cut to its first `max_words` words so that pasted text stays fast.
    """
    words = [w for w in tokens(text[:2000]) if keep(w)]
    if not words:
        return []
    words = words[:max_words]
    unfinished = bool(text) and not text[-1].isspace()
    out = [QueryWord(w, stem(w)) for w in words]
    if unfinished and fold(text).rstrip().endswith(words[-1]):
        out[-1] = QueryWord(words[-1], out[-1].stem, prefix=True)
    return out


def highlight_spans(text: str, terms: Collection[str]) -> list[tuple[int, int]]:
    """Character spans of the words in `text` whose stem (or a prefix of it) is a matched term.

    Folding keeps the mapping simple: each word of the original text is folded on its own.
    """
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"\w+", text):
        folded = fold(match.group())
        stemmed = stem(folded)
        if (
            stemmed in terms
            or folded in terms
            or any(len(t) >= 4 and stemmed.startswith(t) for t in terms)
        ):
            spans.append(match.span())
    return spans
