"""XSS payloads typed into every field a person can fill are shown as text, never run.

Each field gets its own payload (a script tag, an attribute break-out with an
event handler, a javascript: URL) and every page that shows it is visited. A
dialog, a CSP violation (the `page` fixture) or an injected element fails the
test; the payload must be visible as the words that were typed.
"""

import csv
import io

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from resources import content
from sessions_app.models import CheckIn
from tests.browser.conftest import CHECKIN_PAGE, sign_in, sign_out
from tests.browser.test_checkin import choice_lists  # noqa: F401  (fixture)

NOTE = 'Note <script>alert("note")</script> then "><img src=x onerror=alert(1)> and javascript:alert(1)'
GOALS = "Goal '><img src=x onerror=alert(2)> <script>alert(2)</script>"
FOLLOW_UP = "Call <a href=javascript:alert(3)>here</a>"
NAME = '"><img src=x onerror=alert(4)>'  # 30 characters: the limit is 40
CODE = "\"><script>alert(5)"  # 18 characters: the box takes 20
ADDENDUM = "Later <svg onload=alert(6)></svg> javascript:alert(6)"
FEEDBACK = "Feedback <iframe src=javascript:alert(7)></iframe>"
REPLY = "Reply </textarea><script>alert(8)</script>"
SENTENCE = "An addict <img src=x onerror=alert(9)> to check"  # one flagged word: the sentence is echoed
SEARCH = '"><script>alert(10)</script>'

# What an injection would leave behind in the DOM. A page's words for its scripts come
# as JSON data (json_script: <script type="application/json">, never run, its < > & escaped).
INJECTED = (
    "script:not([src]):not([type='application/json']), img[src='x'], [onerror], [onload], [onmouseover], "
    "svg[onload], iframe, a[href^='javascript:' i]"
)


@pytest.fixture
def dialogs(page):
    fired = []
    page.on("dialog", lambda dialog: (fired.append(dialog.message), dialog.dismiss()))
    yield fired
    assert fired == [], f"a payload ran: {fired}"


def assert_inert(page, *texts):
    for text in texts:
        assert page.get_by_text(text).first.is_visible(), text
    assert page.locator(INJECTED).count() == 0, page.locator(INJECTED).first.evaluate("e => e.outerHTML")


def test_it_shows_payloads_in_every_field_as_text(page, dialogs, live_server, peer, supervisor, choice_lists):  # noqa: F811
    content.load(apps)  # the term list, emptied by the last transactional test
    sign_in(page, "peer")
    page.goto("/checkins/new/")
    page.get_by_label("Street outreach").click()
    # A code the form refuses comes back in its box, as typed, with the message.
    page.get_by_label("Participant code").fill(CODE)
    page.get_by_label("Note").fill(NOTE)
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("Use 2 to 20 letters").wait_for()
    assert page.get_by_label("Participant code").input_value() == CODE
    assert page.get_by_label("Note").input_value() == NOTE
    assert_inert(page)

    page.get_by_label("Participant code").fill("")
    page.get_by_label("New participant: make a code for them").check()
    page.get_by_label("What they like to be called").fill(NAME)
    page.get_by_label("Their goals, in their own words").fill(GOALS)
    page.get_by_label("Follow up on").fill(timezone.localdate().isoformat())
    page.get_by_label("What for").fill(FOLLOW_UP)
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url(CHECKIN_PAGE)
    checkin = CheckIn.objects.get()
    assert (checkin.note, checkin.goals, checkin.follow_up_note) == (NOTE, GOALS, FOLLOW_UP)
    assert checkin.participant.preferred_name == NAME
    assert_inert(page, NOTE, GOALS, FOLLOW_UP)

    page.get_by_label("Add an addendum").fill(ADDENDUM)
    page.get_by_role("button", name="Add addendum").click()
    page.get_by_text("Addendum added").wait_for()
    assert_inert(page, ADDENDUM)

    page.goto(checkin.participant.get_absolute_url())
    assert_inert(page, NAME, GOALS)
    page.goto("/follow-ups/")
    assert_inert(page, FOLLOW_UP)
    page.goto("/checkins/")
    assert_inert(page, checkin.participant.code)
    page.goto(f"/checkins/?participant={CODE}")
    assert page.get_by_label("Participant code").input_value() == CODE
    assert_inert(page)

    page.goto("/library/words/")
    page.get_by_label("Sentence to check").fill(SENTENCE)
    page.get_by_role("button", name="Check", exact=True).click()
    assert page.locator(".checked-text").inner_text() == SENTENCE
    assert page.get_by_label("Sentence to check").input_value() == SENTENCE
    assert_inert(page)
    page.goto("/directory/")
    page.get_by_label("Search services, places, languages").fill(SEARCH)
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/directory/?*")
    assert page.get_by_label("Search services, places, languages").input_value() == SEARCH
    assert_inert(page)
    page.goto("/library/?q=" + SEARCH.replace('"', "%22"))
    assert_inert(page)

    sign_out(page)
    sign_in(page, "supervisor")
    page.goto("/review/")
    assert_inert(page, checkin.participant.code)
    page.goto(f"/review/{checkin.pk}/")
    assert_inert(page, NOTE, GOALS, FOLLOW_UP, ADDENDUM)
    page.get_by_label("Feedback or a question").fill(FEEDBACK)
    page.get_by_label("Mark reviewed").uncheck()
    page.get_by_role("button", name="Send").first.click()
    page.get_by_text("Sent. It is in their feedback inbox").wait_for()
    assert_inert(page, FEEDBACK)
    page.goto("/dashboard/")
    assert_inert(page)

    sign_out(page)
    sign_in(page, "peer")
    page.goto("/feedback/")
    assert_inert(page, FEEDBACK)
    page.goto(checkin.get_absolute_url())
    page.get_by_label("Reply").fill(REPLY)
    page.get_by_role("button", name="Send reply").click()
    page.get_by_text("Reply sent").wait_for()
    assert_inert(page, FEEDBACK, REPLY, NOTE)

    sign_out(page)
    sign_in(page, "supervisor")
    page.goto("/feedback/")
    assert_inert(page, REPLY)


def test_it_exports_payloads_as_csv_text(live_server, admin, peer, choice_lists):  # noqa: F811
    from sessions_app.models import ContactMethod

    CheckIn.objects.create(peer=peer, method=ContactMethod.objects.first(), note=NOTE, goals=GOALS)
    client = Client()
    client.force_login(admin)
    response = client.get("/dashboard/notes.csv")
    # Text for a spreadsheet, downloaded, never rendered as a page.
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [NOTE, GOALS] == [rows[2][7], rows[2][6]]
