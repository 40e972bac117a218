from unittest import mock

from django.db import DatabaseError


def test_it_reports_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "cache": "ok"}


def test_it_reports_503_without_a_database(client, db):
    with mock.patch("harmreduction.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_it_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405
