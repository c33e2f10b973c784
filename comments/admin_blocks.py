"""Comments › Blocks: the blocks moderators set from commenters' pages, listed and searched,
each leading to the page that lifts it. Registered here, imported by comments.admin."""

import ipaddress

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from comments.admin_commenter import not_lifted
from comments.admin_queue import time_cell
from comments.desk import lift_block
from comments.models import ERASED_PREFIX, Block, erased_emails


def _blocks_holding(typed: str):
    """An IP address typed whole finds the blocks that hold it, as its commenter's page does:
    an IPv6 address's is its sender's /64 (Block.objects.of_sender), which its text is not in.
    A network typed in another spelling finds its block. None: not an IP address."""
    try:
        return Block.objects.of_sender(Block.Kind.IP, str(ipaddress.ip_address(typed)))
    except ValueError:
        pass
    try:
        network = str(ipaddress.ip_network(typed, strict=False))
    except ValueError:
        return None
    return Block.objects.filter(kind=Block.Kind.IP, value=network)


class InForceFilter(admin.SimpleListFilter):
    """Every block stays listed once over (a new one of the sender replaces the old): those
    that still hold, apart."""

    title = "in force"
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        return [("yes", "In force"), ("no", "Over")]

    def queryset(self, request, queryset):
        active = queryset.active()
        if self.value() == "yes":
            return active
        if self.value() == "no":
            return queryset.exclude(pk__in=active.values("pk"))
        return queryset


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    """The blocks moderators set from a commenter's page: read here, lifted by expiring."""

    list_display = ["address", "kind", "in_force", "until", "reason", "created_by", "set_at"]
    list_filter = [InForceFilter, "kind"]
    # Who set each block, in the page's query: the changelist joins only the non-null keys
    # by itself, and created_by may be empty (a moderator's account deleted since).
    list_select_related = ["created_by"]
    search_fields = ["value", "reason"]
    readonly_fields = ["kind", "address", "reason", "created_by", "created_at"]
    fields = [*readonly_fields, "expires_at"]

    class Media:
        css = {"all": ["css/moderation.css"]}  # its list fits beside the sidebar at 1280 px

    def has_add_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        # Not the stock "Select block to view": nothing here is selected.
        return super().changelist_view(request, {"title": "Blocks", **(extra_context or {})})

    def _commenter_column(self, request) -> str:
        # A block is lifted on its commenter's page (lift_block, for moderators): each row
        # leads there, and says so to those who may lift it.
        lifts = request.user.has_perm("comments.moderate_comment")
        return "lift_link" if lifts else "commenter_link"

    def get_list_display(self, request):
        return [*self.list_display, self._commenter_column(request)]

    def get_readonly_fields(self, request, obj=None):
        # As in the list, but never the list's link from an erased address's block to its own
        # page, this one.
        column = self._commenter_column(request)
        return [*self.readonly_fields, "on_their_page" if column == "lift_link" else column]

    def get_fields(self, request, obj=None):
        return [*self.get_readonly_fields(request, obj), "expires_at"]

    def get_urls(self):
        lift = self.admin_site.admin_view(self.lift_view)
        return [
            path("<path:object_id>/lift/", lift, name="comments_block_lift"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        block = self.get_object(request, unquote(object_id))
        lift = None
        if block and block.is_active and request.user.has_perm("comments.moderate_comment"):
            # The one place a block of an erased address can be lifted (no commenter page
            # names it), and one for any block followed here from "Recent actions".
            lift = reverse("admin:comments_block_lift", args=[block.pk])
            filters = request.GET.get("_changelist_filters")
            lift += f"?{urlencode({'_changelist_filters': filters})}" if filters else ""
        extra_context = {**(extra_context or {}), "lift": lift}
        return super().change_view(request, object_id, form_url, extra_context)

    def lift_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("comments.moderate_comment"):
            raise PermissionDenied
        block = self.get_object(request, unquote(object_id))
        if block and lift_block(block=block, by=request.user):
            self.message_user(request, f"Block of {block.shown_value} lifted.")
        else:
            self.message_user(request, not_lifted(block), messages.WARNING)
        listing = reverse("admin:comments_block_changelist")
        filters = request.GET.get("_changelist_filters")
        return HttpResponseRedirect(f"{listing}?{filters}" if filters else listing)

    @admin.display(description="commenter")
    def commenter_link(self, obj, words="Their page"):
        if obj.value.startswith(ERASED_PREFIX):
            # Kept as a keyed hash: its page opens with the address typed whole (search here).
            return "–"
        query = {"email": obj.value}
        if obj.kind == Block.Kind.IP:
            # An IPv6 sender's /64 by its first address: the page finds the sender's block by it.
            query = {"ip": obj.value.split("/")[0]}
        url = f"{reverse('admin:comments_comment_commenter')}?{urlencode(query)}"
        return format_html('<a href="{}">{}</a>', url, words)

    @admin.display(description="commenter")
    def lift_link(self, obj):
        if obj.value.startswith(ERASED_PREFIX) and obj.is_active:
            # No commenter page names it: the block's own page lifts it.
            url = reverse("admin:comments_block_change", args=[obj.pk])
            return format_html('<a href="{}">Lift on its page</a>', url)
        return self.on_their_page(obj)

    @admin.display(description="commenter")
    def on_their_page(self, obj):
        return self.commenter_link(obj, "Lift on their page" if obj.is_active else "Their page")

    @admin.display(description="address", ordering="value")
    def address(self, obj):
        # An address erased at its owner's request is kept as a keyed hash (72 characters that
        # mean nothing to a moderator and pushed the other columns off screen).
        return obj.shown_value

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        typed = search_term.strip()
        if "@" in typed:
            # Typed in full, an erased address still finds its block, as the commenter's page
            # finds it.
            found |= queryset.filter(kind=Block.Kind.EMAIL, value__in=erased_emails(typed))
        elif held := _blocks_holding(typed):
            found |= queryset.filter(pk__in=held.values("pk"))
        return found, may_have_duplicates

    @admin.display(boolean=True, description="in force")
    def in_force(self, obj):
        return obj.is_active

    @admin.display(description="until", ordering="expires_at")
    def until(self, obj):
        return time_cell(obj.expires_at) if obj.expires_at else "for good"

    @admin.display(description="set", ordering="created_at")
    def set_at(self, obj):
        return time_cell(obj.created_at)

    def has_view_permission(self, request, obj=None):
        # Moderators set blocks from commenters' pages; they may read them back here (and
        # follow "Recent actions" to them).
        return super().has_view_permission(request, obj) or request.user.has_perm(
            "comments.moderate_comment"
        )
