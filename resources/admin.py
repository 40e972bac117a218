from django.contrib import admin, messages
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from resources.forms import LanguageAdminForm, LanguageFormSet, ScheduleAdminForm
from resources.models import (
    Address,
    Card,
    CardTranslation,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    SearchSynonym,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    Term,
)


def _review_state(translation) -> str:
    if translation.reviewed_on is None:
        return _("Translation not reviewed yet")
    if translation.reviewed_by is None:
        return _("Reviewed on %(date)s") % {"date": date_format(translation.reviewed_on, "DATE_FORMAT")}
    return _("Reviewed on %(date)s by %(person)s") % {
        "date": date_format(translation.reviewed_on, "DATE_FORMAT"),
        "person": translation.reviewed_by.get_short_name() or translation.reviewed_by.get_username(),
    }


def _reviewer_defaults_to_saver(request, translation) -> None:
    # A review date with nobody named was reviewed by the admin saving it.
    if translation.reviewed_on and translation.reviewed_by_id is None:
        translation.reviewed_by = request.user


class CardTranslationInline(admin.StackedInline):
    """The card's translations beside the English; each one's History is on its own page (the link)."""

    model = CardTranslation
    extra = 0
    show_change_link = True
    fields = ("language", "title", "summary", "plain_language", "reviewed_on", "reviewed_by", "review_state")
    readonly_fields = ("review_state",)

    @admin.display(description=_("Translation review"))
    def review_state(self, translation):
        return _review_state(translation) if translation.pk else ""


# SimpleHistoryAdmin adds the History button: every saved version with who
# and when, each one viewable and revertible (docs/library.md).
@admin.register(Card)
class CardAdmin(SimpleHistoryAdmin):
    inlines = [CardTranslationInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is CardTranslation:
            for translation_form in formset.forms:
                _reviewer_defaults_to_saver(request, translation_form.instance)
        super().save_formset(request, form, formset, change)
    list_display = ("title", "category", "audience", "order", "last_reviewed")
    list_filter = ("category", "audience")
    search_fields = ("title", "summary", "body", "tags")
    prepopulated_fields = {"slug": ("title",)}
    history_list_display = ("category", "audience", "last_reviewed")
    fieldsets = (
        (None, {"fields": ("title", "slug", "category", "order", "summary", "body", "tags")}),
        (_("Show to participant"), {"fields": ("audience", "plain_language")}),
        (_("Sources"), {"fields": ("sources", "last_reviewed")}),
    )


# Its own page too, for the History button: a translation's versions, who
# saved each, and revert, as for the English card.
@admin.register(CardTranslation)
class CardTranslationAdmin(SimpleHistoryAdmin):
    list_display = ("card", "language", "title", "review_state")
    list_filter = ("language", ("reviewed_on", admin.EmptyFieldListFilter))
    list_select_related = ("card", "reviewed_by")
    search_fields = ("title", "summary", "plain_language", "card__title")
    autocomplete_fields = ("card",)
    history_list_display = ("language", "reviewed_on", "reviewed_by")
    fields = ("card", "language", "title", "summary", "plain_language", "reviewed_on", "reviewed_by")

    @admin.display(description=_("Translation review"))
    def review_state(self, translation):
        return _review_state(translation)

    def save_model(self, request, obj, form, change):
        _reviewer_defaults_to_saver(request, obj)
        super().save_model(request, obj, form, change)


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ("flags", "suggestion", "language", "soft", "source", "order")
    list_filter = ("language", "soft")
    search_fields = ("flags", "suggestion", "note", "exceptions")


# Content like the cards: who changed a synonym and when matters as much.
@admin.register(SearchSynonym)
class SearchSynonymAdmin(SimpleHistoryAdmin):
    list_display = ("words", "means", "note")
    search_fields = ("words", "means", "note")


# Referral directory ---------------------------------------------------------


class ScheduleInline(admin.TabularInline):
    """Days ticked and times picked (ScheduleAdminForm), stored as HSDS `byday`."""

    model = Schedule
    form = ScheduleAdminForm
    fk_name = "service"
    extra = 1
    fields = ("days", "opens_at", "closes_at", "freq", "week_of_month", "bymonthday", "valid_from", "valid_to",
              "description", "imported_days")
    readonly_fields = ("imported_days",)

    @admin.display(description=_("Imported days"))
    def imported_days(self, schedule):
        if schedule.pk and ScheduleAdminForm(instance=schedule).shown_days() is None:
            return _("Stored as “%(byday)s”, which the boxes cannot show: ticking days replaces it.") % {
                "byday": schedule.byday}
        return ""


class PhoneInline(admin.TabularInline):
    model = Phone
    fk_name = "service"
    extra = 1
    fields = ("number", "extension", "type", "description")


class LanguageInline(admin.TabularInline):
    """Languages picked from a list (LanguageAdminForm), not typed."""

    model = Language
    form = LanguageAdminForm
    formset = LanguageFormSet
    fk_name = "service"
    extra = 1
    fields = ("language", "note")


class CostOptionInline(admin.TabularInline):
    model = CostOption
    extra = 0
    fields = ("option", "amount", "currency", "amount_description", "valid_from", "valid_to")


class ServiceAtLocationInline(admin.TabularInline):
    model = ServiceAtLocation
    extra = 0
    autocomplete_fields = ("location",)
    fields = ("location", "description")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "status", "access", "last_verified_on", "is_sample")
    list_filter = (
        "status",
        "access",
        "is_sample",
        ("terms", admin.RelatedOnlyFieldListFilter),
        "last_verified_on",
    )
    list_select_related = ("organization",)
    search_fields = ("name", "alternate_name", "organization__name", "description")
    autocomplete_fields = ("organization",)
    filter_horizontal = ("terms",)
    readonly_fields = ("hsds_id", "last_verified_by", "updated_at")
    date_hierarchy = "last_verified_on"
    inlines = [ServiceAtLocationInline, ScheduleInline, PhoneInline, LanguageInline, CostOptionInline]
    actions = ["mark_verified"]
    fieldsets = (
        (None, {"fields": ("name", "alternate_name", "organization", "status", "alert", "description")}),
        (
            _("For peers"),
            {
                "fields": (
                    "terms",
                    "access",
                    "eligibility_description",
                    "application_process",
                    "what_to_bring",
                    "peer_notes",
                    "fees_description",
                    "interpretation_services",
                    "minimum_age",
                    "maximum_age",
                )
            },
        ),
        (_("Contact"), {"fields": ("url", "email", "time_zone")}),
        (
            _("Freshness"),
            {
                "fields": (
                    "last_verified_on",
                    "last_verified_by",
                    "assurer_email",
                    "is_sample",
                    "hsds_id",
                    "updated_at",
                )
            },
        ),
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Tag parents of chosen terms too (filters match any level), then reindex for search.
        service = form.instance
        service.set_terms(list(service.terms.all()))
        service.refresh_search_document()

    @admin.action(description=_("Mark selected services as verified today"), permissions=["verify"])
    def mark_verified(self, request, queryset):
        for service in queryset:
            service.mark_verified(by=request.user)
        count = queryset.count()
        messages.success(request, ngettext(
            "%(count)d service marked as verified today.", "%(count)d services marked as verified today.", count,
        ) % {"count": count})

    def has_verify_permission(self, request):
        return request.user.has_perm("resources.verify_service")


def _reindex(services) -> None:
    # Search reads names and addresses copied onto each service: keep them in step.
    for service in services.select_related("organization"):
        service.refresh_search_document()


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "website")
    search_fields = ("name", "alternate_name")
    readonly_fields = ("hsds_id",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _reindex(obj.services.all())


class AddressInline(admin.StackedInline):
    model = Address
    extra = 0
    exclude = ("hsds_id",)


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "location_type")
    list_select_related = ("organization",)
    list_filter = ("location_type",)
    readonly_fields = ("hsds_id",)
    search_fields = ("name", "addresses__address_1", "addresses__city", "addresses__postal_code")
    inlines = [AddressInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _reindex(Service.objects.filter(service_at_locations__location=form.instance).distinct())


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "facet", "parent", "is_filter", "position")
    list_select_related = ("parent",)
    list_filter = ("facet", "is_filter", "taxonomy")
    search_fields = ("name", "code")
    readonly_fields = ("hsds_id",)


@admin.register(Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ("name", "version")
    readonly_fields = ("hsds_id",)
