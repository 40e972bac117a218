import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from resources.models import search_words

register = template.Library()


def _pattern(query: str) -> re.Pattern | None:
    words = sorted(set(search_words(query)), key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)


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
    visible = f"{card.title} {card.summary}".lower()
    missing = [word for word in search_words(query or "") if word.lower() not in visible]
    if not missing:
        return ""
    text = " ".join(card.body_text.split())
    at = text.lower().find(missing[0].lower())
    if at < 0:
        # The word is in the tags only.
        return ""
    start, end = max(0, at - width), min(len(text), at + len(missing[0]) + width)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
