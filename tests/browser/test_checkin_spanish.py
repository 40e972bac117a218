"""The check-in form in Spanish, scripts included (issue 17, item 1).

A tablet whose browser asks for Spanish: the form's words, the steppers' names
and the words the scripts write when the signal drops all come in Spanish,
from the page (json_script), with no English left in the scripts.
"""

import pytest

from sessions_app.models import CheckIn
from tests.browser.conftest import PASSWORD, TABLET
from tests.browser.test_checkin import choice_lists  # noqa: F401 (fixture)
from tests.browser.test_offline_queue import CSP_WATCH, WAIT, wait_until_sent, watch


@pytest.fixture
def spanish_tablet(browser, live_server):
    context = browser.new_context(viewport=TABLET, base_url=live_server.url, has_touch=True, locale="es-US")
    context.add_init_script(CSP_WATCH)
    problems = []
    yield watch(context.new_page(), problems)
    context.close()
    assert not problems, problems


def test_it_saves_a_checkin_without_signal_in_spanish(spanish_tablet, peer, choice_lists):  # noqa: F811
    page = spanish_tablet
    page.goto("/login/")
    page.locator("input[name=username]").fill("peer")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/login/" not in url)

    page.goto("/checkins/new/")
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("heading", name="Nuevo registro").wait_for(timeout=WAIT)
    # The steppers' buttons are named by the script, in Spanish.
    page.get_by_role("button", name="Uno más: Naloxone kits").click()
    assert page.get_by_role("spinbutton", name="Naloxone kits").input_value() == "1"
    page.get_by_label("Street outreach").click()
    page.get_by_label("Nota", exact=True).fill("Hablamos de calcetines secos.")
    page.get_by_text("Borrador guardado a las").wait_for(timeout=WAIT)

    page.context.set_offline(True)
    page.get_by_label("Nota", exact=True).press_sequentially(" Más.")
    page.locator("#draft-status").get_by_text("Todavía no se envió: sin señal.").wait_for(timeout=WAIT)
    page.get_by_role("button", name="Guardar registro").click()
    page.get_by_text("Este registro está guardado bajo llave en esta tableta").wait_for(timeout=WAIT)
    queue = page.locator("#offline-queue")
    assert queue.inner_text().startswith("1 registro esperando para enviarse.")
    assert "check-in" not in queue.inner_text()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until_sent(page)
    assert CheckIn.objects.get(peer=peer).note == "Hablamos de calcetines secos. Más."
