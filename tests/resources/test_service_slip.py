import pytest
from django.urls import reverse

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
