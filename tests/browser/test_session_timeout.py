from harmreduction.models import UserSession
from tests.browser.conftest import check_a11y, open_account_menu, sign_in


def test_it_asks_before_the_idle_sign_out_and_stays_signed_in(page, peer, settings):
    # 92 s: the prompt opens at 90 s left, so about two seconds after the page loads.
    settings.SESSION_IDLE_TIMEOUT = 92
    sign_in(page, "peer")
    dialog = page.get_by_role("dialog", name="Still there?")
    dialog.wait_for(state="visible", timeout=10_000)
    assert "you will be signed out in 2 minutes" in dialog.inner_text() or "1 minute" in dialog.inner_text()
    check_a11y(page)
    before = UserSession.objects.get(user=peer).last_seen
    with page.expect_response("**/account/keep-alive/") as keep_alive:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert keep_alive.value.status == 204
    dialog.wait_for(state="hidden")
    assert UserSession.objects.get(user=peer).last_seen > before
    assert page.get_by_role("heading", name="Hello, Jordan").is_visible()


def test_it_shows_the_sign_in_page_when_the_time_is_up(page, peer, settings):
    settings.SESSION_IDLE_TIMEOUT = 3
    sign_in(page, "peer")
    page.wait_for_url("**/login/?next=%2F", timeout=15_000)
    assert page.get_by_role("status").inner_text() == "You were signed out after 3 seconds without activity."
    assert page.get_by_role("button", name="Sign in").is_visible()


def test_it_lists_my_sessions_from_the_top_bar(page, peer):
    sign_in(page, "peer")
    open_account_menu(page)
    page.get_by_role("link", name="Your sessions").click()
    page.wait_for_url("**/account/sessions/")
    assert page.get_by_role("heading", name="Your sessions").is_visible()
    assert page.get_by_text("This device").is_visible()
    check_a11y(page)
