"""The participant code builder: the browser computes what the Python reference
computes, and the facts typed into it never leave the page (issue 15 item 4)."""

from urllib.parse import quote, quote_plus

import pytest

from sessions_app.code_recipe import PARTS, as_json, build_code
from sessions_app.models import CheckIn, Draft
from tests.browser.conftest import CHECKIN_PAGE, check_a11y, sign_in
from tests.browser.test_checkin import choice_lists  # noqa: F401 (fixture)
from tests.sessions_app.test_code_recipe import RECIPE, TABLE

ALL_PARTS = list(PARTS)
# Every part, with odd inputs each: accents, short names, spaces, out of range, not digits.
MORE = [
    {"last_name_2": "  Åström ", "first_name_2": "Zoë", "mother_initial": "ÉLODIE", "birth_day": " 7 ",
     "birth_month": "12", "birth_year_2": "0"},
    {"last_name_2": "x", "first_name_2": "ß", "mother_initial": "œ", "birth_day": "31", "birth_month": "13",
     "birth_year_2": "99"},
    {"last_name_2": "Mc Donald", "first_name_2": "J.R.", "mother_initial": "d'Arc", "birth_day": "05",
     "birth_month": "1", "birth_year_2": "100"},
    {"last_name_2": "İnce", "first_name_2": "ǅemal", "mother_initial": "Ⅻ", "birth_day": "1e1",
     "birth_month": "2", "birth_year_2": "7"},
]


@pytest.fixture
def recipe_on(settings):
    settings.PARTICIPANT_CODE_RECIPE = RECIPE


def test_it_computes_the_same_codes_as_the_python_reference(page, peer, choice_lists, recipe_on):  # noqa: F811
    sign_in(page, "peer")
    page.goto("/checkins/new/")
    parts = [PARTS[key] for key in RECIPE]
    for facts, expected in TABLE:
        given = dict(zip(RECIPE, facts, strict=True))
        got = page.evaluate("([parts, facts]) => window.buildParticipantCode(JSON.parse(parts), facts)",
                            [as_json(parts), given])
        assert got == build_code(parts, given) == expected, facts
    every = [PARTS[key] for key in ALL_PARTS]
    for facts in MORE:
        got = page.evaluate("([parts, facts]) => window.buildParticipantCode(JSON.parse(parts), facts)",
                            [as_json(every), facts])
        assert got == build_code(every, facts), facts


def test_it_never_sends_the_facts(page, peer, choice_lists, recipe_on):  # noqa: F811
    facts = ["Quintanilla", "Rosalind", "23"]
    sent = []
    page.on("request", lambda request: sent.append((request.url, request.post_data or "")))
    sign_in(page, "peer")
    page.goto("/checkins/new/")
    page.get_by_text("Build their code from things they know").click()
    assert page.get_by_text("The code builder needs JavaScript").is_hidden()
    page.get_by_label("First two letters of their last name").fill(facts[0])
    page.get_by_label("First letter of their mother's first name").fill(facts[1])
    page.get_by_label("Day of the month they were born (1 to 31)").fill(facts[2])
    assert page.locator("output.built-code").inner_text() == "QUR23"
    check_a11y(page)
    # An autosave while the answers are still on the page.
    page.get_by_label("Street outreach").click()
    page.get_by_label("Note").fill("Talked about the weekend.")
    page.get_by_text("Draft kept at").wait_for()
    page.get_by_role("button", name="Use this code").click()
    assert page.get_by_label("Participant code").input_value() == "QUR23"
    # The answers are cleared once the code is taken.
    assert page.get_by_label("First two letters of their last name").input_value() == ""
    page.get_by_label("New participant: make a code for them").check()
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url(CHECKIN_PAGE)
    assert CheckIn.objects.get().participant.code == "QUR23"
    assert any("/checkins/draft/" in url for url, _ in sent), "the autosave ran"
    for url, body in sent:
        for fact in ("Quintanilla", "Rosalind", "Quin", "Rosa"):
            for form in (fact, fact.lower(), quote(fact), quote_plus(fact)):
                assert form not in url and form not in body, (url, body[:200])
        assert "=23&" not in body and not body.endswith("=23"), (url, body[:200])
    assert not Draft.objects.exists() or "Quintanilla" not in str(Draft.objects.get().data)


def test_it_explains_it_needs_javascript_and_lets_the_peer_type_a_code(browser, live_server, peer,
                                                                        choice_lists, recipe_on):  # noqa: F811
    from tests.browser.conftest import TABLET

    context = browser.new_context(viewport=TABLET, base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "peer")
        page.goto("/checkins/new/")
        page.get_by_text("Build their code from things they know").click()
        assert page.get_by_text("The code builder needs JavaScript").is_visible()
        assert page.get_by_label("First two letters of their last name").is_hidden()
        page.get_by_label("Participant code").fill("GAM17")
        page.get_by_label("New participant: make a code for them").check()
        page.get_by_label("Street outreach").check()
        page.get_by_role("button", name="Save check-in").click()
        page.wait_for_url(CHECKIN_PAGE)
    finally:
        context.close()
    assert CheckIn.objects.get().participant.code == "GAM17"
