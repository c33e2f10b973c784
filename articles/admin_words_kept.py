"""What the admin pages of the newsroom's short texts (corrections, live updates) share: a paste
too long comes back whole with the error, and words refused between the form and its save are
given back to copy, never dropped."""

from django.contrib import admin, messages
from django.shortcuts import redirect


class NotSaved(Exception):
    """Refused between the form and its save (the row or its story deleted meanwhile): nothing
    was written, the admin's transaction rolled back."""


class WordsKeptAdmin(admin.ModelAdmin):
    refused_as = "Not saved"
    # The boxes whose words are given back, in the form's order.
    words_given_back = ("text",)
    # Said when the row itself was deleted between the form and its save.
    gone_meanwhile = "This was deleted meanwhile."

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # No maxlength (as in the story's form): a browser cut a longer paste without a word.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.pop("maxlength", None)
        return field

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            if request.method == "POST" and object_id and not self._still_there(object_id):
                # The admin's own "doesn't exist" would drop the words typed.
                raise NotSaved(self.gone_meanwhile)
            return super().changeform_view(request, object_id, form_url, extra_context)
        except NotSaved as refused:
            # Nothing else on this page can keep the words: they are given back to copy.
            typed = [request.POST.get(name, "") for name in self.words_given_back]
            words = " ".join(f"“{text}”" for text in typed if text) or "“”"
            said = f"{self.refused_as}: {refused} Your words: {words}"
            self.message_user(request, said, messages.ERROR)
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    def _still_there(self, object_id) -> bool:
        rows = self.model._default_manager
        return str(object_id).isdigit() and rows.filter(pk=object_id).exists()
