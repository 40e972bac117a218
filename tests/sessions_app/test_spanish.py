"""The check-in side in Spanish (issue 17, item 1): what a person reading Spanish sees.

The language comes from Accept-Language here; the per-person setting wins over
it (tests/harmreduction). These tests need the compiled Spanish catalogue
(`manage.py compilemessages`, which `make test` runs).
"""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import ngettext

from sessions_app.dashboard import Scope, cached_figures
from sessions_app.models import CheckIn, Referral
from sessions_app.templatetags.offline import checkin_form_texts, offline_queue_texts
from tests.resources.conftest import make_service
from tests.sessions_app.conftest import form_data

ES = {"HTTP_ACCEPT_LANGUAGE": "es"}


def test_it_counts_anonymous_contacts_in_the_singular_and_the_plural():
    # The dashboard's figure, as its template says it ("1 anonymous contacts" before).
    one, other = "<strong>%(n)s</strong> anonymous contact", "<strong>%(n)s</strong> anonymous contacts"
    with translation.override("es"):
        said = [ngettext(one, other, n) % {"n": n} for n in (1, 2)]
    with translation.override("en"):
        said_en = [ngettext(one, other, n) % {"n": n} for n in (1, 2)]
    assert said == ["<strong>1</strong> contacto anónimo", "<strong>2</strong> contactos anónimos"]
    assert said_en == ["<strong>1</strong> anonymous contact", "<strong>2</strong> anonymous contacts"]


def test_it_shows_the_check_in_form_in_spanish(client, peer, outreach):
    client.force_login(peer)
    body = client.get(reverse("sessions_app:checkin_new"), **ES).content.decode()
    assert '<html lang="es">' in body
    for words in ("Nuevo registro", "Código de participante", "Insumos entregados", "Derivaciones ofrecidas",
                  "Guardar registro", "Guardamos un borrador mientras escribes."):
        assert words in body, words
    assert "Save check-in" not in body and "Supplies handed out" not in body
    # The script's words come with the page, in Spanish.
    assert '"one_more": "Uno m\\u00e1s: %(item)s"' in body


def test_it_says_what_is_wrong_in_spanish(client, peer, outreach):
    client.force_login(peer)
    response = client.post(reverse("sessions_app:checkin_new"),
                           form_data(outreach, participant_code="Nobody-1"), **ES)
    body = response.content.decode()
    assert "Ningún participante tiene ese código." in body
    assert "Hay algunas cosas que revisar. Todo lo que escribiste sigue aquí." in body


def test_it_shows_a_saved_check_in_in_spanish(client, peer, checkin):
    checkin.duration_minutes = 1
    checkin.save()
    client.force_login(peer)
    body = client.get(checkin.get_absolute_url(), **ES).content.decode()
    assert "Registro con" in body and "Cedar-101" in body
    assert "1 minuto<" in body and "Sin revisar todavía" in body
    # The person's own words stay as they wrote them.
    assert "Talked about the weekend." in body
    # The date in the Spanish shape: the day before a lower-case month.
    local = timezone.localtime(checkin.happened_at)
    with translation.override("es"):
        spanish = date_format(local, "DATETIME_FORMAT")
    with translation.override("en"):
        english = date_format(local, "DATETIME_FORMAT")
    assert spanish.startswith(f"{local.day} ") and spanish != english
    assert spanish in body


def test_it_lists_check_ins_counted_in_the_singular_and_the_plural(client, peer, cedar, outreach):
    client.force_login(peer)
    CheckIn.objects.create(peer=peer, participant=cedar, method=outreach)
    body = client.get(reverse("sessions_app:checkin_list"), **ES).content.decode()
    assert "1 registro<" in body and "Registros, del más reciente al más antiguo" in body
    CheckIn.objects.create(peer=peer, participant=None, method=outreach)
    body = client.get(reverse("sessions_app:checkin_list"), **ES).content.decode()
    assert "2 registros<" in body and "Anónimo" in body
    # In English, as before.
    body = client.get(reverse("sessions_app:checkin_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 check-ins<" in body and "Anonymous" in body


def test_it_shows_the_review_queue_in_spanish(client, supervisor, checkin):
    client.force_login(supervisor)
    body = client.get(reverse("sessions_app:review_queue"), **ES).content.decode()
    assert "Revisión" in body and "1 registro esperando revisión." in body
    assert "Registros esperando revisión, del más antiguo al más reciente" in body
    body = client.get(reverse("sessions_app:review_checkin", args=[checkin.pk]), **ES).content.decode()
    assert "Volver a la cola de revisión" in body and "Enviar y terminar" in body


@pytest.fixture
def figures_data(peer, cedar, outreach, naloxone):
    anonymous = CheckIn.objects.create(peer=peer, method=outreach)
    CheckIn.objects.create(peer=peer, participant=cedar, method=outreach)
    exchange = make_service("Division Street Syringe Exchange", terms=["PC-SSP", "NOE"])
    Referral.offer(anonymous, exchange.pk, "offered", by=peer)
    return anonymous


def test_it_shows_the_dashboard_in_spanish(client, supervisor, figures_data):
    client.force_login(supervisor)
    body = client.get(reverse("sessions_app:dashboard"), **ES).content.decode()
    assert "Lo que está haciendo el programa" in body
    assert "<strong>2</strong> contactos" in body and "<strong>1</strong> contacto anónimo" in body
    # Chart titles and the status labels in the chart's table.
    assert "Derivaciones según cómo van ahora" in body and "Ofrecida" in body
    assert "Todos los tipos" in body


def test_it_never_serves_one_languages_figures_to_another(client, supervisor, figures_data):
    """The figures are kept a minute: a Spanish reader right after an English one gets Spanish words."""
    client.force_login(supervisor)
    english = client.get(reverse("sessions_app:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "All kinds" in english and "Offered" in english
    spanish = client.get(reverse("sessions_app:dashboard"), **ES).content.decode()
    assert "Todos los tipos" in spanish and "All kinds" not in spanish
    today = timezone.localdate()
    scope = Scope(start=today - timedelta(days=89), end=today, teams=None)
    with translation.override("es"):
        weeks_es = cached_figures(scope)["weekly"]
    with translation.override("en"):
        weeks_en = cached_figures(scope)["weekly"]
    assert [count for _label, count in weeks_es] == [count for _label, count in weeks_en]
    assert weeks_es[-1][0] != weeks_en[-1][0]  # "2 dic" and "Dec 2"
    cache.clear()


def test_it_shows_the_funder_report_and_its_csv_in_spanish(client, supervisor, figures_data):
    client.force_login(supervisor)
    body = client.get(reverse("sessions_app:funder_report"), **ES).content.decode()
    assert "Informe para financiadores" in body and "Qué significa cada cifra" in body
    assert "Participantes sin duplicar" in body
    # Quarters named in Spanish, months in lower case: "T3 2026 (jul – sep)".
    assert re.search(r">T[1-4] 20\d\d \((ene|abr|jul|oct) – (mar|jun|sep|dic)\)<", body)
    response = client.get(reverse("sessions_app:funder_report_csv"), **ES)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["sección", "programa o financiador", "equipo", "medida", "unidad", "valor"]
    measures = {row[3] for row in rows[1:]}
    assert "Encuentros" in measures and "dosis de naloxona distribuidas" in measures
    # The same columns, in the same order, in English.
    english = list(csv.reader(io.StringIO(
        client.get(reverse("sessions_app:funder_report_csv"), HTTP_ACCEPT_LANGUAGE="en").content.decode())))
    assert english[0] == ["section", "program or funder", "team", "measure", "unit", "value"]
    assert [row[5] for row in english][1:] == [row[5] for row in rows][1:]


def test_it_exports_figures_and_notes_with_spanish_headers(client, admin, figures_data):
    client.force_login(admin)
    rows = list(csv.reader(io.StringIO(client.get(reverse("sessions_app:dashboard_csv"), **ES).content.decode())))
    assert rows[0] == ["sección", "dato", "valor"]
    assert ["totales", "Contactos anónimos", "<11"] in rows
    rows = list(csv.reader(io.StringIO(client.get(reverse("sessions_app:notes_csv"), **ES).content.decode())))
    # The 42 CFR Part 2 notice in Spanish keeps the regulation's name and number.
    assert rows[0][0].startswith("Este registro que se le ha divulgado está protegido")
    assert "42 CFR part 2" in rows[0][0] and "42 CFR 2.31" in rows[0][0]
    assert rows[1] == ["id", "cuándo", "especialista de pares", "participante", "cómo", "programa", "metas", "nota"]


def test_it_gives_the_scripts_their_words_in_the_readers_language():
    with translation.override("es"):
        form, queue = checkin_form_texts(), offline_queue_texts()
    with translation.override("en"):
        form_en, queue_en = checkin_form_texts(), offline_queue_texts()
    assert form.keys() == form_en.keys() and queue.keys() == queue_en.keys()
    assert form["add"] == "Agregar" and form_en["add"] == "Add"
    assert queue["waiting"]["one"].startswith("%(count)s registro esperando")
    assert queue["waiting"]["other"].startswith("%(count)s registros esperando")
    # Every word differs from the English: none was left untranslated.
    assert all(form[key] != form_en[key] for key in form)
    assert all(queue[key] != queue_en[key] for key in queue)
