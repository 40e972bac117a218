from sessions_app.models import PART2_NOTICE


def part2_notice(request):
    """The 42 CFR § 2.32 notice, for every page that can print a note."""
    return {"part2_notice": PART2_NOTICE}
