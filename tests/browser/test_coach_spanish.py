"""The coach reads a Spanish note (issue 17, item 5): the hint arrives on a slow connection, and
"Use …" swaps the words as written, accents and all, in an English or a Spanish interface."""

import pytest
from django.apps import apps

from resources import content
from tests.browser.conftest import check_a11y, sign_in
from tests.browser.test_checkin import choice_lists  # noqa: F401 (fixture)
from tests.browser.test_checkin_latency import slow_network

pytestmark = pytest.mark.browser


def test_it_swaps_spanish_words_typed_in_an_english_interface(page, peer, choice_lists):  # noqa: F811
    content.load(apps)  # both term lists (live_server empties the tables)
    sign_in(page, "peer")
    page.goto("/checkins/new/")
    slow_network(page, 600)
    page.get_by_label("Street outreach").click()
    note = page.get_by_label("Note")
    note.press_sequentially("Dice que la prueba salió limpia y que vuelve el jueves.", delay=20)
    coach = page.locator("#coach-note")
    use = coach.get_by_role("button", name="Use “salió negativa”")
    use.wait_for()
    assert "Instead of “salió limpia”, you could say:" in coach.inner_text()
    assert coach.locator("strong[lang=es]").inner_text() == "prueba negativa; prueba positiva"
    check_a11y(page)
    # Typing went on while the hint travelled: the swap finds the words where they are now.
    note.press_sequentially(" Mañana llama.", delay=20)
    use.tap()
    assert note.input_value() == "Dice que la prueba salió negativa y que vuelve el jueves. Mañana llama."
    coach.locator("li").wait_for(state="detached")


def test_it_swaps_spanish_words_in_a_spanish_interface(page, peer, choice_lists):  # noqa: F811
    content.load(apps)
    sign_in(page, "peer")
    page.set_extra_http_headers({"Accept-Language": "es"})
    page.goto("/checkins/new/")
    assert page.locator("html").get_attribute("lang") == "es"
    slow_network(page, 600)
    note = page.locator("#id_note")
    note.press_sequentially("Habló de sus recaídas con calma.", delay=20)
    coach = page.locator("#coach-note")
    use = coach.get_by_role("button", name="Usar «vueltas al consumo»")
    use.wait_for()
    assert "Si describe a una persona, en lugar de «recaídas», podrías decir:" in coach.inner_text()
    check_a11y(page)
    use.tap()
    assert note.input_value() == "Habló de sus vueltas al consumo con calma."


def test_it_makes_the_spanish_article_fit_the_new_words(page, peer, choice_lists):  # noqa: F811
    content.load(apps)
    sign_in(page, "peer")
    page.goto("/checkins/new/")
    slow_network(page, 600)
    note = page.get_by_label("Note")
    coach = page.locator("#coach-note")
    note.press_sequentially("Un adicto del barrio habló con los toxicómanos del parque.", delay=20)
    coach.get_by_role("button", name="Use “personas que usan drogas”").wait_for()
    coach.get_by_role("button", name="Use “persona que usa drogas”").tap()
    assert note.input_value() == "Una persona que usa drogas del barrio habló con los toxicómanos del parque."
    # The hint for the other words is still there (the coach reads the new text again).
    coach.get_by_role("button", name="Use “personas que usan drogas”").tap()
    assert note.input_value() == (
        "Una persona que usa drogas del barrio habló con las personas que usan drogas del parque.")
