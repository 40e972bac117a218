from sessions_app.models import CheckIn, ContactMethod, OverdoseReversal, SupplyGiven, SupplyItem
from tests.browser.conftest import check_a11y, sign_in, sign_out
from tests.browser.test_checkin import choice_lists  # noqa: F401  (fixture)


def test_it_reviews_a_checkin_and_the_peer_reads_the_feedback(page, browser, live_server, peer, supervisor,
                                                              choice_lists):  # noqa: F811
    checkin = CheckIn.objects.create(peer=peer, method=ContactMethod.objects.get(name="Drop-in"),
                                     note="Shared coffee; they asked about naloxone for a roommate.")
    OverdoseReversal.objects.create(checkin=checkin, reported_by=peer, reported_on=checkin.happened_on)
    SupplyGiven.objects.create(checkin=checkin, item=SupplyItem.objects.get(name="Naloxone kits"), count=2)

    sign_in(page, "supervisor")
    page.get_by_role("link", name="Review").first.click()
    assert page.get_by_text("Overdose reported").is_visible()
    check_a11y(page)
    page.get_by_role("link", name=checkin.created_at.astimezone().strftime("%a %b %-d")).first.click()
    assert page.get_by_text("Shared coffee").is_visible()
    check_a11y(page)
    page.get_by_label("Feedback or a question").fill("You offered the kit without a lecture. That is the work.")
    page.get_by_role("button", name="Send and finish").click()
    assert page.get_by_text("Nothing waiting").is_visible()

    page.get_by_role("link", name="Dashboard").click()
    assert page.get_by_role("img", name="Supplies handed out, by item").is_visible()
    check_a11y(page)
    page.get_by_role("link", name="Funder report").first.click()
    assert page.get_by_role("heading", name="What each figure means").is_visible()
    assert page.get_by_text("1 reversal reported").is_visible()
    check_a11y(page)

    sign_out(page)
    sign_in(page, "peer")
    page.get_by_role("link", name="Feedback 1 unread").click()
    assert page.get_by_text("You offered the kit without a lecture.").is_visible()
    check_a11y(page)
