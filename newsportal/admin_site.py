from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class NewsportalAdminSite(admin.AdminSite):
    site_header = "Newsportal newsroom"
    site_title = "Newsportal admin"
    index_title = "Newsroom"

    def index(self, request, extra_context=None):
        # The moderation figures are the numbers behind "we will review it in the next few
        # hours"; editors see them first thing.
        from comments.stats import moderation_summary

        extra_context = {**(extra_context or {}), "moderation": moderation_summary()}
        return super().index(request, extra_context)


class NewsportalAdminConfig(AdminConfig):
    default_site = "newsportal.admin_site.NewsportalAdminSite"
