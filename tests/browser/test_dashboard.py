"""The dashboard at tablet size: chart labels large enough and whole, codes in one piece (issue 14, item 13)."""

from datetime import timedelta

from django.utils import timezone

from sessions_app.models import CheckIn, ContactMethod, Participant
from tests.browser.conftest import TABLET, check_a11y, sign_in
from tests.browser.test_checkin import choice_lists  # noqa: F401  (fixture)

# Every chart label as drawn: its font size in CSS pixels after the SVG is scaled
# to its column, and its box against the chart's own box.
LABELS = """() => [...document.querySelectorAll('.chart svg')].flatMap(svg => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].map(text => {
    const r = text.getBoundingClientRect();
    return {chart: svg.querySelector('title').textContent, text: text.textContent,
            px: parseFloat(getComputedStyle(text).fontSize) * svg.getScreenCTM().a,
            inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5};
  });
})"""


def test_it_draws_chart_labels_large_enough_and_whole(page, peer, supervisor, choice_lists):  # noqa: F811
    drop_in = ContactMethod.objects.get(name="Drop-in")
    now = timezone.now()
    for days in range(0, 90, 5):
        CheckIn.objects.create(peer=peer, method=drop_in, happened_at=now - timedelta(days=days))
    sign_in(page, "supervisor")
    page.goto("/dashboard/")
    labels = page.evaluate(LABELS)
    weekly = [label for label in labels if label["chart"].startswith("Contacts per week")]
    assert len(weekly) >= 5 and len(labels) > len(weekly)
    for label in labels:
        assert label["px"] >= 12, label
        assert label["inside"], label
    # The date fields say the range the lede names.
    assert page.get_by_label("From").input_value() == (timezone.localdate() - timedelta(days=89)).isoformat()
    assert page.get_by_text("anonymous contacts").is_visible()
    check_a11y(page)


def test_it_keeps_a_participant_code_on_one_line(page, peer, supervisor, choice_lists):  # noqa: F811
    drop_in = ContactMethod.objects.get(name="Drop-in")
    for n in range(3):
        code = Participant.objects.create(code=f"Willowbrook-{n}07", created_by=peer)
        CheckIn.objects.create(peer=peer, participant=code, method=drop_in, note="Coffee and socks.")
    sign_in(page, "supervisor")
    page.set_viewport_size({"width": 360, "height": 800})
    for path in ["/checkins/", "/review/"]:
        page.goto(path)
        heights = page.locator(".participant-code").evaluate_all(
            "codes => codes.map(code => code.getClientRects().length)")
        assert heights and all(lines == 1 for lines in heights), (path, heights)
    # The pages whose words changed, at tablet size.
    page.set_viewport_size(TABLET)
    for path in ["/", "/checkins/", "/review/", "/follow-ups/"]:
        page.goto(path)
        check_a11y(page)
