"""A peer searches the library, opens a card and turns the tablet around to show it."""

import pytest
from django.apps import apps

from resources import content
from tests.browser.conftest import TABLET, check_a11y, load_search_synonyms, sign_in


@pytest.fixture
def library(db):
    # live_server's transactional tests empty the tables the data migration filled.
    content.load(apps)
    load_search_synonyms()


def test_it_searches_opens_a_card_and_shows_it_to_a_participant(page, peer, library):
    sign_in(page, "peer")
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Library").click()
    page.wait_for_url("**/library/")
    assert page.get_by_role("heading", name="Overdose response").is_visible()
    check_a11y(page)

    # Live results: typing is enough, the list is swapped in place and the URL follows.
    page.get_by_label("Search the library").fill("nostril")
    page.wait_for_url("**/library/?q=nostril")
    results = page.locator("#results")
    assert results.get_by_role("status").inner_text() == "1 card for “nostril”"
    assert results.locator("mark").first.inner_text() == "nostril"
    assert page.get_by_role("heading", name="Library", exact=True).is_visible()  # the page was not replaced
    chip = page.get_by_role("navigation", name="Categories").get_by_role("link", name="Overdose response")
    assert chip.get_attribute("href") == "?category=overdose&q=nostril"
    check_a11y(page)

    results.get_by_role("link", name="Giving naloxone nasal spray").click()
    page.wait_for_url("**/library/naloxone-nasal-spray/")
    assert page.get_by_role("link", name="Naloxone can wear off: stay with the person →").is_visible()
    check_a11y(page)

    page.get_by_role("link", name="Show to participant").click()
    page.wait_for_url("**/library/naloxone-nasal-spray/show/")
    assert page.get_by_text("Second dose, other nostril.").is_visible()
    assert page.locator(".topbar").count() == 0 and page.get_by_text("Harris County").count() == 0
    # Large type: at least 28px, read at arm's length.
    size = page.locator(".show-text").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 28
    back = page.get_by_role("link", name="Back")
    assert back.bounding_box()["height"] >= 44
    check_a11y(page)

    back.click()
    page.wait_for_url("**/library/naloxone-nasal-spray/")


def test_it_searches_without_javascript(browser, live_server, peer, library):
    context = browser.new_context(viewport=TABLET, base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "peer")
        page.goto("/library/?category=medications")
        page.get_by_label("Search the library").fill("Vivitrol")
        page.get_by_role("button", name="Search").click()
        page.wait_for_url("**/library/?q=Vivitrol&category=medications")
        # The synonym list knows Vivitrol is naltrexone: its own card first, then the
        # card on the medications that names naltrexone.
        titles = page.locator(".card-link").all_inner_texts()
        assert titles[0].startswith("Naltrexone") and len(titles) == 2, titles
        assert (
            page.get_by_role("link", name="Medications (MAT / MOUD)").get_attribute("aria-current") == "page"
        )
    finally:
        context.close()


def test_it_lists_the_words_that_matter(page, peer, library):
    sign_in(page, "peer")
    page.goto("/library/words/")
    assert page.get_by_role("rowheader", name="overdose victim").is_visible()
    check_a11y(page)
    page.get_by_label("Sentence to check (not saved)").fill("He is an addict.")
    page.get_by_role("button", name="Check").click()
    assert page.locator(".checked-text mark").inner_text() == "addict"
    assert page.get_by_label("Sentence to check (not saved)").input_value() == "He is an addict."
    check_a11y(page)
