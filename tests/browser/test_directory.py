"""A peer finds a service by typing, opens it, and hands over a slip: at tablet size, axe-clean."""

import re

import pytest
from playwright.sync_api import expect

from demo.sample_directory import load_sample_directory
from resources.models import Service
from resources.service_kinds import load_service_kinds
from tests.browser.conftest import check_a11y, sign_in


@pytest.fixture
def sample_directory(db):
    # Browser tests empty the tables after each test, data migrations included: load again.
    load_service_kinds()
    load_sample_directory()


def test_it_goes_from_live_search_to_service_to_slip(page, peer, sample_directory):
    sign_in(page, "peer")
    page.get_by_role("link", name="Directory").first.click()
    page.wait_for_url("**/directory/")
    expect(page.get_by_role("heading", name="Directory", level=1)).to_be_visible()
    check_a11y(page)

    # Typing searches without pressing Enter (debounced), and the URL follows.
    page.get_by_label("Search services, places, languages").press_sequentially("methadone", delay=40)
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Riverside Methadone Clinic")).to_be_visible()
    expect(results.get_by_role("link", name="Division Street Syringe Exchange")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"q=methadone"))

    # A chip narrows the live results too (the chips fold behind one control).
    page.get_by_text("Filters (0)").click()
    page.get_by_label("Walk-in").check()
    expect(page).to_have_url(re.compile(r"walkin=1"))
    expect(results.get_by_role("link", name="Willamette Opioid Treatment Program")).to_be_visible()
    check_a11y(page)

    results.get_by_role("link", name="Riverside Methadone Clinic").click()
    expect(page.get_by_role("heading", name="Riverside Methadone Clinic", level=1)).to_be_visible()
    expect(page.locator("tr.today")).to_have_count(1)
    expect(page.get_by_role("link", name=re.compile(r"^Call 503-555-01"))).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name="Referral slip").click()
    expect(page.get_by_role("heading", name="Riverside Methadone Clinic", level=1)).to_be_visible()
    qr = page.get_by_role("img", name=re.compile("QR code"))
    expect(qr).to_be_visible()
    # The SVG loaded (same origin, under the CSP) and has a size.
    page.wait_for_function(
        "() => { const img = document.querySelector('.slip-qr img'); "
        "return img.complete && img.naturalWidth > 0; }"
    )
    expect(page.get_by_role("button", name="Print this slip")).to_be_visible()
    check_a11y(page)


def test_it_works_without_javascript(browser, live_server, peer, sample_directory):
    context = browser.new_context(
        java_script_enabled=False, base_url=live_server.url, viewport={"width": 810, "height": 1080}
    )
    page = context.new_page()
    sign_in(page, "peer")
    page.goto("/directory/")
    page.get_by_label("Search services, places, languages").fill("syringe")
    page.get_by_text("Filters (0)").click()
    page.get_by_label("Free").check()
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q=syringe"))
    assert "pay=NP" in page.url
    expect(
        page.locator("#results").get_by_role("link", name="Division Street Syringe Exchange")
    ).to_be_visible()
    assert Service.objects.count() > 30
    context.close()


def test_a_content_admin_verifies_a_stale_service(page, content_admin, sample_directory):
    sign_in(page, "content")
    page.goto("/directory/")
    page.get_by_role("link", name="Needs checking").click()
    expect(page.get_by_role("heading", name="Needs checking")).to_be_visible()
    check_a11y(page)
    first = page.locator(".result").first
    name = first.get_by_role("heading").inner_text()
    first.get_by_role("button", name="Verified today").click()
    expect(page.get_by_role("status")).to_contain_text(f"{name}: marked as verified today.")
    expect(page.locator(".result h2", has_text=name)).to_have_count(0)
    check_a11y(page)
