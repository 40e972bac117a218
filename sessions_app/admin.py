from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from harmreduction.models import AuditEvent
from sessions_app.models import CheckIn, ContactMethod, FundingSource, Program, SupplyItem


@admin.register(ContactMethod, Program, FundingSource)
class ChoiceListAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "active")
    list_editable = ("order", "active")


@admin.register(SupplyItem)
class SupplyItemAdmin(admin.ModelAdmin):
    """Supply items and how funders count them (docs/checkins.md, "Supplies as funders count them")."""

    list_display = ("name", "handed_out_as", "unit", "units_per_handout", "naloxone", "collected",
                    "funding_source", "order", "active")
    list_editable = ("order", "active")
    list_filter = ("funding_source", "active")
    list_select_related = ("funding_source",)
    fieldsets = [
        (None, {"fields": ["name", "order", "active"]}),
        (_("How it is counted"), {"fields": ["handed_out_as", "unit", "units_per_handout", "naloxone", "collected"]}),
        (_("Who pays for it"), {"fields": ["funding_source"]}),
    ]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    """Only for deleting a check-in logged in error (content admins).

    Shows when and by whom, never what was written: notes are read in the app,
    scoped and audited, not here.
    """

    list_display = ("pk", "happened_at", "peer", "method", "reviewed_at")
    list_filter = ("method", "program")
    list_select_related = ("peer", "method")
    fields = ("happened_at", "peer", "method", "program", "reviewed_at")
    readonly_fields = fields
    date_hierarchy = "happened_at"
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("sessions_app.delete_checkin")

    def delete_model(self, request, obj):
        AuditEvent.record(request, "delete", obj)
        super().delete_model(request, obj)
