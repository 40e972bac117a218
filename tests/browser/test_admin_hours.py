"""A content admin edits a service's hours with checkboxes and time pickers, and its languages from a list
(issue 14, item 14), in the admin as a content admin sees it."""

from axe_playwright_python.sync_playwright import Axe

from resources.models import Service
from tests.browser.conftest import sign_in
from tests.resources.conftest import make_service

# Our part of the page: the hours and languages rows. Django's tabular inline
# itself draws an empty header over its "original" column and a delete box
# labelled by its column header only; those are Django's, left out here.
OURS = {"include": [["#schedules-group"], ["#languages-group"]],
        "exclude": [["th.original"], ["td.delete"], ["td.original"]]}


def check_our_rows(page):
    results = Axe().run(page, context=OURS, options={"rules": {"target-size": {"enabled": True}}})
    assert results.violations_count == 0, results.generate_report()


def test_it_edits_hours_and_languages_without_codes(page, content_admin):
    service = make_service("Eastside Exchange", hours=[("MO", "09:00", "17:00")], languages=[("en", "English")])
    sign_in(page, "content")
    page.goto(f"/admin/resources/service/{service.pk}/change/")
    assert page.locator("#site-name").inner_text() == "Peer companion: admin"
    hours = page.locator("#schedules-group")
    hours.get_by_label("Wednesday").first.check()
    hours.locator('input[name="schedules-0-closes_at"]').fill("18:30")
    page.locator('select[name="languages-1-language"]').select_option(label="Vietnamese")
    check_our_rows(page)
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("was changed successfully").wait_for()
    row = Service.objects.get(pk=service.pk).schedules.get()
    assert row.byday == "MO,WE" and row.closes_at.strftime("%H:%M") == "18:30"
    assert sorted(Service.objects.get(pk=service.pk).languages.values_list("name", flat=True)) == [
        "English", "Vietnamese"]
