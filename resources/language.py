"""Find words that matter in a piece of text: the term matcher.

The library lists the terms; the check-in form calls `find_terms` live to
offer a person-first suggestion next to what a peer typed. A hint, never a
block: people choose how they are described.

Terms have a language (`Term.language`); each is matched the way its language
writes words. English: the last word of a phrase may be plural or possessive,
letters as listed. Spanish: accents and case are ignored both ways
("toxicómano" finds "TOXICOMANOS", "adiccion" finds "adicción"), and every
word but the small ones (de, la, en…) may change gender and number (adicto:
adicta, adictos, adictas; yonqui: yonquis; consumidor: consumidora,
consumidores). Matching uses accent-insensitive character classes on the text
as written, so offsets are always offsets into the original text.

Every language's terms run on every note (a note is often mixed), but a soft
term's hit (a word with innocent senses) is dropped when its sentence is
plainly in another language: the Spanish subjunctive "abuse" is not the
English "abuse". A hard term always counts: "junkie" quoted in a Spanish
sentence, or "adicta" in an English one, is still the label.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol


class TermLike(Protocol):
    """What the matcher needs from a term; `resources.models.Term` is one.

    A `language` attribute ("en", "es") is optional: without one a term is English.
    """

    suggestion: str
    soft: bool

    @property
    def flag_list(self) -> list[str]: ...

    @property
    def exception_list(self) -> list[str]: ...


@dataclass(frozen=True)
class TermMatch:
    term: TermLike
    text: str  # the words as written, e.g. "Addicts"
    start: int
    end: int

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    @property
    def suggestion(self) -> str:
        return self.term.suggestion

    @property
    def soft(self) -> bool:
        return self.term.soft

    @property
    def wording(self) -> str:
        """What the coach's "use this wording" button writes instead (Term.wording_for), or ""."""
        wording_for = getattr(self.term, "wording_for", None)
        return wording_for(self.text) if wording_for else ""

    @property
    def article(self) -> str:
        """Spanish: the article the wording takes ("la", "los"…), for the one before the words; or ""."""
        parts = getattr(self.term, "wording_and_article_for", None)
        return parts(self.text)[1] if parts else ""


# Between the words of a phrase: spaces, a hyphen or dash, or nothing
# ("meth head", "meth-head", "methhead"; "ex-addict", "ex addict").
_JOIN = r"[\s\-\u2010\u2011\u2013\u2014]*"
# Hyphens count as part of a word at the edges, so "user-friendly" is not "user".
_BEFORE = r"(?<![\w\-\u2010\u2011])"
_AFTER = r"(?![\w\-\u2010\u2011])"
_APOSTROPHE = "['\u2019]"


def fold(text: str) -> str:
    """`text` without accents, in lower case: the form Spanish words are compared in."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def _variants() -> dict[str, str]:
    # Each plain letter and the accented letters that fold to it: "a" -> "áàâäãå…".
    found: dict[str, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code).lower()
        base = fold(char)
        if len(base) == 1 and base.isascii() and base.isalpha() and char != base and char not in found.get(base, ""):
            found[base] = found.get(base, "") + char
    return found


_VARIANTS = _variants()


def _letters(word: str) -> str:
    """`word` as a pattern that ignores accents: "tóxico" -> "t[oó…]x[ií…]c[oó…]"."""
    pattern = []
    for char in word:
        base = fold(char)
        pattern.append(f"[{base}{_VARIANTS[base]}]" if base in _VARIANTS else re.escape(char))
    return "".join(pattern)


# Spanish words that never change form, and words too short to: kept as written.
_ES_FIXED = frozenset(
    "a al con de del e el en la las le les lo los mi o para por que se sin su sus tu u un una unas unos y".split()
)


def _word_es(word: str) -> str:
    base = fold(word)
    if len(base) < 3 or base in _ES_FIXED:
        return _letters(word)
    gender_number = f"(?:{_letters('o')}|{_letters('a')})s?"
    if len(base) > 3 and base[-2:] in ("os", "as"):
        return _letters(word[:-2]) + gender_number  # drogas: droga, drogo(s)
    if base[-1] in "oa":
        return _letters(word[:-1]) + gender_number  # adicto: adicta, adictos, adictas
    if base[-1] in "eiu":
        return _letters(word) + "(?:s|es)?"  # yonqui: yonquis; bebé: bebés
    if base[-1] == "s":
        return _letters(word)
    return _letters(word) + "(?:a|as|es)?"  # consumidor: consumidora(s), consumidores; adicción: adicciones


def _word(word: str, last: bool) -> str:
    if not last:
        return re.escape(word)
    # The last word may be plural or possessive: addicts, junkies, user's, users'.
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        stem = re.escape(word[:-1])
        return rf"{stem}(?:y|ies)(?:{_APOSTROPHE}s?)?"
    return rf"{re.escape(word)}(?:s|es)?(?:{_APOSTROPHE}s?)?"


def _phrase_words(phrase: str) -> list[str]:
    return [w for w in re.split(r"[\s\-\u2010\u2011\u2013\u2014]+", phrase.strip()) if w]


@lru_cache(maxsize=512)
def _compile(phrases: tuple[str, ...], language: str = "en") -> re.Pattern | None:
    alternatives = []
    # Longest first, so at one position the longer phrase wins ("drug abuse" over "abuse").
    for phrase in sorted(set(phrases), key=len, reverse=True):
        words = _phrase_words(phrase)
        if words and language == "es":
            alternatives.append(_JOIN.join(_word_es(w) for w in words))
        elif words:
            alternatives.append(
                _JOIN.join(_word(w, last=i == len(words) - 1) for i, w in enumerate(words))
            )
    if not alternatives:
        return None
    return re.compile(rf"{_BEFORE}(?:{'|'.join(alternatives)}){_AFTER}", re.IGNORECASE)


# Common words that tell one language from the other (none is a word of both).
_COMMON_WORDS = {
    "en": frozenset(
        "the and of to in is was were she they it with for on that his her at has have had not but be are "
        "from this we said about will would been him them their our you your who what when".split()
    ),
    "es": frozenset(
        "el la los las del que en y por con para una su sus es está están fue era pero muy también "
        "le les lo ella él ellos hoy ayer dijo quiere tiene hay como más sin sobre desde".split()
    ),
}
_SENTENCE_END = re.compile(r"[.!?;\n]")


def _sentence_language(text: str, start: int, end: int) -> str | None:
    """The language the sentence around text[start:end] is plainly written in, or None when unsure."""
    begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    after = _SENTENCE_END.search(text, end)
    words = re.findall(r"\w+", text[begin : after.start() if after else len(text)].lower())
    counts = sorted(((sum(w in common for w in words), lang) for lang, common in _COMMON_WORDS.items()), reverse=True)
    (best, language), (second, _) = counts[0], counts[1]
    return language if best > second else None


def language_of(term: TermLike) -> str:
    return getattr(term, "language", "") or "en"


def flag_form(text: str, flags: Iterable[str], language: str = "en") -> tuple[str, bool] | None:
    """Which of `flags` the words `text` (a hit as written) are, and whether plural; None otherwise.

    Any case, spaces or hyphens between words; Spanish words compare without
    accents and may differ in gender ("adicta" is the flag "adicto", singular;
    "adictas" plural). A possessive or another form gives None.
    """
    canon = fold if language == "es" else str.lower
    written = [canon(w) for w in _phrase_words(text)]
    for flag in flags:
        words = [canon(w) for w in _phrase_words(flag)]
        if len(words) != len(written):
            continue
        plural, same = False, True
        for w, f in zip(written, words, strict=True):
            if w == f:
                continue
            if language == "es" and w[:-1] == f[:-1] and w[-1:] in ("o", "a") and f[-1:] in ("o", "a"):
                continue  # the other gender
            if w in (f + "s", f + "es") or (
                language == "es" and f[-1:] in ("o", "a") and w[:-2] == f[:-1] and w[-2:] in ("os", "as")
            ) or (language != "es" and f.endswith("y") and w == f[:-1] + "ies"):
                plural = True
                continue
            same = False
            break
        if same:
            return flag, plural
    return None


def find_terms(text: str, terms: Iterable[TermLike]) -> list[TermMatch]:
    """Every flagged word or phrase in `text`, in reading order.

    - Word-aware and case-insensitive: "habit" does not match "habitat", and
      "Addict", "addicts", "addict's" and "addict," all match "addict".
    - Phrases match across spaces, hyphens and line breaks ("drug  abuser",
      "ex-addict").
    - A term's exceptions win: with the exception "user name", "user name"
      and "user names" are not hits though "user" is a flag.
    - Matches never overlap: the longest wins ("recovering addict" is one hit,
      not two), then a hard term over a soft one, then the earlier term.
    - Each term matches the way its language writes words (module docstring):
      Spanish ignores accents and allows gender and number, and a soft
      term's hit in a sentence plainly in another language is dropped.

    Returns a list of `TermMatch` (term, text as written, start, end; `span`,
    `suggestion` and `soft` for convenience). `terms` is any iterable of
    objects with `flag_list`, `exception_list`, `suggestion` and `soft`; pass a
    list (or a queryset evaluated once) when calling repeatedly.
    """
    candidates: list[tuple[int, int, int, int, TermMatch]] = []
    for index, term in enumerate(terms):
        language = language_of(term)
        pattern = _compile(tuple(term.flag_list), language)
        if pattern is None:
            continue
        exception_pattern = _compile(tuple(term.exception_list), language)
        excepted: Sequence[tuple[int, int]] = (
            [m.span() for m in exception_pattern.finditer(text)] if exception_pattern else []
        )
        for found in pattern.finditer(text):
            start, end = found.span()
            if any(low <= start and end <= high for low, high in excepted):
                continue
            if term.soft and _sentence_language(text, start, end) not in (None, language):
                continue
            match = TermMatch(term=term, text=found.group(0), start=start, end=end)
            candidates.append((start, start - end, int(term.soft), index, match))

    candidates.sort(key=lambda c: c[:4])
    matches: list[TermMatch] = []
    reached = 0
    for start, _, _, _, match in candidates:
        if start >= reached:
            matches.append(match)
            reached = match.end
    return matches


def split_at_matches(text: str, matches: Sequence[TermMatch]) -> list[tuple[str, TermMatch | None]]:
    """`text` cut into pieces, each with the match it is (or None), for rendering hints inline."""
    pieces: list[tuple[str, TermMatch | None]] = []
    reached = 0
    for match in matches:
        if match.start > reached:
            pieces.append((text[reached : match.start], None))
        pieces.append((text[match.start : match.end], match))
        reached = match.end
    if reached < len(text):
        pieces.append((text[reached:], None))
    return pieces
