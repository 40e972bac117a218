import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from resources import search
from resources.models import parse_search

register = template.Library()


def _word_pattern(words) -> str:
    # As the search matches: a word starting with a stem ("syringes" marks
    # "syringe"), an acronym only as a whole word.
    pieces = sorted({re.escape(w.stem) + (r"\b" if w.whole else r"\w*") for w in words}, key=len, reverse=True)
    return r"\b(?:" + "|".join(pieces) + ")"


def _pattern(query: str) -> re.Pattern | None:
    groups = parse_search(query)
    words = [word for group in groups for alternative in group for word in alternative]
    return re.compile(_word_pattern(words), re.IGNORECASE) if words else None


@register.filter
def highlight(text, query: str) -> SafeString:
    """`text` escaped, with each search word wrapped in <mark>.

    Matching runs on the raw text and every piece is escaped on its own, so a
    search for "amp" or "<" can never split an entity or inject markup.
    """
    text = str(text)
    pattern = _pattern(query or "")
    if pattern is None:
        return escape(text)
    pieces, last = [], 0
    for found in pattern.finditer(text):
        pieces.append(escape(text[last : found.start()]))
        pieces.append(f"<mark>{escape(found.group(0))}</mark>")
        last = found.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))


@register.simple_tag
def snippet(card, query: str, width: int = 70) -> str:
    """A stretch of the card's text around the first search word not already in its title or summary.

    Empty when there is no query or the title and summary show every word: the
    list then says why the card matched without repeating itself.
    """
    groups = parse_search(query or "")
    visible = search.document(card.title, card.summary)
    missing = [group for group in groups if not search.group_in(group, visible)]
    if not missing:
        return ""
    text = " ".join(card.body_text.split())
    found = re.search(_word_pattern([w for alternative in missing[0] for w in alternative]), text, re.IGNORECASE)
    if found is None:
        # The word is in the tags or the category name only.
        return ""
    start, end = max(0, found.start() - width), min(len(text), found.end() + width)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
