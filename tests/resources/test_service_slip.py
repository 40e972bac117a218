from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from tests.resources.conftest import make_service


@pytest.fixture
def service(db):
    return make_service(
        "Riverside Methadone Clinic",
        terms=["OTP", "MM"],
        hours=[("MO,TU,WE,TH,FR", "05:30", "11:30")],
        what_to_bring="Photo ID\nOregon Health Plan card",
    )


def test_it_prints_name_address_hours_phone_and_what_to_bring(client, peer, service):
    client.force_login(peer)
    response = client.get(reverse("resources:service_slip", args=[service.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    for text in [
        "Riverside Methadone Clinic",
        "100 SE Example St, Portland, OR 97214",
        "503-555-0199",
        "Monday: 5:30 am – 11:30 am",
        "Photo ID",
        "Oregon Health Plan card",
        "data-print",
    ]:
        assert text in content, text
    assert reverse("resources:service_qr", args=[service.pk]) in content


def test_it_draws_the_qr_code_as_svg_with_the_details_as_plain_text(client, peer, service):
    client.force_login(peer)
    response = client.get(reverse("resources:service_qr", args=[service.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    text = service.plain_text()
    assert text.splitlines()[:3] == [
        "Riverside Methadone Clinic",
        "Test Health Collective",
        "100 SE Example St, Portland, OR 97214",
    ]
    assert "Tel 503-555-0199" in text and "Mon: 5:30 am – 11:30 am" in text
    # Never a link into this app: the person keeps the details, not a URL that needs our login.
    assert "http" not in text and "/directory/" not in text


def test_it_encodes_exactly_the_plain_text(client, peer, service):
    from resources.views import service_qr_svg

    client.force_login(peer)
    body = client.get(reverse("resources:service_qr", args=[service.pk])).content.decode()
    assert body == service_qr_svg(service)
    assert 'xmlns="http://www.w3.org/2000/svg"' in body


def test_it_is_404_for_defunct_services(client, peer, db):
    gone = make_service("Gone", status="defunct")
    client.force_login(peer)
    assert client.get(reverse("resources:service_slip", args=[gone.pk])).status_code == 404
    assert client.get(reverse("resources:service_qr", args=[gone.pk])).status_code == 404


def test_it_prints_the_slip_in_spanish_inside_an_english_interface(client, peer, service):
    service.last_verified_on = date(2026, 3, 4)
    service.save()
    client.force_login(peer)
    url = reverse("resources:service_slip", args=[service.pk])
    html = client.get(url, {"lang": "es"}).content.decode()
    # The page is the peer's: <html lang="en">, the tools in English.
    assert '<html lang="en">' in html and "Print this slip" in html
    slip = html.split('<article class="slip" lang="es">')[1].split("</article>")[0]
    with translation.override("es"):
        printed = date_format(timezone.localdate(), "DATE_FORMAT")
    for text in [
        "<strong>Dirección</strong>",
        "<strong>Teléfono</strong>",
        "<strong>Horario</strong>",
        "Lunes: 5:30 a. m. – 11:30 a. m.",
        "Viernes: 5:30 a. m. – 11:30 a. m.",
        "<strong>Qué llevar</strong>",
        'alt="Código QR con el nombre, la dirección, el teléfono y el horario de este servicio en texto"',
        "Escanéalo para guardar estos datos en tu teléfono.",
        "Datos verificados el 4 mar 2026.",
        f"Impreso el {printed}.",
        "El horario puede cambiar: conviene llamar antes.",
        "Derivación hecha por Jordan, Outreach East.",
    ]:
        assert text in slip, text
    # Service data stays as entered; no English label is left on the slip.
    assert "Riverside Methadone Clinic" in slip and "Photo ID" in slip
    for english in ["Address", "Phone", "Hours", "Monday", "What to bring", "Printed on", "Referred by"]:
        assert english not in slip, english
    # The QR code holds the details in the slip's language too.
    assert f'{reverse("resources:service_qr", args=[service.pk])}?lang=es' in slip
    qr = client.get(reverse("resources:service_qr", args=[service.pk]), {"lang": "es"}).content.decode()
    assert "Datos de Riverside Methadone Clinic" in qr


def test_it_prints_the_slip_in_english_inside_a_spanish_interface(client, peer, service):
    client.force_login(peer)
    url = reverse("resources:service_slip", args=[service.pk])
    html = client.get(url, {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es">' in html and "Imprimir esta hoja" in html
    slip = html.split('<article class="slip" lang="en">')[1].split("</article>")[0]
    assert "Monday: 5:30 am – 11:30 am" in slip and "<strong>Address</strong>" in slip
    assert "Referred by Jordan, Outreach East." in slip and "Lunes" not in slip


def test_it_switches_the_slip_with_one_link_per_language(client, peer, service):
    client.force_login(peer)
    html = client.get(reverse("resources:service_slip", args=[service.pk])).content.decode()
    tools = html.split('<p class="no-print slip-tools">')[1].split("</p>")[0]
    assert '<a class="button" href="?lang=en" lang="en" hreflang="en" aria-current="true">English</a>' in tools
    assert '<a class="button button-quiet" href="?lang=es" lang="es" hreflang="es">Español</a>' in tools
    assert '<article class="slip" lang="en">' in html
