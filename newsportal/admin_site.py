from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class NewsportalAdminSite(admin.AdminSite):
    site_header = "Newsportal newsroom"
    site_title = "Newsportal admin"
    index_title = "Newsroom"

    def index(self, request, extra_context=None):
        # Mail to commenters and moderators goes through the worker: when it has stopped, the
        # newsroom should hear it here, not from a reader who never got their link. (Imported
        # here: this module loads with the admin app, before the task models may.)
        from newsportal.jobs import overdue_jobs
        from newsportal.worker import worker_backlog

        context = {"worker_backlog": worker_backlog()}
        # A late cron job is for superusers, who can have cron mended: unlike a stopped worker
        # it changes nothing an editor or a moderator does. A laptop (DEBUG, `make run`) has no
        # cron, so it would only ever warn there.
        if request.user.is_superuser and not settings.DEBUG:
            context["overdue_jobs"] = overdue_jobs()
        return super().index(request, {**context, **(extra_context or {})})


class NewsportalAdminConfig(AdminConfig):
    default_site = "newsportal.admin_site.NewsportalAdminSite"
