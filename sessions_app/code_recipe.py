"""Participant codes a person can rebuild from facts they know (docs/checkins.md).

An organization may set PARTICIPANT_CODE_RECIPE, a list of the parts below.
The check-in form then offers a code builder: the peer asks the person those
facts and the browser computes the code (static/js/code-builder.js, which
must give the same answer as `build_code` here; a browser test holds a table
of inputs). The facts are never sent: the builder's inputs have no `name`,
so no form post can carry them, and the server only ever sees the code.

Letters are folded to plain A-Z (accents dropped, "ñ" is "N", spaces,
hyphens and apostrophes skipped); a name shorter than the part asks for is
padded with X. Numbers are two digits.
"""

import json
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Letters some names use that Unicode does not split into a base letter and an accent.
EXTRA_FOLDS = {"ß": "SS", "Æ": "AE", "Œ": "OE", "Ø": "O", "Ł": "L", "Đ": "D", "Þ": "TH", "ı": "I"}


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    kind: str  # "letters" or "number"
    size: int  # letters taken, or digits shown
    low: int = 0
    high: int = 0


PARTS = {
    part.key: part
    for part in (
        Part("last_name_2", _("First two letters of their last name"), "letters", 2),
        Part("first_name_2", _("First two letters of their first name"), "letters", 2),
        Part("mother_initial", _("First letter of their mother's first name"), "letters", 1),
        Part("birth_day", _("Day of the month they were born (1 to 31)"), "number", 2, 1, 31),
        Part("birth_month", _("Month they were born (1 to 12)"), "number", 2, 1, 12),
        Part("birth_year_2", _("Last two digits of the year they were born"), "number", 2, 0, 99),
    )
}


def recipe() -> list[Part]:
    """The organization's recipe, or [] when codes are random only."""
    return [PARTS[key] for key in getattr(settings, "PARTICIPANT_CODE_RECIPE", []) if key in PARTS]


def fold_letters(text: str) -> str:
    """Upper-case A-Z only: "Núñez-O'Brien" is "NUNEZOBRIEN"."""
    text = "".join(EXTRA_FOLDS.get(c, EXTRA_FOLDS.get(c.upper(), c)) for c in text)
    decomposed = unicodedata.normalize("NFKD", text.upper())
    return "".join(c for c in decomposed if "A" <= c <= "Z")


def build_code(parts: list[Part], facts: dict[str, str]) -> str:
    """The code for these facts, or "" when one is missing or out of range."""
    pieces = []
    for part in parts:
        value = str(facts.get(part.key, "")).strip(" \t\r\n")
        if part.kind == "letters":
            letters = fold_letters(value)
            if not letters:
                return ""
            pieces.append(letters[: part.size].ljust(part.size, "X"))
        else:
            if not re.fullmatch(r"[0-9]{1,4}", value) or not part.low <= int(value) <= part.high:
                return ""
            pieces.append(f"{int(value):0{part.size}d}")
    return "".join(pieces)


def as_json(parts: list[Part]) -> str:
    """The recipe for the browser's builder (a data attribute: no inline script)."""
    return json.dumps([{"key": p.key, "kind": p.kind, "size": p.size, "low": p.low, "high": p.high} for p in parts])


def code_pattern(parts: list[Part]) -> re.Pattern:
    """What a built code looks like, with an optional "-2", "-3"... for a second person with the same facts."""
    body = "".join(f"[A-Z]{{{p.size}}}" if p.kind == "letters" else f"\\d{{{p.size}}}" for p in parts)
    return re.compile(f"^({body})(?:-(\\d+))?$", re.IGNORECASE)


def is_built(code: str) -> bool:
    parts = recipe()
    return bool(parts) and code_pattern(parts).match(code) is not None


def with_suffix(code: str, taken: set[str]) -> str:
    """The first of code-2, code-3... not in `taken` (upper-case codes): someone else with the same facts."""
    base = code_pattern(recipe()).match(code).group(1).upper()
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
