"""The settings page: a person chooses the interface's language, and it wins over the browser's."""

import pytest
from django.urls import reverse

from harmreduction.models import AuditEvent
from tests.conftest import PASSWORD

URL = reverse("account:settings")


def test_it_offers_the_browser_and_each_language_named_in_itself(client, peer):
    client.force_login(peer)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "From this device’s browser" in page
    assert '<label class="choice" lang="es"><input type="radio" name="language" value="es"' in page
    assert "Español" in page and "English" in page
    # Blank (the browser's) is the choice of a person who never chose.
    assert '<input type="radio" name="language" value="" id="id_language_0" checked>' in page


def test_it_is_linked_from_the_account_menu(client, peer):
    client.force_login(peer)
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()


def test_it_saves_the_language_and_says_so_in_that_language(client, peer):
    client.force_login(peer)
    response = client.post(URL, {"language": "es"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == URL
    peer.refresh_from_db()
    assert peer.language == "es"
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="es">' in page
    assert "Guardado. Las páginas ahora se muestran en el idioma que elegiste." in page
    event = AuditEvent.objects.get(action="language changed")
    assert (event.user, event.detail) == (peer, "es")


def test_it_wins_over_accept_language_on_every_page(client, peer):
    peer.language = "es"
    peer.save()
    client.force_login(peer)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert ">Inicio<" in page and ">Nuevo registro<" in page
    assert response["Content-Language"] == "es"
    # Never kept by a shared cache, whatever the language (NoStoreMiddleware).
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_it_lets_english_win_over_a_spanish_browser(client, peer):
    peer.language = "en"
    peer.save()
    client.force_login(peer)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="en">' in page and ">New check-in<" in page


def test_it_follows_the_browser_when_blank(client, peer):
    client.force_login(peer)
    assert '<html lang="es">' in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es-US").content.decode()
    assert '<html lang="en">' in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()


def test_it_goes_back_to_the_browser_when_blank_is_chosen(client, peer):
    peer.language = "es"
    peer.save()
    client.force_login(peer)
    response = client.post(URL, {"language": ""}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    peer.refresh_from_db()
    assert peer.language == ""
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Saved. Pages now show in the language you chose." in page
    assert AuditEvent.objects.get(action="language changed").detail == "browser"


def test_it_refuses_a_language_not_offered(client, peer):
    client.force_login(peer)
    response = client.post(URL, {"language": "vi"})
    assert response.status_code == 200
    assert "vi is not one of the available choices" in response.content.decode()
    peer.refresh_from_db()
    assert peer.language == ""
    assert not AuditEvent.objects.filter(action="language changed").exists()


def test_it_does_not_audit_saving_the_same_language(client, peer):
    client.force_login(peer)
    client.post(URL, {"language": ""})
    assert not AuditEvent.objects.filter(action="language changed").exists()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_it_answers_405_to_other_methods(client, peer, method):
    client.force_login(peer)
    assert getattr(client, method)(URL).status_code == 405


def test_it_sends_anonymous_people_to_sign_in(client, peer):
    response = client.post(URL, {"language": "es"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    peer.refresh_from_db()
    assert peer.language == ""


def test_it_leaves_the_sign_in_page_to_the_browser(client, peer):
    peer.language = "es"
    peer.save()
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in page and ">Sign in<" in page
    # After signing in, the person's own language.
    response = client.post(reverse("login"), {"username": peer.username, "password": PASSWORD},
                           HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert '<html lang="es">' in response.content.decode()
