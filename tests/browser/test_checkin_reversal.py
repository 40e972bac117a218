"""A check-in with used syringes collected and an overdose reversal, on a slow connection
(issue 15, item 6): the new fields stay out of the way until used, and the autosave keeps them."""

import pytest

from sessions_app.models import CheckIn, OverdoseReversal, Participant
from tests.browser.conftest import CHECKIN_PAGE, check_a11y, sign_in
from tests.browser.test_checkin import choice_lists  # noqa: F401 (fixture)
from tests.browser.test_checkin_latency import slow_network


@pytest.mark.parametrize("latency_ms", [600])
def test_it_logs_collected_syringes_and_a_reversal_on_a_slow_connection(page, peer, choice_lists,  # noqa: F811
                                                                        latency_ms):
    cedar = Participant.objects.create(code="Cedar-101", created_by=peer)
    sign_in(page, "peer")
    slow_network(page, latency_ms)
    page.goto("/checkins/new/")
    # Folded: one button, no reversal fields in the way.
    assert not page.get_by_label("Rough area or ZIP").is_visible()
    page.get_by_label("Participant code").fill("Cedar-101")
    page.get_by_label("Street outreach").click()
    for _ in range(3):
        page.get_by_role("button", name="One more Syringes collected for disposal").click()
    page.get_by_text("They reversed an overdose").click()
    page.get_by_label("Rough area or ZIP").fill("97214")
    page.get_by_role("button", name="One more Naloxone doses used").click()
    page.get_by_role("button", name="One more Naloxone doses used").click()
    page.get_by_label("911 / EMS called").select_option("no")
    page.get_by_label("How it ended").select_option("hospital")
    check_a11y(page)
    # The autosave keeps all of it: a reload brings it back, the reversal open.
    page.get_by_text("Draft kept at").wait_for()
    page.reload()
    assert page.get_by_role("spinbutton", name="Syringes collected for disposal").input_value() == "3"
    assert page.get_by_label("Rough area or ZIP").is_visible()
    assert page.get_by_label("Rough area or ZIP").input_value() == "97214"
    assert page.get_by_role("spinbutton", name="Naloxone doses used").input_value() == "2"
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url(CHECKIN_PAGE)
    assert page.get_by_text("3 syringes collected for disposal").is_visible()
    assert page.get_by_text("Survived, went to hospital · 97214 · 2 naloxone doses · no 911 / EMS").is_visible()
    check_a11y(page)
    checkin = CheckIn.objects.get()
    assert [(s.item.name, s.count, s.collected) for s in checkin.supplies.all()] == [("Syringes", 0, 3)]
    reversal = OverdoseReversal.objects.get()
    assert (reversal.checkin, reversal.participant, reversal.area, reversal.naloxone_doses, reversal.ems_called,
            reversal.outcome) == (checkin, cedar, "97214", 2, False, "hospital")
