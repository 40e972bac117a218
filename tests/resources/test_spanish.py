"""The library and the directory in Spanish (issue 17): a peer whose browser asks
for Spanish reads every word of these pages in Spanish, and a Spanish search
finds what the English one finds.

Reads the compiled catalog (locale/es/LC_MESSAGES/django.mo): `make test`
compiles it.
"""

import json
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from demo.sample_directory import load_sample_directory
from resources.listing import offline_rows, result_rows
from resources.models import Card, Service, directory_languages
from tests.resources.conftest import make_service
from tests.resources.test_search_quality import TEMPLATES, found

ES = {"HTTP_ACCEPT_LANGUAGE": "es"}


def text(response) -> str:
    """The words of the page's <main>, tags gone and spaces squeezed (the menus around it are not ours)."""
    html = response.content.decode()
    html = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def script_data(response, element_id: str):
    html = response.content.decode()
    return json.loads(re.search(rf'id="{element_id}"[^>]*>(.*?)</script>', html, re.S).group(1))


@pytest.fixture
def exchange(db):
    return make_service(
        "Eastside Exchange",
        terms=["PC-SYR", "MU", "NP"],
        hours=[("MO,TU,WE,TH,FR", "09:00", "17:00")],
        languages=[("es", "Spanish"), ("en", "English")],
        access="walk-in",
    )


@pytest.fixture
def clinic(db):
    return make_service("Riverside Clinic", terms=["BU"], languages=[("vi", "Vietnamese")], verified_days_ago=3)


# The library ---------------------------------------------------------------


def test_it_shows_the_library_in_spanish(client, peer):
    client.force_login(peer)
    page = text(client.get(reverse("resources:library"), **ES))
    assert "Biblioteca" in page and "Busca en la biblioteca" in page
    assert "Principios de reducción de daños" in page  # a category chip and heading
    assert f"{Card.objects.count()} tarjetas" in page
    assert "Apta para mostrar" in page
    assert "Las palabras importan" in page
    for english in ("Search the library", "Harm-reduction principles", "Fit to show", " cards"):
        assert english not in page


def test_it_counts_one_card_and_many_in_spanish(client, peer):
    client.force_login(peer)
    keep = Card.objects.first()
    Card.objects.exclude(pk=keep.pk).delete()
    page = text(client.get(reverse("resources:library"), **ES))
    assert "1 tarjeta" in page and "1 tarjetas" not in page


def test_it_says_no_card_matches_in_spanish(client, peer):
    client.force_login(peer)
    page = text(client.get(reverse("resources:library"), {"q": "zzqx"}, **ES))
    assert "Ninguna tarjeta coincide con «zzqx»." in page
    assert "mira todas las tarjetas" in page


def test_it_shows_a_card_page_in_spanish(client, peer):
    client.force_login(peer)
    card = Card.objects.showable().first()
    card.last_reviewed = date(2026, 12, 2)
    card.save()
    page = text(client.get(card.get_absolute_url(), **ES))
    assert "Mostrar al participante" in page and "Fuentes" in page
    assert "Última revisión: 2 dic 2026" in page
    with translation.override("es"):
        assert str(card.get_category_display()) in page  # the breadcrumb's category, in Spanish
    # The card's own words are content, not interface: they stay as written.
    assert card.title in page


# The directory ---------------------------------------------------------------


def test_it_shows_the_directory_in_spanish(client, peer, exchange, clinic):
    client.force_login(peer)
    page = text(client.get(reverse("resources:directory"), **ES))
    assert "Directorio" in page and "Busca servicios, lugares, idiomas" in page
    # Chips, their groups and the count of filters in use.
    for words in ("Tipo", "Medicamento", "Acceso y costo", "Idioma", "Servicios de jeringas", "Metadona",
                  "Buprenorfina", "Gratis", "Abierto ahora", "Sin cita", "Filtros (0)", "Mostrar servicios"):
        assert words in page, words
    # The languages services speak, named in Spanish and in Spanish order.
    assert re.search(r"Español .*Inglés .*Vietnamita", page)
    # Rows: badges, phone, when verified.
    assert "Llamar al 503-555-0199" in page
    assert "Verificado hoy" in page and "Verificado hace 3 días" in page
    assert "2 servicios" in page
    for english in ("Syringe services", "Walk-in", "Verified today", " services", "Call 503", "Filters"):
        assert english not in page, english


def test_it_counts_one_service_and_matches_in_spanish(client, peer, exchange, clinic):
    client.force_login(peer)
    page = text(client.get(reverse("resources:directory"), {"medication": "MU"}, **ES))
    assert "1 servicio coincide" in page and "Filtros (1)" in page and "Borrar todo" in page
    page = text(client.get(reverse("resources:directory"), {"medication": ["MU", "BU"]}, **ES))
    assert "2 servicios coinciden" in page and "Filtros (2)" in page
    Service.objects.filter(pk=clinic.pk).delete()
    page = text(client.get(reverse("resources:directory"), **ES))
    assert "1 servicio" in page and "1 servicios" not in page


def test_it_says_no_service_matches_in_spanish(client, peer, exchange):
    client.force_login(peer)
    page = text(client.get(reverse("resources:directory"), {"q": "zzqx"}, **ES))
    assert "Ningún servicio coincide." in page and "Prueba con menos filtros o con otra palabra." in page


def test_it_shows_a_service_page_in_spanish(client, peer, exchange):
    client.force_login(peer)
    page = text(client.get(reverse("resources:service_detail", args=[exchange.pk]), **ES))
    for words in ("Horario", "Hoja de derivación", "Dónde está y cómo contactar", "Costos", "Gratis", "Idiomas",
                  "Inglés, Español", "Última verificación", "Verificado hoy", "Llamar al 503-555-0199",
                  "Intercambio de jeringas", "Sin cita", "Horario de esta semana, hora de America/Los_Angeles"):
        assert words in page, words
    with translation.override("es"):
        assert f"({date_format(timezone.localdate(), 'DATE_FORMAT')})" in page
    for english in ("Hours", "Referral slip", "Costs", "Languages", "Last verified", "Spanish"):
        assert english not in page, english


def test_it_shows_the_needs_checking_list_in_spanish(client, content_admin, db):
    make_service("Old Exchange", verified_days_ago=None)
    client.force_login(content_admin)
    page = text(client.get(reverse("resources:directory_stale"), **ES))
    assert "Por verificar" in page and "1 servicio" in page and "Nunca verificado" in page


def test_it_shows_the_offline_directory_in_spanish(client, peer, exchange, clinic):
    client.force_login(peer)
    response = client.get(reverse("resources:directory_offline"), **ES)
    page = text(response)
    assert "Directorio sin señal" in page
    assert "2 servicios guardados en esta tableta" in page
    assert "Llama para confirmar antes de enviar a alguien" in page
    assert "Servicios de jeringas" in page and "Verificado el" in page
    # The words offline-directory.js counts with, in Spanish, one form a number.
    texts = script_data(response, "offline-count-text")
    assert texts["all"]["forms"] == ["%(counter)s servicios", "%(counter)s servicio"]
    assert [texts["all"]["forms"][texts["all"]["pick"][n]] for n in (0, 1, 2)] == [
        "%(counter)s servicios", "%(counter)s servicio", "%(counter)s servicios",
    ]
    assert "%(counter)s servicio coincide" in texts["matching"]["forms"]


def test_it_gives_the_offline_script_english_words_in_english(client, peer, exchange):
    client.force_login(peer)
    texts = script_data(client.get(reverse("resources:directory_offline")), "offline-count-text")
    assert texts["all"]["forms"][texts["all"]["pick"][1]] == "%(counter)s service"
    assert texts["matching"]["forms"][texts["matching"]["pick"][7]] == "%(counter)s services match"


# Caches hold words: one per language ----------------------------------------------


def test_it_keeps_each_languages_rows_apart_in_the_cache(exchange):
    services = list(Service.objects.filter(pk=exchange.pk).only("name", "updated_at"))
    with translation.override("en"):
        english = str(result_rows(services)[0])
    with translation.override("es"):
        spanish = str(result_rows(services)[0])  # the English row is in the cache: not this one
    with translation.override("en"):
        assert str(result_rows(services)[0]) == english
    assert "Verified today" in english and "Syringe exchange" in english and "Intercambio" not in english
    assert "Verificado hoy" in spanish and "Intercambio de jeringas" in spanish and "Verified" not in spanish


def test_it_keeps_each_languages_offline_rows_apart_in_the_cache(exchange):
    kept = [(exchange.pk, exchange.updated_at)]
    with translation.override("es"):
        spanish = str(offline_rows(kept))
    with translation.override("en"):
        english = str(offline_rows(kept))
    assert "Verificado el" in spanish and "Llamar" in spanish
    assert "Verified" in english and "Call" in english and "Llamar" not in english


def test_it_keeps_each_languages_language_names_apart_in_the_cache(exchange):
    with translation.override("en"):
        assert dict(directory_languages()) == {"en": "English", "es": "Spanish"}
    with translation.override("es"):
        assert dict(directory_languages()) == {"en": "Inglés", "es": "Español"}
    with translation.override("en"):
        assert directory_languages() == [("en", "English"), ("es", "Spanish")]


def test_it_draws_the_directory_in_english_then_spanish_with_a_warm_cache(client, peer, exchange):
    client.force_login(peer)
    assert "Verified today" in text(client.get(reverse("resources:directory")))
    spanish = text(client.get(reverse("resources:directory"), **ES))
    assert "Verificado hoy" in spanish and "Verified today" not in spanish
    assert "Verified today" in text(client.get(reverse("resources:directory")))


# Searching in Spanish ------------------------------------------------------------


@pytest.fixture
def sample_directory(db):
    load_sample_directory()


@pytest.mark.parametrize(
    "spanish,english",
    [
        ("metadona", "methadone"),
        ("jeringas", "syringes"),
        ("naloxona", "naloxone"),
        ("agujas", "needles"),
        ("buprenorfina", "buprenorphine"),
        ("clínica de metadona", "methadone clinic"),
        ("intercambio de jeringas", "syringe"),
    ],
)
def test_it_finds_the_same_services_for_spanish_words(sample_directory, spanish, english):
    services = {service.pk for service in found(spanish)}
    assert services and services == {service.pk for service in found(english)}


def test_it_finds_services_for_spanish_words_with_no_english_twin(sample_directory):
    assert found("sobredosis")
    assert found("sin cita") == found("walk-in")


def _spanish_placeholders() -> list[tuple[str, str]]:
    """(template, English placeholder) for the library's and directory's search boxes."""
    shown = []
    for path in sorted((TEMPLATES / "resources").glob("*.html")):
        for msgid in re.findall(r"""placeholder="\{% translate '(e\.g\.[^']*)' %\}""", path.read_text()):
            shown.append((f"resources/{path.name}", msgid))
    return shown


def test_it_knows_the_search_boxes():
    assert {template for template, _ in _spanish_placeholders()} >= {
        "resources/directory.html", "resources/directory_offline.html", "resources/library.html",
    }


@pytest.mark.parametrize("template,english", _spanish_placeholders())
def test_it_keeps_every_spanish_placeholders_promise(sample_directory, template, english):
    """The Spanish example words of each search box find something too."""
    with translation.override("es"):
        shown = translation.gettext(english)
    assert shown != english, f"{english!r} is not translated"
    for word in shown.removeprefix("p. ej.,").replace("…", "").split(","):
        if template == "resources/library.html":
            assert Card.objects.search(word.strip()), f"{template}: {word!r} finds no card"
        else:
            assert found(word.strip()), f"{template}: {word!r} finds no service"
