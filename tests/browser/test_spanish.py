"""The Spanish interface end to end (issue 17): a peer who chose Spanish on the settings
page, on a browser that asks for English, signs in, logs a check-in, opens the directory
and the library; their supervisor reviews it. Every page says lang="es", shows Spanish
words, and passes axe.

Words are looked up through gettext in Spanish, so the assertions follow the .po file:
what the translators wrote is what the page must show.
"""

import pytest
from django.apps import apps
from django.utils import translation

from harmreduction.models import User
from resources import content
from sessions_app.models import CheckIn
from tests.browser.conftest import CHECKIN_PAGE, check_a11y, open_account_menu, sign_in
from tests.browser.test_checkin import choice_lists  # noqa: F401  (fixture)


def es(msgid: str, context: str | None = None) -> str:
    with translation.override("es"):
        return translation.pgettext(context, msgid) if context else translation.gettext(msgid)


def _in_spanish(page, heading: str):
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", level=1, name=heading).is_visible()
    check_a11y(page)


@pytest.fixture
def library(db):
    # live_server empties the tables between tests; the library's cards come from migrations.
    content.load(apps)


def test_a_spanish_peer_and_supervisor_work_in_spanish_on_an_english_browser(
        page, peer, supervisor, choice_lists, library):  # noqa: F811
    # The browser asks for English: the sign-in page, before anyone is known, is English.
    page.goto("/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.request.get("/login/").headers.get("content-language") == "en"
    sign_in(page, "peer")

    open_account_menu(page)
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Español").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Guardado. Las páginas ahora se muestran en el idioma que elegiste.").is_visible()
    _in_spanish(page, "Ajustes")
    assert User.objects.get(username="peer").language == "es"

    page.get_by_role("link", name="Inicio", exact=True).click()
    _in_spanish(page, f"Hola, {peer.get_short_name()}")
    assert page.get_by_role("link", name="Biblioteca").first.is_visible()

    page.get_by_role("link", name="Nuevo registro").first.click()
    page.wait_for_url("**/checkins/new/")
    _in_spanish(page, es("New check-in"))
    page.locator('input[name="method"]').first.check()
    page.get_by_role("button", name=es("Save check-in")).click()
    page.wait_for_url(CHECKIN_PAGE)
    assert page.locator("html").get_attribute("lang") == "es"
    check_a11y(page)
    checkin = CheckIn.objects.get()
    assert checkin.peer.username == "peer"

    page.get_by_role("link", name="Directorio").click()
    _in_spanish(page, es("Directory"))

    page.get_by_role("link", name="Biblioteca").click()
    _in_spanish(page, es("Library"))

    open_account_menu(page)
    page.get_by_role("button", name="Cerrar sesión").click()
    page.wait_for_url("**/login/**")
    # Signed out, the page is the browser's language again.
    assert page.locator("html").get_attribute("lang") == "en"

    User.objects.filter(username="supervisor").update(language="es")
    sign_in(page, "supervisor")
    page.get_by_role("link", name="Revisión").first.click()
    _in_spanish(page, es("Review"))
    assert page.locator(f'a[href="/review/{checkin.pk}/"]').count() >= 1
