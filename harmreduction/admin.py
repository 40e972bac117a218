from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from harmreduction.models import AuditEvent, Team, User, UserSession


@admin.register(User)
class PersonAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("Team", {"fields": ("team",)}),)
    list_display = ("username", "first_name", "last_name", "team", "is_active")
    list_filter = ("groups", "team", "is_active")
    list_select_related = ("team",)
    actions = ["end_sessions"]

    @admin.action(description="Sign out selected people everywhere", permissions=["change"])
    def end_sessions(self, request, queryset):
        # A lost tablet or a person leaving: every device they are signed in on, now.
        ended = 0
        for session in UserSession.objects.filter(user__in=queryset).select_related("user"):
            # The line names whose session it was; the admin is the one who did it.
            AuditEvent.record(request, "end session", session.user)
            session.end()
            ended += 1
        self.message_user(request, f"Ended {ended} session{'s' if ended != 1 else ''}.")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "supervisor")
    list_select_related = ("supervisor",)


class RecordIdFilter(admin.SimpleListFilter):
    """Type an id: every line about that record (with "object type", one record exactly)."""

    title = "record id"
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

    list_display = ("at", "username", "action", "object_type", "object_id", "ip", "path")
    list_filter = ("action", "object_type", ("user", admin.RelatedOnlyFieldListFilter), RecordIdFilter)
    search_fields = ("username", "object_id", "=ip", "path")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
