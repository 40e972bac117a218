from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Library and directory"

    def ready(self) -> None:
        # The directory row cache's invalidation lives with the cache (resources/listing.py).
        # Imported here, not at the top: this module is loaded before the models exist.
        from resources import listing

        listing.connect_signals()
        # The cached synonym list and "did you mean" words go when a synonym changes.
        from django.db.models import signals

        from resources.models import SearchSynonym, forget_search_words

        signals.post_save.connect(forget_search_words, sender=SearchSynonym)
        signals.post_delete.connect(forget_search_words, sender=SearchSynonym)
