"""harmreduction's own pages and messages in Spanish: errors, sign-in, timeouts, passwords, the pager."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from tests.harmreduction.test_session_timeout import MINUTE, _age

ES = {"HTTP_ACCEPT_LANGUAGE": "es-US,es;q=0.9"}


def test_it_says_not_found_in_spanish(client, peer):
    client.force_login(peer)
    response = client.get("/no-such-page/", **ES)
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="es">' in page and "No pudimos encontrar eso" in page and "Volver al inicio" in page


def test_it_says_forbidden_in_spanish(client, peer):
    client.force_login(peer)
    response = client.get(reverse("sessions_app:review_queue"), **ES)
    assert response.status_code == 403
    assert "Esta página no está abierta para tu cuenta" in response.content.decode()


def test_it_says_the_admin_is_closed_in_spanish(client, peer):
    client.force_login(peer)
    response = client.get("/admin/", follow=True, **ES)
    assert response.status_code == 403
    assert "Tu cuenta no tiene acceso a la administración." in response.content.decode()


def test_it_says_a_stale_form_in_spanish(peer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(peer)
    response = client.post(reverse("account:settings"), {"language": "es"}, **ES)
    assert response.status_code == 403
    assert "Ese formulario había caducado" in response.content.decode()


def test_it_says_a_bad_request_in_spanish(client):
    response = client.get("/", HTTP_HOST="not-ours.example", **ES)
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="es">' in page and "Algo no estaba bien en esa solicitud" in page


def test_it_says_a_server_error_in_spanish():
    request = RequestFactory().get("/")
    with translation.override("es"):
        page = server_error(request).content.decode()
    assert '<html lang="es">' in page and "Algo salió mal de nuestro lado" in page


def test_it_asks_to_sign_in_in_spanish(client, db):
    page = client.get(reverse("login"), **ES).content.decode()
    assert "<h1>Iniciar sesión</h1>" in page and ">Nombre de usuario</label>" in page
    page = client.post(reverse("login"), {"username": "nobody", "password": "wrong-password"}, **ES).content.decode()
    assert "Ese nombre de usuario y esa contraseña no coinciden." in page


def test_it_says_the_timeout_in_the_persons_language(client, peer):
    peer.language = "es"
    peer.save()
    client.force_login(peer)
    _age(client, idle=15 * MINUTE + 1)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # The message was written while the person was known; the sign-in page follows the browser.
    assert "Se cerró tu sesión después de 15 minutos sin actividad." in page
    assert "<h1>Sign in</h1>" in page


def test_it_explains_password_rules_in_spanish(client, peer):
    client.force_login(peer)
    page = client.get(reverse("account:password_change"), **ES).content.decode()
    assert "Tu contraseña no puede contener tu nombre de usuario." in page
    response = client.post(reverse("account:password_change"), {
        "old_password": "a-long-test-password", "new_password1": "peer-lantern-orchard",
        "new_password2": "peer-lantern-orchard"}, **ES)
    assert "Tu contraseña no puede contener tu nombre de usuario." in response.content.decode()


def test_it_counts_pages_in_spanish():
    page = Paginator(range(30), 10).page(2)
    with translation.override("es"):
        html = render_to_string("_pager.html", {"page": page})
    assert "Página 2 de 3" in html and ">Anterior</a>" in html and ">Siguiente</a>" in html


def test_it_names_the_home_tiles_in_spanish(client, supervisor):
    client.force_login(supervisor)
    page = client.get(reverse("home"), **ES).content.decode()
    assert "<strong>Revisión</strong>" in page
    assert "Los registros de tu equipo que esperan revisión, los más antiguos primero." in page
    assert ">Ajustes</a>" in page and ">Cerrar sesión</button>" in page


def test_it_describes_the_app_in_the_browsers_language_and_says_it_varies(client, db):
    response = client.get(reverse("manifest"), **ES)
    data = response.json()
    assert data["name"] == "Peer companion"
    assert data["description"] == "Registros, la biblioteca y el directorio para el apoyo entre pares, con o sin señal."
    assert "Accept-Language" in response["Vary"] and response["Content-Language"] == "es"
