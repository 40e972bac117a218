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


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log can be searched, never changed."""

    list_display = ("at", "username", "action", "object_type", "object_id", "ip")
    list_filter = ("action", "object_type")
    search_fields = ("username", "object_id", "=ip")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
