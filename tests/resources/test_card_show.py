"""/library/<slug>/show/: the full-screen, plain-language view for the participant, in their language."""

import re

from resources.models import Card, CardTranslation

URL = "/library/naloxone-nasal-spray/show/"


def _content(html):
    """The show screen's content container: its lang and what it says."""
    found = re.search(r'<div class="show-content" lang="([a-z-]+)">(.*?)</div>\s*</div>', html, re.S)
    assert found, html
    return found.group(1), found.group(2)



def test_it_shows_only_the_plain_language_text_in_large_type(client, peer):
    client.force_login(peer)
    response = client.get("/library/naloxone-nasal-spray/show/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="show-screen"' in html and "<h1>Giving naloxone nasal spray</h1>" in html
    assert "Second dose, other nostril." in html
    # Nothing for staff: no top bar, no body text, no sources, and one link back.
    assert 'class="topbar"' not in html and "Sign out" not in html
    assert "Harris County" not in html and "Lay the person" not in html
    # One link back, and one per language of the content.
    main = html.split('<main id="main"')[1]
    assert main.count("<a ") == 3
    assert '<a class="button show-back" href="/library/naloxone-nasal-spray/">Back</a>' in main


def test_it_is_404_for_a_card_for_peers_only(client, peer):
    client.force_login(peer)
    assert client.get("/library/insite-statistics/show/").status_code == 404
    assert client.get("/library/no-such-card/show/").status_code == 404


def test_it_refuses_post(client, peer):
    client.force_login(peer)
    assert client.post("/library/methadone/show/").status_code == 405


def test_it_shows_the_spanish_text_in_an_english_interface(client, peer):
    client.force_login(peer)
    html = client.get(URL, {"lang": "es"}).content.decode()
    # The interface stays the peer's: <html lang="en">, the Back button in English.
    assert '<html lang="en">' in html and ">Back</a>" in html
    lang, text = _content(html)
    assert lang == "es"
    assert "<h1>Cómo dar naloxona en aerosol nasal</h1>" in text and "Otra dosis, en la otra fosa nasal." in text
    assert "Second dose" not in html
    # Nobody has reviewed the Spanish yet: the peer is told, in the peer's language.
    assert '<p class="show-staff-note muted">Translation not reviewed yet</p>' in html


def test_it_offers_each_language_by_its_own_name_and_marks_the_current_one(client, peer):
    client.force_login(peer)
    html = client.get(URL, {"lang": "es"}).content.decode()
    assert ('<a class="button" href="?lang=es" lang="es" hreflang="es" aria-current="true">Español</a>'
            in html)
    assert '<a class="button button-quiet" href="?lang=en" lang="en" hreflang="en">English</a>' in html


def test_it_shows_english_by_default_in_an_english_interface(client, peer):
    client.force_login(peer)
    for params in ({}, {"lang": "en"}, {"lang": "xx"}):
        html = client.get(URL, params).content.decode()
        lang, text = _content(html)
        assert lang == "en" and "Second dose, other nostril." in text, params
        assert "not reviewed" not in html and "not translated" not in html


def test_it_shows_english_content_in_a_spanish_interface(client, peer):
    client.force_login(peer)
    html = client.get(URL, {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es">' in html
    lang, text = _content(html)
    assert lang == "en" and "Second dose, other nostril." in text
    # Without ?lang= the content follows the interface: Spanish.
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es">' in html and _content(html)[0] == "es"
    assert "Traducción aún sin revisar" in html


def test_it_falls_back_to_english_with_a_note_in_the_language_asked_for(client, peer):
    CardTranslation.objects.filter(card__slug="naloxone-nasal-spray").delete()
    client.force_login(peer)
    html = client.get(URL, {"lang": "es"}).content.decode()
    assert '<html lang="en">' in html
    assert ('<p class="notice" lang="es">Esta tarjeta aún no está traducida; se muestra en inglés.</p>'
            in html)
    lang, text = _content(html)
    assert lang == "en" and "<h1>Giving naloxone nasal spray</h1>" in text and "Second dose" in text


def test_it_says_nothing_of_review_once_a_person_has_reviewed_the_translation(client, peer):
    CardTranslation.objects.filter(card__slug="naloxone-nasal-spray").update(reviewed_on="2026-12-01")
    client.force_login(peer)
    html = client.get(URL, {"lang": "es"}).content.decode()
    assert "not reviewed" not in html and _content(html)[0] == "es"


def test_it_keeps_every_language_of_every_show_screen_in_the_offline_copy(client, peer):
    client.force_login(peer)
    urls = client.get("/offline/copy.json").json()["urls"]
    for slug in Card.objects.showable().values_list("slug", flat=True):
        for suffix in ("", "?lang=en", "?lang=es"):
            assert f"/library/{slug}/show/{suffix}" in urls
    spanish = client.get(URL, {"lang": "es"}, headers={"X-Offline-Copy": "1"})
    assert spanish["X-Offline-Copy"] == "1" and "Otra dosis" in spanish.content.decode()
    assert not any("?lang=" in url for url in urls if "/show/" not in url)
