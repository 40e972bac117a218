"""Find words that matter in a piece of text: the term matcher.

The library lists the terms; the check-in form calls `find_terms` live to
offer a person-first suggestion next to what a peer typed. A hint, never a
block: people choose how they are described.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol


class TermLike(Protocol):
    """What the matcher needs from a term; `resources.models.Term` is one."""

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


# Between the words of a phrase: spaces, a hyphen or dash, or nothing
# ("meth head", "meth-head", "methhead"; "ex-addict", "ex addict").
_JOIN = r"[\s\-\u2010\u2011\u2013\u2014]*"
# Hyphens count as part of a word at the edges, so "user-friendly" is not "user".
_BEFORE = r"(?<![\w\-\u2010\u2011])"
_AFTER = r"(?![\w\-\u2010\u2011])"
_APOSTROPHE = "['\u2019]"


def _word(word: str, last: bool) -> str:
    if not last:
        return re.escape(word)
    # The last word may be plural or possessive: addicts, junkies, user's, users'.
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        stem = re.escape(word[:-1])
        return rf"{stem}(?:y|ies)(?:{_APOSTROPHE}s?)?"
    return rf"{re.escape(word)}(?:s|es)?(?:{_APOSTROPHE}s?)?"


@lru_cache(maxsize=512)
def _compile(phrases: tuple[str, ...]) -> re.Pattern | None:
    alternatives = []
    # Longest first, so at one position the longer phrase wins ("drug abuse" over "abuse").
    for phrase in sorted(set(phrases), key=len, reverse=True):
        words = [w for w in re.split(r"[\s\-\u2010\u2011\u2013\u2014]+", phrase.strip()) if w]
        if words:
            alternatives.append(
                _JOIN.join(_word(w, last=i == len(words) - 1) for i, w in enumerate(words))
            )
    if not alternatives:
        return None
    return re.compile(rf"{_BEFORE}(?:{'|'.join(alternatives)}){_AFTER}", re.IGNORECASE)


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

    Returns a list of `TermMatch` (term, text as written, start, end; `span`,
    `suggestion` and `soft` for convenience). `terms` is any iterable of
    objects with `flag_list`, `exception_list`, `suggestion` and `soft`; pass a
    list (or a queryset evaluated once) when calling repeatedly.
    """
    candidates: list[tuple[int, int, int, int, TermMatch]] = []
    for index, term in enumerate(terms):
        pattern = _compile(tuple(term.flag_list))
        if pattern is None:
            continue
        exception_pattern = _compile(tuple(term.exception_list))
        excepted: Sequence[tuple[int, int]] = (
            [m.span() for m in exception_pattern.finditer(text)] if exception_pattern else []
        )
        for found in pattern.finditer(text):
            start, end = found.span()
            if any(low <= start and end <= high for low, high in excepted):
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
