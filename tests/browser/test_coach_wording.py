"""The coach's one-tap "Use …" while someone types on a slow connection (issue 14, item 16).

The hint is made from the text of a moment ago: by the time it arrives, and the
peer taps it, more has been typed. The swap must land on the flagged word as
it is now, keep the rest of the text and the caret, and the autosave must keep
the new words."""

from urllib.parse import parse_qs

import pytest
from django.apps import apps

from resources import content
from sessions_app.models import Draft
from tests.browser.conftest import check_a11y, sign_in
from tests.browser.test_checkin import choice_lists  # noqa: F401 (fixture)
from tests.browser.test_checkin_latency import slow_network

CARET = "el => [el.selectionStart, el.selectionEnd]"


@pytest.mark.parametrize("latency_ms", [600, 1500])
def test_it_swaps_the_word_and_keeps_the_rest_and_the_caret(page, peer, choice_lists, latency_ms):  # noqa: F811
    content.load(apps)  # the terms, with their wording (live_server empties the tables)
    sign_in(page, "peer")
    page.goto("/checkins/new/")
    slow_network(page, latency_ms)
    page.get_by_label("Street outreach").click()
    note = page.get_by_label("Note")
    note.press_sequentially("He is an addict and wants help.", delay=20)
    use = page.locator("#coach-note").get_by_role("button", name="Use “person who uses drugs”")
    use.wait_for()
    check_a11y(page)
    # The peer went on typing (the coach is posting again) and put the caret
    # back after "He" to fix something: the caret is not at the word.
    note.press_sequentially(" Call Tuesday.", delay=20)
    note.evaluate("el => el.setSelectionRange(2, 2)")
    use.tap()
    assert note.input_value() == "He is a person who uses drugs and wants help. Call Tuesday."
    assert note.evaluate(CARET) == [2, 2]
    assert note.evaluate("el => document.activeElement === el")
    # Typing goes on where the caret was, and the autosave keeps the new words.
    def draft_with_henry(response):
        sent = parse_qs(response.request.post_data or "").get("note", [""])[0]
        return "/checkins/draft/" in response.url and sent.startswith("Henry is a person who uses drugs")

    with page.expect_response(draft_with_henry, timeout=4 * latency_ms + 5000):
        note.press_sequentially("nry", delay=20)
    assert note.input_value() == "Henry is a person who uses drugs and wants help. Call Tuesday."
    # The hint is gone once the coach reads the new text.
    page.locator("#coach-note li").wait_for(state="detached")
    assert Draft.objects.get(user=peer).data["note"] == [
        "Henry is a person who uses drugs and wants help. Call Tuesday."]


def test_it_moves_a_caret_after_the_word_with_the_text(page, peer, choice_lists):  # noqa: F811
    content.load(apps)
    sign_in(page, "peer")
    page.goto("/checkins/new/")
    slow_network(page, 600)
    note = page.get_by_label("Note")
    note.press_sequentially("She relapsed, then called.", delay=20)
    use = page.locator("#coach-note").get_by_role("button", name="Use “returned to use”")
    use.wait_for()
    end = len("She relapsed, then called.")
    use.tap()
    text = "She returned to use, then called."
    assert note.input_value() == text
    # The caret was at the end; it is still at the end, past the longer words.
    assert note.evaluate(CARET) == [len(text), len(text)] and len(text) != end


def test_it_leaves_the_text_alone_when_the_word_was_already_changed(page, peer, choice_lists):  # noqa: F811
    content.load(apps)
    sign_in(page, "peer")
    page.goto("/checkins/new/")
    note = page.get_by_label("Note")
    note.press_sequentially("Met an addict today.", delay=20)
    use = page.locator("#coach-note").get_by_role("button", name="Use “person who uses drugs”")
    use.wait_for()
    # Rewritten by hand before the tap (the hint has not caught up yet).
    page.evaluate("""() => { const n = document.getElementById('id_note');
        n.value = 'Met someone today.'; }""")
    use.tap()
    assert note.input_value() == "Met someone today."
    assert page.locator("#coach-note [data-use-wording]").count() == 0
