import base64
import functools
import hashlib
import re

from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.template.loader import get_template

# Django 5.2's admin has exactly one inline <style> element (in the change list, when a model
# admin shows no actions). Everything else it loads from static files.
ADMIN_TEMPLATES_WITH_INLINE_STYLE = ("admin/change_list.html",)
_STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>", re.DOTALL)


@functools.cache
def admin_inline_style_hashes() -> tuple[str, ...]:
    """CSP hashes of the admin's static inline <style> blocks, read from the templates in use
    (so an upgrade or a project override is picked up, and anything else stays blocked)."""
    hashes = []
    for name in ADMIN_TEMPLATES_WITH_INLINE_STYLE:
        source = get_template(name).template.source
        for css in _STYLE_ELEMENT.findall(source):
            if "{%" in css or "{{" in css:
                continue  # rendered content cannot be hashed ahead of time
            digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
            hashes.append(f"'sha256-{digest}'")
    return tuple(hashes)


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

    def admin_view(self, view, cacheable=False):
        # The public site keeps the strict policy from settings; admin pages also allow the
        # admin's own inline <style>, by hash (django-csp's per-view update).
        wrapped = super().admin_view(view, cacheable)
        hashes = admin_inline_style_hashes()
        return csp_update({"style-src": list(hashes)})(wrapped) if hashes else wrapped


class NewsportalAdminConfig(AdminConfig):
    default_site = "newsportal.admin_site.NewsportalAdminSite"
