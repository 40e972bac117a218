from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from resources.models import Card, Term


# SimpleHistoryAdmin adds the History button: every saved version with who
# and when, each one viewable and revertible (docs/library.md).
@admin.register(Card)
class CardAdmin(SimpleHistoryAdmin):
    list_display = ("title", "category", "audience", "order", "last_reviewed")
    list_filter = ("category", "audience")
    search_fields = ("title", "summary", "body", "tags")
    prepopulated_fields = {"slug": ("title",)}
    history_list_display = ("category", "audience", "last_reviewed")
    fieldsets = (
        (None, {"fields": ("title", "slug", "category", "order", "summary", "body", "tags")}),
        ("Show to participant", {"fields": ("audience", "plain_language")}),
        ("Sources", {"fields": ("sources", "last_reviewed")}),
    )


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ("flags", "suggestion", "soft", "source", "order")
    list_filter = ("soft",)
    search_fields = ("flags", "suggestion", "note", "exceptions")
