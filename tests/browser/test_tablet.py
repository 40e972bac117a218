"""An 820×1180 portrait tablet with a touch screen (issue 14, items 6-11).

The on-screen keyboard takes about 420 px of the 1,180, so what a peer must
see while typing has to sit in the top 760 px.
"""

import importlib
import re

import pytest
from django.apps import apps
from django.utils import translation
from playwright.sync_api import expect

from demo.sample_directory import load_sample_directory
from harmreduction.models import User
from resources.service_kinds import load_service_kinds
from sessions_app.models import CheckIn
from tests.browser.conftest import CHECKIN_PAGE, PASSWORD, check_a11y, sign_in

PORTRAIT = {"width": 820, "height": 1180}
KEYBOARD = 420
ONE_ROW = 60  # a 44 px target and its padding; two rows would be 88 or more


@pytest.fixture
def lists_and_directory(db):
    # Browser tests empty the tables after each test, data migrations included: load again.
    importlib.import_module("sessions_app.migrations.0002_choice_lists").seed(apps, None)
    load_service_kinds()
    load_sample_directory()


def _tablet(browser, live_server, **options):
    context = browser.new_context(viewport=PORTRAIT, base_url=live_server.url, has_touch=True, is_mobile=True,
                                  **options)
    page = context.new_page()
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error"
            and not msg.text.startswith(("htmx:sendAbort", "htmx:afterRequest")) else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return context, page, problems


@pytest.fixture
def tablet(browser, live_server):
    context, page, problems = _tablet(browser, live_server)
    yield page
    context.close()
    assert not problems, problems


@pytest.fixture
def tablet_without_js(browser, live_server):
    context, page, _ = _tablet(browser, live_server, java_script_enabled=False)
    yield page
    context.close()


def test_it_shows_the_first_directory_result_above_the_keyboard(tablet, peer, lists_and_directory):
    sign_in(tablet, "peer")
    tablet.goto("/directory/")
    filters = tablet.locator(".filters-fold summary")
    expect(filters).to_have_text("Filters (0)")
    tablet.get_by_label("Search services, places, languages").press_sequentially("methadone", delay=40)
    expect(tablet).to_have_url(re.compile(r"q=methadone"))
    expect(tablet.locator("#results")).to_contain_text("Riverside Methadone Clinic")
    first = tablet.locator("#results .result").first
    expect(first).to_be_visible()
    box = first.bounding_box()
    assert box["y"] + box["height"] <= PORTRAIT["height"] - KEYBOARD, box
    check_a11y(tablet)

    # The chips are one tap away, and the control counts what is in use.
    filters.click()
    tablet.get_by_label("Walk-in").check()
    expect(filters).to_have_text("Filters (1)")
    expect(tablet).to_have_url(re.compile(r"walkin=1"))
    check_a11y(tablet)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("who", ["peer", "supervisor"])
def test_it_keeps_the_top_bar_to_one_row(tablet, who, language, peer, supervisor):
    # Spanish words run longer than English ones: the bar must still fit one row.
    User.objects.filter(username=who).update(language=language)
    sign_in(tablet, who)
    assert tablet.locator("html").get_attribute("lang") == language
    bar = tablet.locator(".topbar").bounding_box()
    assert bar["height"] <= ONE_ROW, bar
    # Every section is still there; the account menu opens to sign out.
    expect(tablet.locator(".topbar nav a")).to_have_count(tablet.locator(".topbar nav li").count())
    tablet.locator(".account-menu summary").click()
    with translation.override(language):
        sign_out = translation.gettext("Sign out")
    expect(tablet.get_by_role("button", name=sign_out)).to_be_visible()
    check_a11y(tablet)


def test_it_puts_new_checkin_first_on_the_home_page(tablet, peer):
    sign_in(tablet, "peer")
    action = tablet.locator(".home-action a")
    expect(action).to_have_text("New check-in")
    box = action.bounding_box()
    tiles = tablet.locator(".tiles").bounding_box()
    assert box["y"] < tiles["y"] and box["y"] + box["height"] <= PORTRAIT["height"] - KEYBOARD
    # The one filled button on the page, in the largest type, as wide as a tile or wider.
    size = "el => parseFloat(getComputedStyle(el).fontSize)"
    assert action.evaluate(size) > max(tablet.locator(".tile strong").evaluate_all(f"els => els.map({size})"))
    assert box["width"] >= tablet.locator(".tile").first.bounding_box()["width"]
    check_a11y(tablet)


def _save_in_view(page) -> bool:
    save = page.get_by_role("button", name="Save check-in").bounding_box()
    return save is not None and 0 <= save["y"] and save["y"] + save["height"] <= PORTRAIT["height"]


def test_it_keeps_save_within_reach_and_offers_the_next_checkin(tablet, peer, lists_and_directory):
    sign_in(tablet, "peer")
    tablet.goto("/checkins/new/")
    assert _save_in_view(tablet)
    # Program: a chosen chip, no "---------".
    programs = tablet.locator('input[name="program"]')
    assert programs.count() > 1 and tablet.locator('input[name="program"]:checked').count() == 1
    expect(tablet.get_by_text("---------")).to_have_count(0)
    check_a11y(tablet)

    tablet.get_by_label("New participant: make a code for them").check()
    tablet.get_by_label("Street outreach").check()
    # Referral matches say whether the service is open and how to get in.
    tablet.get_by_label("Find a service to refer to").press_sequentially("methadone", delay=30)
    match = tablet.locator(".referral-results li").first
    expect(match).to_contain_text(re.compile(r"Open now|Open 24 hours|Closed|Hours not listed"))
    check_a11y(tablet)
    match.get_by_role("button", name=re.compile("^Add ")).click()
    expect(tablet.locator(".referral-row")).to_have_count(1)
    tablet.get_by_label("Note").fill("Asked about methadone intake.")
    tablet.mouse.wheel(0, 1500)
    assert _save_in_view(tablet)
    tablet.get_by_role("button", name="Save check-in").click()
    tablet.wait_for_url(CHECKIN_PAGE)

    checkin = CheckIn.objects.get()
    expect(tablet.locator(".big-code")).to_have_text(checkin.participant.code)
    expect(tablet.get_by_role("link", name="Log another check-in")).to_be_visible()
    check_a11y(tablet)
    tablet.get_by_role("link", name="Log another check-in").click()
    tablet.wait_for_url("**/checkins/new/")


def test_it_keeps_everything_typed_through_a_referral_search_without_javascript(
        tablet_without_js, peer, lists_and_directory):
    page = tablet_without_js
    page.goto("/login/")
    page.get_by_label("Username").fill("peer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    page.goto("/checkins/new/")
    assert _save_in_view(page)
    page.get_by_label("Phone").check()
    page.get_by_label("Naloxone kits").fill("2")
    page.get_by_label("Note").fill("Wants a place that takes walk-ins.")
    page.get_by_label("Find a service to refer to").fill("methadone")
    page.get_by_role("button", name="Find", exact=True).click()

    expect(page.get_by_label("Note")).to_have_value("Wants a place that takes walk-ins.")
    expect(page.get_by_label("Phone")).to_be_checked()
    expect(page.get_by_label("Naloxone kits")).to_have_value("2")
    add = page.locator(".referral-results li").first.get_by_role("button", name=re.compile("^Add "))
    service = add.get_attribute("aria-label").removeprefix("Add ")
    add.click()

    expect(page.locator(".referral-row")).to_have_count(1)
    expect(page.get_by_label("Note")).to_have_value("Wants a place that takes walk-ins.")
    expect(page.get_by_label("Phone")).to_be_checked()
    expect(page.get_by_label("Naloxone kits")).to_have_value("2")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url(CHECKIN_PAGE)
    checkin = CheckIn.objects.get()
    assert checkin.note == "Wants a place that takes walk-ins." and checkin.method.name.startswith("Phone")
    assert checkin.supplies.get().count == 2
    assert [r.service.name for r in checkin.referrals.all()] == [service]


def test_it_prints_the_part2_notice_and_no_forms(tablet, peer, supervisor, lists_and_directory):
    sign_in(tablet, "peer")
    tablet.goto("/checkins/new/")
    tablet.get_by_label("New participant: make a code for them").check()
    tablet.get_by_label("Street outreach").check()
    tablet.get_by_label("Note").fill("Talked about the weekend.")
    tablet.get_by_role("button", name="Save check-in").click()
    tablet.wait_for_url(CHECKIN_PAGE)
    checkin = CheckIn.objects.get()
    for url in (checkin.get_absolute_url(), checkin.participant.get_absolute_url()):
        tablet.goto(url)
        assert len(tablet.title()) < 80 and "confidentiality" not in tablet.title()
        notice = tablet.locator(".part2-notice")
        expect(notice).to_be_hidden()
        tablet.emulate_media(media="print")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("42 CFR part 2 notice")
        expect(tablet.locator("main form")).to_have_count(tablet.locator("main form").count())
        for form in tablet.locator("main form").all():
            expect(form).to_be_hidden()
        tablet.emulate_media(media="screen")
    # The addendum form is on screen, not on paper.
    tablet.goto(checkin.get_absolute_url())
    expect(tablet.get_by_label("Add an addendum")).to_be_visible()
    tablet.emulate_media(media="print")
    expect(tablet.get_by_label("Add an addendum")).to_be_hidden()
