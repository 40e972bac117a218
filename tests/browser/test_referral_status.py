"""A referral offered at a check-in, later marked accepted then connected from the
participant's page in one tap each (issue 15 item 3, issue 14 item 9), on a quick
and on a slow connection, and without JavaScript."""

import pytest

from sessions_app.models import CheckIn, Referral
from tests.browser.conftest import CHECKIN_PAGE, TABLET, check_a11y, sign_in
from tests.browser.test_checkin import choice_lists  # noqa: F401 (fixture)
from tests.browser.test_checkin_latency import slow_network


@pytest.fixture
def directory(db):
    from demo.sample_directory import load_sample_directory
    from resources.service_kinds import load_service_kinds

    load_service_kinds()
    load_sample_directory()


def _check_in_with_a_referral(page):
    page.goto("/checkins/new/")
    page.get_by_label("New participant: make a code for them").check()
    page.get_by_label("Street outreach").click()
    page.get_by_label("Find a service to refer to").fill("methadone")
    first = page.locator("#referral-results li").first
    first.wait_for()
    first.get_by_role("button").click()
    page.locator(".referral-row").first.wait_for()
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url(CHECKIN_PAGE)
    return CheckIn.objects.get().referrals.get()


@pytest.mark.parametrize("latency_ms", [0, 600])
def test_it_moves_a_referral_on_from_the_participant_page(page, peer, choice_lists, directory,  # noqa: F811
                                                          latency_ms):
    sign_in(page, "peer")
    referral = _check_in_with_a_referral(page)
    service = referral.service.name
    participant = referral.checkin.participant
    if latency_ms:
        slow_network(page, latency_ms)
    page.goto(participant.get_absolute_url())
    status = page.locator(f"#referral-{referral.pk}")
    assert status.locator(".badge").inner_text() == "Offered"
    check_a11y(page)
    loads = []
    page.on("load", lambda: loads.append(page.url))
    status.get_by_role("button", name=f"Accepted: {service}", exact=True).click()
    page.locator(f"#referral-{referral.pk} .badge", has_text="Accepted").wait_for()
    page.locator(f"#referral-{referral.pk}").get_by_role("button", name=f"Connected: {service}", exact=True).click()
    page.locator(f"#referral-{referral.pk} .badge", has_text="Connected").wait_for()
    # Swapped in place: the page never reloaded.
    assert loads == []
    referral.refresh_from_db()
    assert referral.status == "connected"
    assert list(referral.changes.values_list("status", flat=True)) == ["offered", "accepted", "connected"]
    # The next step is right there, and the page still reads the same after a reload.
    assert page.locator(f"#referral-{referral.pk}").get_by_role("button", name=f"Engaged: {service}").is_visible()
    page.reload()
    assert page.locator(f"#referral-{referral.pk} .badge").inner_text() == "Connected"
    # "New check-in with <code>" opens the form with their code in it.
    page.get_by_role("link", name=f"New check-in with {participant.code}").click()
    assert page.get_by_label("Participant code").input_value() == participant.code


def test_it_moves_a_referral_on_without_javascript(browser, live_server, peer, choice_lists, directory):  # noqa: F811
    from resources.models import Service
    from sessions_app.models import ContactMethod, Participant

    participant = Participant.objects.create(code="Cedar-101", created_by=peer)
    checkin = CheckIn.objects.create(peer=peer, participant=participant, method=ContactMethod.objects.first())
    referral = Referral.offer(checkin, Service.objects.first().pk, "offered", by=peer)
    context = browser.new_context(viewport=TABLET, base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "peer")
        page.goto(participant.get_absolute_url())
        status = page.locator(f"#referral-{referral.pk}")
        status.get_by_label("Why the referral").select_option("waitlist")
        status.get_by_role("button", name="Not connected").click()
        page.wait_for_url(f"**{participant.get_absolute_url()}")
        assert page.locator(f"#referral-{referral.pk} .badge").inner_text() == "Not connected · Waitlist or no opening"
    finally:
        context.close()
    referral.refresh_from_db()
    assert (referral.status, referral.reason) == ("not_connected", "waitlist")


def test_it_moves_a_referral_on_from_the_follow_ups_list(page, peer, choice_lists, directory):  # noqa: F811
    from resources.models import Service
    from sessions_app.models import ContactMethod, Participant

    participant = Participant.objects.create(code="Cedar-101", created_by=peer)
    checkin = CheckIn.objects.create(peer=peer, participant=participant, method=ContactMethod.objects.first())
    service = Service.objects.order_by("name").first()
    referral = Referral.offer(checkin, service.pk, "offered", by=peer)
    sign_in(page, "peer")
    page.goto("/follow-ups/")
    status = page.locator(f"#referral-{referral.pk}")
    assert status.get_by_text("check back on").is_visible()
    check_a11y(page)
    status.get_by_role("button", name=f"Accepted: {service.name}", exact=True).click()
    page.locator(f"#referral-{referral.pk} .badge", has_text="Accepted").wait_for()
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.check_back_on is not None
