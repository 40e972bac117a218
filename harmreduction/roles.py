"""Roles are Django groups; what a role may do is the permissions on its group.

Migrations call `grant()` so every install gets the same groups, and the top
bar shows a section only when the user holds the permission it needs.
"""

from django.urls import reverse

PEER = "Peer specialist"
SUPERVISOR = "Supervisor"
CONTENT_ADMIN = "Content admin"
ROLES = [PEER, SUPERVISOR, CONTENT_ADMIN]

# The sections of the top bar and the home page's tiles:
# (label, url name, permission needed or None, one line for the home tile).
# A feature adds its line when it lands; nothing unbuilt is ever shown.
SECTIONS: list[tuple[str, str, str | None, str]] = [
    ("Home", "home", None, ""),
    ("Library", "resources:library", "resources.view_card",
     "Principles, practices and strategy cards to read together or show."),
]


# What each role may do, as "app_label.codename". Features add their lines here;
# migrate applies them (a data migration creates the groups, and a post_migrate
# hook keeps them in step as new models and permissions arrive).
ROLE_PERMISSIONS: dict[str, list[str]] = {
    PEER: ["resources.view_card", "resources.view_term"],
    SUPERVISOR: ["harmreduction.view_team", "resources.view_card", "resources.view_term"],
    # Content admins keep the directory and library true; they also look
    # people up in the audit log (read-only: the admin refuses changes).
    CONTENT_ADMIN: [
        "harmreduction.view_auditevent",
        "harmreduction.view_team",
        "resources.add_card", "resources.change_card", "resources.delete_card", "resources.view_card",
        "resources.add_term", "resources.change_term", "resources.delete_term", "resources.view_term",
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
        group, _ = Group.objects.get_or_create(name=role)
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
    sections = []
    for label, url_name, perm, blurb in SECTIONS:
        if perm is None or user.has_perm(perm):
            url = reverse(url_name)
            current = request.path == url if url == "/" else request.path.startswith(url)
            sections.append({"label": label, "url": url, "current": current, "blurb": blurb})
    if user.is_staff:
        sections.append({"label": "Admin", "url": reverse("admin:index"), "current": False})
    return {"nav_sections": sections}
