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
        from newsportal.worker import worker_backlog

        context = {"worker_backlog": worker_backlog(), **(extra_context or {})}
        return super().index(request, context)


class NewsportalAdminConfig(AdminConfig):
    default_site = "newsportal.admin_site.NewsportalAdminSite"
