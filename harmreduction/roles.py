"""Roles are Django groups; what a role may do is the permissions on its group.

Migrations call `grant()` so every install gets the same groups, and the top
bar shows a section only when the user holds the permission it needs.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sessions_app.models import Feedback

# The groups' names: keys in the database (and in migrations), not words on a page.
PEER = "Peer specialist"  # i18n: not shown
SUPERVISOR = "Supervisor"
CONTENT_ADMIN = "Content admin"  # i18n: not shown
ROLES = [PEER, SUPERVISOR, CONTENT_ADMIN]

# The sections of the top bar and the home page's tiles:
# (label, url name, permission needed or None, one line for the home tile).
# A feature adds its line when it lands; nothing unbuilt is ever shown.
SECTIONS: list[tuple[str, str, str | None, str]] = [
    (_("Home"), "home", None, ""),
    (_("New check-in"), "sessions_app:checkin_new", "sessions_app.add_checkin",
     _("Log a contact while it is fresh: under a minute, nothing lost.")),
    (_("Check-ins"), "sessions_app:checkin_list", "sessions_app.view_checkin",
     _("The check-ins you have logged, newest first.")),
    (_("Library"), "resources:library", "resources.view_card",
     _("Principles, practices and strategy cards to read together or show.")),
    (_("Directory"), "resources:directory", "resources.view_service",
     _("SSP and MAT services: open now, walk-in, languages, and a slip to hand over.")),
    (_("Follow-ups"), "sessions_app:follow_ups", "sessions_app.view_checkin",
     _("Who you said you would check back with: overdue, today and coming up.")),
    (_("Feedback"), "sessions_app:feedback_inbox", "sessions_app.view_checkin",
     _("Feedback and questions on your check-ins.")),
    (_("Review"), "sessions_app:review_queue", "sessions_app.review_checkin",
     _("Your team's check-ins waiting for review, oldest first.")),
    (_("Dashboard"), "sessions_app:dashboard", "sessions_app.view_dashboard",
     _("What the program is doing: contacts, supplies, overdoses reversed.")),
    (_("Funder report"), "sessions_app:funder_report", "sessions_app.view_dashboard",
     _("The figures funders ask for, by quarter, program and team, with a CSV.")),
]

# A supervisor's lists hold their team's check-ins as well as their own: the
# home tile says so (CheckIn.objects.visible_to).
TEAM_BLURBS: dict[str, str] = {
    "sessions_app:checkin_list": _("Check-ins by you and your team, newest first."),
    "sessions_app:follow_ups": _("Who you and your team said you would check back with: overdue, today and coming up."),
    "sessions_app:feedback_inbox": _("Feedback and questions on your check-ins and your team's."),
}


# What each role may do, as "app_label.codename". Features add their lines here;
# migrate applies them (a data migration creates the groups, and a post_migrate
# hook keeps them in step as new models and permissions arrive).
DIRECTORY_MODELS = [
    "organization", "service", "location", "serviceatlocation", "address", "phone",
    "schedule", "language", "costoption", "taxonomy", "taxonomyterm",
]
DIRECTORY_VIEW = [f"resources.view_{model}" for model in DIRECTORY_MODELS]
DIRECTORY_EDIT = [f"resources.{action}_{model}" for model in DIRECTORY_MODELS
                  for action in ("add", "change", "delete", "view")] + ["resources.verify_service"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    PEER: [
        "sessions_app.add_checkin", "sessions_app.change_checkin", "sessions_app.view_checkin",
        "sessions_app.add_participant", "sessions_app.view_participant", "sessions_app.change_referral",
        "sessions_app.add_overdosereversal",
        "resources.view_card", "resources.view_term", *DIRECTORY_VIEW,
    ],
    SUPERVISOR: [
        "harmreduction.view_team",
        "sessions_app.review_checkin", "sessions_app.view_dashboard",
        "sessions_app.add_checkin", "sessions_app.change_checkin", "sessions_app.view_checkin",
        "sessions_app.add_participant", "sessions_app.view_participant", "sessions_app.change_referral",
        "sessions_app.add_overdosereversal",
        "resources.view_card", "resources.view_term", *DIRECTORY_VIEW,
    ],
    # Content admins keep the directory and library true; they also look
    # people up in the audit log (read-only: the admin refuses changes).
    CONTENT_ADMIN: [
        "harmreduction.view_auditevent", "harmreduction.view_team",
        # Deleting a check-in is theirs alone (in the admin, audited); they keep the lists.
        "sessions_app.delete_checkin",
        "sessions_app.view_dashboard", "sessions_app.view_all_dashboard", "sessions_app.export_notes",
        # Possible duplicates across teams, and merging two into one (audited).
        "sessions_app.merge_participant",
        *[f"sessions_app.{action}_{model}" for action in ("add", "change", "delete", "view")
          for model in ("contactmethod", "program", "supplyitem", "fundingsource")],
        *[f"resources.{action}_{model}" for action in ("add", "change", "delete", "view")
          for model in ("card", "cardtranslation", "term", "searchsynonym")],
        *DIRECTORY_EDIT,
    ],
}


def sync_roles(apps) -> None:
    """Create the role groups and give each its permissions (idempotent).

    Permissions of models that do not exist yet are skipped: a later migrate
    adds them.
    """
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after migrate; a data migration needs them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        for perm in perms:
            app_label, codename = perm.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)


def navigation(request):
    """Template context: the sections this user may open, the current one marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": []}
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        # A fragment has no top bar: skip the work (and the unread-feedback query).
        return {"nav_sections": []}
    sections = []
    leads_a_team = user.has_perm("sessions_app.review_checkin")
    for label, url_name, perm, blurb in SECTIONS:
        if leads_a_team:
            blurb = TEAM_BLURBS.get(url_name, blurb)
        if perm is None or user.has_perm(perm):
            sections.append({"label": label, "url": reverse(url_name), "current": False, "blurb": blurb})
    # The current section is the longest URL this path starts with ("/" only on its own).
    matches = [
        s for s in sections
        if request.path == s["url"] or (s["url"] != "/" and request.path.startswith(s["url"]))
    ]
    if matches:
        max(matches, key=lambda s: len(s["url"]))["current"] = True
    inbox = reverse("sessions_app:feedback_inbox")
    for section in sections:
        if section["url"] == inbox:
            section["count"] = Feedback.objects.for_user(user).unread().count()
    if user.is_staff:
        sections.append({"label": _("Admin"), "url": reverse("admin:index"), "current": False})
    return {"nav_sections": sections}
