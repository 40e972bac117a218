"""A peer working in English shows a participant a card and a slip in Spanish, with one tap (issue 17)."""

import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from demo.sample_directory import load_sample_directory
from resources import content
from resources.models import Service
from resources.service_kinds import load_service_kinds
from tests.browser.conftest import check_a11y, sign_in


@pytest.fixture
def library(db):
    # live_server's transactional tests empty the tables the data migrations filled.
    content.load(apps)


@pytest.fixture
def sample_directory(db):
    load_service_kinds()
    load_sample_directory()


def test_it_shows_a_card_in_spanish_and_back_in_english(page, peer, library):
    sign_in(page, "peer")
    page.goto("/library/naloxone-nasal-spray/")
    page.get_by_role("link", name="Show to participant").click()
    page.wait_for_url("**/library/naloxone-nasal-spray/show/")
    expect(page.get_by_text("Second dose, other nostril.")).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name="Español").click()
    page.wait_for_url("**/library/naloxone-nasal-spray/show/?lang=es")
    expect(page.get_by_role("heading", name="Cómo dar naloxona en aerosol nasal", level=1)).to_be_visible()
    expect(page.get_by_text("Otra dosis, en la otra fosa nasal.")).to_be_visible()
    # The content says it is Spanish; the page around it stays the peer's English.
    expect(page.locator(".show-content")).to_have_attribute("lang", "es")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Back")).to_be_visible()
    expect(page.get_by_role("link", name="Español")).to_have_attribute("aria-current", "true")
    # Large enough to tap, like Back.
    assert page.get_by_role("link", name="English").bounding_box()["height"] >= 44
    check_a11y(page)

    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/library/naloxone-nasal-spray/show/?lang=en")
    expect(page.get_by_text("Second dose, other nostril.")).to_be_visible()
    expect(page.locator(".show-content")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Otra dosis")).to_have_count(0)


def test_it_hands_over_a_slip_in_spanish_and_prints_it(page, peer, sample_directory):
    service = Service.objects.get(name="Riverside Methadone Clinic")
    sign_in(page, "peer")
    page.goto(f"/directory/{service.pk}/")
    page.get_by_role("link", name="Referral slip").click()
    expect(page.get_by_role("heading", name="Riverside Methadone Clinic", level=1)).to_be_visible()
    expect(page.locator(".slip").get_by_text("Hours", exact=True)).to_be_visible()

    page.get_by_role("link", name="Español").click()
    page.wait_for_url(re.compile(r"/slip/\?lang=es$"))
    slip = page.locator("article.slip")
    expect(slip).to_have_attribute("lang", "es")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    for label in ["Dirección", "Teléfono", "Horario"]:
        expect(slip.get_by_text(label, exact=True)).to_be_visible()
    expect(slip).to_contain_text(re.compile(r"(Lunes|Martes|Miércoles|Jueves|Viernes|Sábado|Domingo): \d"))
    expect(slip).to_contain_text(re.compile(r"\d a\. m\."))
    expect(slip).to_contain_text("Impreso el")
    expect(slip).not_to_contain_text("Monday")
    qr = page.get_by_role("img", name=re.compile("^Código QR"))
    expect(qr).to_be_visible()
    page.wait_for_function(
        "() => { const img = document.querySelector('.slip-qr img'); return img.complete && img.naturalWidth > 0; }"
    )
    # The peer's tools stay in English.
    expect(page.get_by_role("button", name="Print this slip")).to_be_visible()
    check_a11y(page)

    # On paper: the Spanish slip, without the peer's tools.
    page.emulate_media(media="print")
    expect(slip.get_by_text("Horario", exact=True)).to_be_visible()
    expect(slip.get_by_text("Escanéalo para guardar estos datos en tu teléfono.")).to_be_visible()
    expect(page.get_by_role("button", name="Print this slip")).to_be_hidden()
    expect(page.get_by_role("link", name="English")).to_be_hidden()
    page.emulate_media(media="screen")

    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/slip/\?lang=en$"))
    expect(page.locator("article.slip")).to_have_attribute("lang", "en")
    expect(page.locator("article.slip").get_by_text("Hours", exact=True)).to_be_visible()
