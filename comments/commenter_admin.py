"""Admin for what commenters see of the site's rules: the privacy and comment-policy page.
(Imported by comments/admin.py, which Django's admin discovers.)"""

from django.contrib import admin

from comments.models import CommentPolicyPage


@admin.register(CommentPolicyPage)
class CommentPolicyPageAdmin(admin.ModelAdmin):
    fields = ["title", "body"]

    def has_add_permission(self, request):
        # One page: it is created by its first save, from the defaults.
        return super().has_add_permission(request) and not CommentPolicyPage.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
