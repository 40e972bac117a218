from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# Registers django-otp's device admin now, so it can be replaced below by one that audits.
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from harmreduction.models import AuditEvent, Team, User, UserSession

# Changes to people are audited here, in the admin's own hooks, where the
# request says who made them. The admin is the only screen where they are
# made; signals would catch the shell too, but would need the request passed
# through a thread-local, and the operator with a shell can bypass any of it.
# (Never the password hash or a two-step secret: only that they changed.)
PERSON_FLAGS = [
    ("is_active", "account reactivated", "account deactivated"),
    ("is_staff", "admin access granted", "admin access removed"),
    ("is_superuser", "superuser granted", "superuser removed"),
]


def _roles_and_permissions(user) -> tuple[set[str], set[str]]:
    if user.pk is None:
        return set(), set()
    perms = user.user_permissions.values_list("content_type__app_label", "codename")
    return set(user.groups.values_list("name", flat=True)), {f"{app}.{code}" for app, code in perms}


@admin.register(User)
class PersonAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + ((_("Team and language"), {"fields": ("team", "language")}),)
    list_display = ("username", "first_name", "last_name", "team", "is_active")
    list_filter = ("groups", "team", "is_active")
    list_select_related = ("team",)
    actions = ["end_sessions"]

    def save_model(self, request, obj, form, change):
        fields = [field for field, _granted, _removed in PERSON_FLAGS] + ["team__name"]
        before = User.objects.filter(pk=obj.pk).values(*fields).first() if change else None
        super().save_model(request, obj, form, change)
        if before is None:
            AuditEvent.record(request, "person added", obj)
            return
        for field, granted, removed in PERSON_FLAGS:
            if before[field] != getattr(obj, field):
                AuditEvent.record(request, granted if getattr(obj, field) else removed, obj)
        team = obj.team.name if obj.team else None
        if before["team__name"] != team:
            AuditEvent.record(request, "team changed", obj,
                              detail=f"{before['team__name'] or 'no team'} → {team or 'no team'}")

    def save_related(self, request, form, formsets, change):
        # Roles and permissions are saved here, after the person (save_m2m).
        roles_before, perms_before = _roles_and_permissions(form.instance)
        super().save_related(request, form, formsets, change)
        roles, perms = _roles_and_permissions(form.instance)
        for action, names in [("role granted", roles - roles_before), ("role removed", roles_before - roles),
                              ("permission granted", perms - perms_before),
                              ("permission removed", perms_before - perms)]:
            for name in sorted(names):
                AuditEvent.record(request, action, form.instance, detail=name)

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        hash_before = user.password if user is not None else None
        session_before = request.session.session_key
        response = super().user_change_password(request, id, form_url)
        if user is not None and request.method == "POST":
            user.refresh_from_db(fields=["password"])
            if user.password != hash_before:
                AuditEvent.record(request, "password set", user,
                                  detail="" if user.has_usable_password() else "password sign-in turned off")
                # A lost or shared password: the person is signed out everywhere, now.
                UserSession.password_changed(request, user, session_before)
        return response

    def delete_model(self, request, obj):
        AuditEvent.record(request, "person deleted", obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            AuditEvent.record(request, "person deleted", user)
        super().delete_queryset(request, queryset)

    @admin.action(description=_("Sign out selected people everywhere"), permissions=["change"])
    def end_sessions(self, request, queryset):
        # A lost tablet or a person leaving: every device they are signed in on, now.
        ended = 0
        for session in UserSession.objects.filter(user__in=queryset).select_related("user"):
            # The line names whose session it was; the admin is the one who did it.
            AuditEvent.record(request, "end session", session.user)
            session.end()
            ended += 1
        self.message_user(request, ngettext("Ended %(count)d session.", "Ended %(count)d sessions.", ended)
                          % {"count": ended})


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "supervisor")
    list_select_related = ("supervisor",)


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TwoStepDeviceAdmin(TOTPDeviceAdmin):
    """django-otp's device admin, audited: adding a device, and deleting one (the lost-phone procedure).

    Lines are about the device's person (object type user), so "every line about
    this person" finds them; the detail is the device's name, never its key.
    """

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            AuditEvent.record(request, "two-factor device added", obj.user, detail=obj.name)
        elif form.changed_data:
            changed = ", ".join(field for field in form.changed_data if field != "key")
            AuditEvent.record(request, "two-factor device changed", obj.user,
                              detail=f"{obj.name}: {changed or 'key'}")

    def delete_model(self, request, obj):
        AuditEvent.record(request, "two-factor device deleted", obj.user, detail=obj.name)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for device in queryset.select_related("user"):
            AuditEvent.record(request, "two-factor device deleted", device.user, detail=device.name)
        super().delete_queryset(request, queryset)


class RecordIdFilter(admin.SimpleListFilter):
    """Type an id: every line about that record (with "object type", one record exactly)."""

    title = _("record id")
    parameter_name = "object_id"
    template = "admin/harmreduction/record_id_filter.html"

    def lookups(self, request, model_admin):
        # A text box, not a list; one entry so the admin shows the filter at all.
        return [("", "")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(object_id=self.value().strip())
        return queryset

    def choices(self, changelist):
        others = [(k, v) for k, vs in changelist.get_filters_params().items() if k != self.parameter_name
                  for v in (vs if isinstance(vs, list) else [vs])]
        yield {"parameter_name": self.parameter_name, "value": self.value() or "", "other_params": others}


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log can be searched, never changed.

    Per person: the "user" filter (or ?user__id__exact=<id>); per record: the
    record id box with "object type" (?object_type=sessions_app.checkin&object_id=<id>).
    """

    list_display = ("at", "username", "action", "subject_username", "detail", "object_type", "object_id", "ip",
                    "path")
    list_filter = ("action", "object_type", ("user", admin.RelatedOnlyFieldListFilter), RecordIdFilter)
    search_fields = ("username", "subject_username", "object_id", "=ip", "path")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The admin says whose it is, not "Django administration".
admin.site.site_header = _("Peer companion: admin")
admin.site.site_title = _("Peer companion admin")
admin.site.index_title = _("What you look after")
