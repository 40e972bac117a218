import importlib

import pytest
from django.apps import apps

from resources import content
from sessions_app.models import CheckIn
from tests.browser.conftest import CHECKIN_PAGE, check_a11y, sign_in


@pytest.fixture
def choice_lists(db):
    # live_server empties the tables between tests; put the seeded lists back, with their units.
    importlib.import_module("sessions_app.migrations.0002_choice_lists").seed(apps, None)
    importlib.import_module("sessions_app.migrations.0014_supply_units_and_funding_sources").set_units(apps, None)


class Taps:
    """Counts what the peer does with a finger (typing is counted apart)."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def tap(self, locator):
        locator.click()
        self.count += 1


def test_it_logs_a_minimal_checkin_in_at_most_five_taps(page, peer, choice_lists):
    sign_in(page, "peer")
    taps = Taps(page)
    taps.tap(page.get_by_role("link", name="New check-in").first)
    page.wait_for_url("**/checkins/new/")
    check_a11y(page)
    taps.tap(page.get_by_label("Street outreach"))
    taps.tap(page.get_by_role("button", name="One more Naloxone kits"))
    taps.tap(page.get_by_role("button", name="Save check-in"))
    page.wait_for_url(CHECKIN_PAGE)
    assert taps.count <= 5
    assert page.get_by_text("Check-in saved").is_visible()
    assert page.get_by_text("1 × Naloxone kits").is_visible()
    check_a11y(page)
    checkin = CheckIn.objects.get()
    assert checkin.participant is None and checkin.supplies.get().count == 1


def test_it_brings_back_a_draft_after_a_reload(page, peer, choice_lists):
    sign_in(page, "peer")
    page.goto("/checkins/new/")
    page.get_by_label("Note").fill("They asked about test strips for a friend.")
    page.get_by_text("Draft kept at").wait_for()
    page.reload()
    assert page.get_by_label("Note").input_value() == "They asked about test strips for a friend."
    assert page.get_by_text("We brought back the check-in you were writing").is_visible()
    check_a11y(page)


def test_it_coaches_gently_while_typing(page, peer, choice_lists):
    content.load(apps)
    sign_in(page, "peer")
    page.goto("/checkins/new/")
    page.get_by_label("Street outreach").click()
    page.get_by_label("Note").press_sequentially("Talked with an addict about test strips.", delay=5)
    hint = page.locator("#coach-note")
    hint.get_by_text("person who uses drugs; person with a substance use disorder").wait_for()
    check_a11y(page)
    # A hint, never a block: the note saves as typed, with only the flag kept.
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url(CHECKIN_PAGE)
    checkin = CheckIn.objects.get()
    assert checkin.note == "Talked with an addict about test strips."
    assert checkin.language_hints_shown


def test_it_logs_a_full_checkin_with_a_referral_and_supplies(page, peer, choice_lists):
    from demo.sample_directory import load_sample_directory
    from resources.service_kinds import load_service_kinds

    load_service_kinds()
    load_sample_directory()
    sign_in(page, "peer")
    page.goto("/checkins/new/")
    page.get_by_label("New participant: make a code for them").check()
    page.get_by_label("What they like to be called (optional)").fill("Dee")
    page.get_by_label("Drop-in").click()
    page.get_by_role("button", name="One more Syringes", exact=True).click()
    page.get_by_role("button", name="One more Syringes", exact=True).click()
    page.get_by_role("button", name="One more Naloxone kits").click()
    page.get_by_label("Find a service to refer to").fill("methadone")
    first = page.locator("#referral-results li").first
    first.wait_for()
    service_name = first.locator("strong").inner_text()
    first.get_by_role("button").click()
    row = page.locator(".referral-row").first
    row.wait_for()
    row.get_by_role("combobox").select_option("accepted")
    page.get_by_label("Their goals, in their own words").fill("Start methadone before winter.")
    page.get_by_label("Note").fill("Talked through intake; they want to go Tuesday.")
    check_a11y(page)
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url(CHECKIN_PAGE)
    assert page.get_by_text("2 × Syringes").is_visible()
    assert page.get_by_text("1 × Naloxone kits").is_visible()
    assert page.get_by_text(f"{service_name}").first.is_visible()
    check_a11y(page)
    checkin = CheckIn.objects.get()
    referral = checkin.referrals.get()
    assert referral.status == "accepted" and referral.service.name == service_name
    assert checkin.participant.preferred_name == "Dee"
