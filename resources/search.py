"""What the directory and library searches understand: words, stems, synonyms, typos.

One normalizer for the stored documents and for what people type, in Python,
so SQLite and PostgreSQL agree word for word (docs/directory.md, "Search"):
accents folded ("español" is "espanol"), lower case, stop words dropped, each
word cut to its English Snowball stem ("syringes" and "syringe" are both
"syring"), the algorithm PostgreSQL's own `english` configuration uses. The
documents hold stems; the database only matches them: a substring of a
space-delimited document on SQLite, a `simple` tsquery on PostgreSQL.

A query becomes groups, all required (words in any order); a group is one
word, or a phrase from the synonym list with what it means as alternatives
("needle exchange" or "syringe"). Every word matches as a prefix, so results
follow typing, except short acronyms (MAT, SSP, FTS), which match whole words
only: "mat" must not find "materials".

Nothing here touches the database: the synonym table comes in as a dict
(resources.models.synonym_table(), cached), which keeps this module usable
from migrations.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass

import snowballstemmer

# Words that carry no meaning for a search ("methadone vs buprenorphine",
# "clinics in Gresham", "clínica de metadona en Gresham"). Short on purpose: "no",
# "not", "free", "sin" stay.
STOP_WORDS = frozenset(
    """a about an and are as at be by can do does for from get has have how i in into is it
    its me my near of on or our than that the their them there these they this to vs versus
    was we what when where which who why will with you your""".split()
    # Spanish: peers and participants search in Spanish too (the synonym list maps the words).
    + """al con de del donde el en hay la las los para por que un una unas unos y""".split()
)

# Matched as whole words only, never as the start of a longer one.
ACRONYMS = frozenset({"mat", "ssp", "fts", "otp", "hiv", "hcv", "sud", "oud", "sti", "pep"})

# A pasted paragraph must not become a huge query.
MAX_WORDS = 8

_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_stemmer = snowballstemmer.stemmer("english")


def fold(text: str) -> str:
    """Lower case without accents: "Español" → "espanol". Apostrophes go ("people's" → "peoples")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("'", "").replace("\u2019", "")


# Remembered: "did you mean" stems its whole vocabulary, the documents repeat words.
@functools.lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    if word in ACRONYMS or word.isdigit():
        return word
    return _stemmer.stemWord(word)


def raw_words(text: str) -> list[str]:
    """Folded words in order, stop words kept (phrases such as "walk in" need them)."""
    return _WORD.findall(fold(text))


def _tokens(word: str) -> list[str]:
    # "walk-in" is "walk", "in" and "walkin": found by "walk in", "walk-in" and "walkin".
    parts = word.split("-")
    return parts + ["".join(parts)] if len(parts) > 1 else parts


def terms(text: str) -> list[str]:
    """The stems of `text` without stop words, in order, each once."""
    seen: dict[str, None] = {}
    for word in raw_words(text):
        for token in _tokens(word):
            if token not in STOP_WORDS:
                seen.setdefault(stem(token), None)
    return list(seen)


def document(*texts: str) -> str:
    """A stored search document: the stems and words of these texts, space-delimited, a space at each end.

    The spaces make "starts a word" a plain substring test (" syring") and
    "is a whole word" another (" mat ") on any database.
    """
    found: dict[str, None] = {}
    for text in texts:
        for word in raw_words(text or ""):
            for token in _tokens(word):
                if token not in STOP_WORDS:
                    # The stem for whole words ("syringes" finds "syringe"), the word
                    # itself for one half typed ("educati" finds "education", whose
                    # stem "educ" it does not start).
                    found.setdefault(stem(token), None)
                    found.setdefault(token, None)
    return f" {' '.join(found)} " if found else ""


@dataclass(frozen=True)
class Word:
    stem: str
    whole: bool  # whole word only (an acronym), else a prefix

    def in_document(self, doc: str) -> bool:
        return f" {self.stem}{' ' if self.whole else ''}" in doc

    @property
    def tsquery(self) -> str:
        return self.stem if self.whole else f"{self.stem}:*"


# A group is satisfied by any of its alternatives; an alternative needs all its words.
Alternative = tuple[Word, ...]
Group = tuple[Alternative, ...]

# Synonym table: a phrase's stems → the phrases it means.
SynonymTable = dict[tuple[str, ...], list[str]]


def synonym_key(phrase: str) -> tuple[str, ...]:
    return tuple(stem(token) for word in raw_words(phrase) for token in _tokens(word))


def _alternative(text: str) -> Alternative:
    return tuple(Word(term, term in ACRONYMS) for term in terms(text))


def parse(query: str, synonyms: SynonymTable | None = None) -> list[Group]:
    """The query as groups, all required; empty when it has no words that count."""
    synonyms = synonyms or {}
    longest = max((len(key) for key in synonyms), default=0)
    words = [token for word in raw_words(query) for token in _tokens(word)]
    stems = [stem(word) for word in words]
    groups: list[Group] = []
    seen: set[Group] = set()
    i = 0
    while i < len(words) and len(groups) < MAX_WORDS:
        # The longest synonym phrase starting here, if any ("needle exchange" before "needle").
        for size in range(min(longest, len(words) - i), 0, -1):
            key = tuple(stems[i : i + size])
            if key in synonyms:
                phrase = " ".join(words[i : i + size])
                alternatives = [_alternative(phrase)] + [_alternative(m) for m in synonyms[key]]
                i += size
                break
        else:
            alternatives = [_alternative(words[i])]
            i += 1
        group = tuple(dict.fromkeys(a for a in alternatives if a))
        if group and group not in seen:
            seen.add(group)
            groups.append(group)
    return groups


def tsquery(groups: list[Group]) -> str:
    """The groups as a raw tsquery for PostgreSQL; stems are [a-z0-9]+, safe as they are."""
    return " & ".join(
        "(" + " | ".join("(" + " & ".join(w.tsquery for w in alt) + ")" for alt in group) + ")"
        for group in groups
    )


def matches(groups: list[Group], doc: str) -> bool:
    return all(any(all(w.in_document(doc) for w in alt) for alt in group) for group in groups)


def group_in(group: Group, doc: str) -> bool:
    return any(all(w.in_document(doc) for w in alt) for alt in group)


def vocabulary(*texts: str) -> set[str]:
    """Folded words of three letters or more (no numbers): what a typo is compared with."""
    return {word for text in texts for word in raw_words(text or "") if len(word) >= 3 and word.isalpha()}


def did_you_mean(query: str, words: set[str]) -> str:
    """The query with each unknown word swapped for the closest known one; "" when none is close.

    difflib's ratio: on a vocabulary of a few thousand words it takes a few
    milliseconds and runs only when a search found nothing.
    """
    known = sorted(words)
    known_stems = {stem(word) for word in known}
    changed, out = False, []
    for word in raw_words(query)[:MAX_WORDS]:
        if word in words or word in STOP_WORDS or not word.isalpha() or len(word) < 3:
            out.append(word)
            continue
        # A form of a known word ("syringes" of "syringe") is no typo.
        if stem(word) in known_stems:
            out.append(word)
            continue
        close = difflib.get_close_matches(word, known, n=1, cutoff=0.75)
        if close:
            out.append(close[0])
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else ""
