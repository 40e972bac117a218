"""Card rules an admin meets: required show text, reserved slugs, sources and sanitized Markdown."""

import pytest
from django.core.exceptions import ValidationError

from resources.models import Card, render_markdown


def _card(**fields):
    data = {
        "category": Card.Category.OVERDOSE,
        "title": "A card",
        "slug": "a-card",
        "summary": "Short.",
        "body": "Body.",
        "sources": "Somewhere",
    }
    return Card(**{**data, **fields})


def test_it_requires_plain_language_for_a_card_fit_to_show(db):
    with pytest.raises(ValidationError) as error:
        _card(audience=Card.Audience.PARTICIPANT, plain_language="  ").full_clean()
    assert "plain_language" in error.value.message_dict
    _card(audience=Card.Audience.PARTICIPANT, plain_language="Hello").full_clean()


def test_it_reserves_the_words_page_slug(db):
    with pytest.raises(ValidationError) as error:
        _card(slug="words").full_clean()
    assert "slug" in error.value.message_dict


def test_it_splits_sources_and_finds_their_links():
    card = _card(sources="Deck, slide “X”\n\nCDC: https://www.cdc.gov/page.html.\nhttps://nasen.org/map/")
    assert card.source_list == [
        {"text": "Deck, slide “X”", "url": ""},
        {"text": "CDC", "url": "https://www.cdc.gov/page.html"},
        {"text": "https://nasen.org/map/", "url": "https://nasen.org/map/"},
    ]


def test_it_splits_tags():
    assert _card(tags="naloxone, , Narcan ").tag_list == ["naloxone", "Narcan"]


def test_it_renders_markdown_and_strips_anything_unsafe():
    html = render_markdown('**Hi** <style>p{}</style><a href="javascript:x()" onclick="y()">link</a>')
    assert "<strong>Hi</strong>" in html
    assert "<style" not in html and "javascript:" not in html and "onclick" not in html
