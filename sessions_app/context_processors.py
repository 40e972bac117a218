from sessions_app.models import part2_notice as notice


def part2_notice(request):
    """The 42 CFR § 2.32 notice, for every page that can print a note."""
    return {"part2_notice": notice()}
