from django.apps import AppConfig


class NewsportalConfig(AppConfig):
    name = "newsportal"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from newsportal.auth import forget_cached_user

        # Cache upkeep, not business logic: a saved or deleted user is read afresh everywhere.
        user_model = get_user_model()
        post_save.connect(forget_cached_user, sender=user_model, dispatch_uid="forget-user")
        post_delete.connect(forget_cached_user, sender=user_model, dispatch_uid="forget-user-d")
