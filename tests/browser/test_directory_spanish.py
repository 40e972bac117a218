"""The directory in Spanish in a browser (issue 17): live search, chips and the
offline copy's own count, whose words come with the page (offline-directory.js)."""

import re

import pytest
from playwright.sync_api import expect

from demo.sample_directory import load_sample_directory
from resources.service_kinds import load_service_kinds
from tests.browser.conftest import check_a11y, load_search_synonyms, sign_in


@pytest.fixture
def sample_directory(db):
    # Browser tests empty the tables after each test, data migrations included: load again.
    load_service_kinds()
    load_search_synonyms()
    load_sample_directory()


def test_it_searches_the_directory_in_spanish_online_and_offline(page, peer, sample_directory):
    sign_in(page, "peer")
    # Signed in, the browser now asks for Spanish (the preference page is another helper's).
    page.set_extra_http_headers({"Accept-Language": "es"})
    page.goto("/directory/")
    expect(page.get_by_role("heading", name="Directorio", level=1)).to_be_visible()
    page.get_by_label("Busca servicios, lugares, idiomas").press_sequentially("metadona", delay=40)
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Riverside Methadone Clinic")).to_be_visible()
    matching = re.compile(r"^(1 servicio coincide|\d+ servicios coinciden) · Borrar todo$")
    expect(results.locator(".result-count")).to_have_text(matching)
    page.get_by_text("Filtros (0)").click()
    page.get_by_label("Sin cita").check()
    expect(page.get_by_text("Filtros (1)")).to_be_visible()
    check_a11y(page)

    page.goto("/directory/offline/")
    expect(page.get_by_role("heading", name="Directorio sin señal")).to_be_visible()
    count = page.locator("#offline-count")
    expect(count).to_have_text(re.compile(r"^\d+ servicios$"))
    page.get_by_label("Busca servicios, lugares, idiomas").fill("jeringas")
    expect(count).to_have_text(re.compile(r"^(1 servicio coincide|\d+ servicios coinciden)$"))
    assert "Division Street Syringe Exchange" in page.locator("#offline-results").inner_text()
    page.get_by_label("Busca servicios, lugares, idiomas").fill("zzzzqqq")
    expect(count).to_have_text("0 servicios coinciden")
    expect(page.get_by_text("Ningún servicio de esta copia coincide.")).to_be_visible()
    check_a11y(page)
