"""Staff accounts: Django's own user admin, but an account whose work is in the admin's log
(comment decisions, take-downs, blocks, policy changes, article edits) is not deleted. The log's
rows belong to their user and go with it: the newsroom's record of who decided what would be
lost with the account. Unticking "Active" ends the access and keeps the record."""

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count

User = get_user_model()

KEEP_THE_RECORD = (
    "{count} entries by {name} in the newsroom’s history (decisions on comments, changes to "
    "articles), which would be deleted with the account: untick “Active” on the account’s "
    "page instead, which ends its access and keeps the history"
)

admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # The stock page then says "Cannot delete", lists these, and deletes nothing on POST
        # (one account's Delete button and the "Delete selected" action alike).
        entries = dict(
            LogEntry.objects.filter(user__in=objs)
            .values_list("user")
            .annotate(Count("pk"))
            .order_by()
        )
        for user in objs:
            if count := entries.get(user.pk):
                name = user.get_full_name() or user.get_username()
                protected.append(KEEP_THE_RECORD.format(count=count, name=name))
        return deleted, counts, perms_needed, protected
