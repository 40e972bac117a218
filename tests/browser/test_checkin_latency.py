"""Saving a check-in on a street connection: the save and a late autosave must
not cross (issue 11, item 1). Chromium's own network emulation adds the delay
to every request the page makes, as a 3G/4G connection would."""

import pytest

from sessions_app.models import CheckIn, Draft
from tests.browser.conftest import CHECKIN_PAGE, sign_in
from tests.browser.test_checkin import choice_lists  # noqa: F401 (fixture)


def slow_network(page, latency_ms):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": latency_ms, "downloadThroughput": -1, "uploadThroughput": -1,
    })


@pytest.mark.parametrize("latency_ms", [600, 1500])
def test_it_logs_three_checkins_in_a_row_on_a_slow_connection(page, peer, choice_lists, latency_ms):  # noqa: F811
    sign_in(page, "peer")
    slow_network(page, latency_ms)
    notes = [f"Check-in number {n}: talked about warm socks and test strips." for n in (1, 2, 3)]
    sent_after_save = []
    saving = False
    page.on("request", lambda request: saving and request.method == "POST" and "/checkins/new/" not in request.url
            and sent_after_save.append(request.url))
    for note in notes:
        page.goto("/checkins/new/")
        # A fresh form every time: never the last check-in brought back as a draft.
        assert page.get_by_label("Note").input_value() == ""
        page.get_by_label("Street outreach").click()
        page.get_by_label("Note").fill(note)
        # Tapping Save blurs the note; its change event would start an autosave mid-save.
        saving = True
        page.get_by_role("button", name="Save check-in").click()
        page.wait_for_url(CHECKIN_PAGE)
        saving = False
        assert page.get_by_text("Check-in saved").is_visible()
        assert page.get_by_text(note).is_visible()
    # Whatever the page had queued has landed by now.
    page.wait_for_timeout(3 * latency_ms)
    assert sorted(CheckIn.objects.values_list("note", flat=True)) == notes
    assert len(set(CheckIn.objects.values_list("key", flat=True))) == 3
    assert not Draft.objects.exists()
    # The page itself stopped autosaving and coaching once Save was tapped.
    assert sent_after_save == []
