from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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

    def get_urls(self):
        # Ahead of the stock "View on site" (same address and name), which answers any staff
        # member for any object: a moderator walking /admin/r/<article type>/<n>/ read the
        # address, so the headline, of every draft and embargoed story.
        view = path(
            "r/<int:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        # Not through admin_view: its answer to a signed-out editor is the login page, which a
        # script asking before it saves could not tell from a page of the admin.
        signed_in = path("signed-in/", self.signed_in, name="signed_in")
        return [view, signed_in, *super().get_urls()]

    @method_decorator(never_cache)
    @method_decorator(require_GET)
    def signed_in(self, request):
        """Asked by a change form's script before it saves (static/js/admin-unsaved.js): saved
        signed out, the post went to the login page and the editor's changes with it. Signed in,
        the answer carries the CSRF token now in force: signing in again in another tab changes
        it, and the form's own token would then be refused."""
        if not self.has_permission(request):
            login = reverse("admin:login", current_app=self.name)
            return JsonResponse({"signed_in": False, "login_url": login})
        return JsonResponse({"signed_in": True, "csrf_token": get_token(request)})

    def view_on_site(self, request, content_type_id, object_id):
        """Where an object is on the site, for whoever may see it in the admin, by its admin's
        own rule (ModelAdmin.view_on_site: a comment waiting, or on a story off the site, has
        no place there); a 404 for everyone else, as for an object that does not exist."""
        # Imported here, as in index(): the content types' model is not loaded with this module.
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            model_admin = self.get_model_admin(model)
        except (ContentType.DoesNotExist, NotRegistered):
            raise Http404 from None
        # None too for a key of another kind ("1" for a UUID).
        obj = model_admin.get_object(request, unquote(object_id))
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            raise Http404
        if callable(model_admin.view_on_site):
            url = model_admin.view_on_site(obj)
            if not url:
                raise Http404
            return HttpResponseRedirect(url)
        if not model_admin.view_on_site:
            raise Http404
        return shortcut(request, content_type_id, object_id)


class NewsportalAdminConfig(AdminConfig):
    default_site = "newsportal.admin_site.NewsportalAdminSite"
