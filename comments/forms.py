import re
import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.conf import settings
from django.core import validators
from django.core.exceptions import ValidationError

from comments.commenter_services import EMPTY_EDIT
from comments.models import MAX_BODY_LENGTH, MAX_NAME_LENGTH, NOT_REPLIABLE, Comment
from comments.screening import BIDI_CONTROLS
from comments.tokens import form_age
from newsportal.text import no_control_characters, pasted_breaks_as

BLANK_LINES = re.compile(r"\n(?:[ \t]*\n){2,}")

TOO_FAST = "That was quick! Please check your comment and send it again."
TOO_OLD = "This form was open for a long time. Please send your comment again."


def single_line(value: str) -> None:
    if "\n" in value or "\r" in value:
        raise ValidationError("Write your name on one line.", code="line_break")


INVISIBLE_LETTERS = set("\u115f\u1160\u2800\u3164\uffa0")


def no_direction_overrides(value: str) -> None:
    if BIDI_CONTROLS.search(value):
        raise ValidationError(
            "Remove the invisible text-direction characters from your name.", code="bidi"
        )
    # Zero-width and format characters, blanks, combining marks and the blank "letters" some
    # scripts have (Hangul and Braille fillers) alone show no name.
    if value and not any(
        unicodedata.category(c)[0] in "LNPS" and c not in INVISIBLE_LETTERS for c in value
    ):
        raise ValidationError("Write a name readers can see.", code="invisible")


class TooManyCharacters(validators.MaxLengthValidator):
    """Too long, in the words the box's count uses as the reader writes (comments-writing.js):
    the stock "Ensure this value has at most 3000 characters (it has 3050)" under "You have 50
    characters too many" told the same thing twice, in two ways."""

    def __call__(self, value):
        over = len(value) - self.limit_value
        if over > 0:
            raise ValidationError(
                f"You have {over:,} character{'s' if over != 1 else ''} too many: it can be "
                f"{self.limit_value:,} characters at most.",
                code="max_length",
            )


class MultilineTextField(forms.CharField):
    """Browsers send line breaks as CRLF but count them as one character against maxlength:
    count them the same way here, so text the form accepted is not refused as too long. A run
    of blank lines is one: the page keeps a comment's lines as written (a screen of empty
    lines pushed the next comments down). A word processor's breaks pasted in (U+000B,
    U+2028...) are line breaks, as in the newsroom's fields: the writer saw a break there, and
    could not find an invisible character to remove."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            TooManyCharacters(v.limit_value) if type(v) is validators.MaxLengthValidator else v
            for v in self.validators
        ]

    def to_python(self, value):
        text = super().to_python(value).replace("\r\n", "\n").replace("\r", "\n")
        text = pasted_breaks_as(text, "\n")
        return BLANK_LINES.sub("\n\n", text)

    def widget_attrs(self, widget):
        # No maxlength: a browser cuts a longer paste there without a word, and the rest of
        # the reader's text is lost. Too long, it comes back whole with the error, to shorten.
        attrs = super().widget_attrs(widget)
        if attrs.pop("maxlength", None):
            attrs["data-max-characters"] = str(self.max_length)  # comments-writing.js counts down
        return attrs


def account_identity(user) -> dict[str, str]:
    """The name and address a signed-in reader comments under unless they type others: their
    account's full name (never the login name, which is not for readers) and e-mail, each only
    if the form would take it as typed."""
    if user is None or not user.is_authenticated:
        return {}
    identity = {}
    for field, value in (("name", user.get_full_name()), ("email", user.email)):
        try:
            identity[field] = CommentForm.base_fields[field].clean(value)
        except ValidationError:
            continue  # blank, too long, not an address: they type their own
    return identity


# Django says "email"; every page and mail here says "e-mail".
NOT_AN_ADDRESS = "Enter an e-mail address such as name@example.com."


class CommentForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=MAX_NAME_LENGTH,
        validators=[no_control_characters, single_line, no_direction_overrides],
        # Typed in the writer's own direction, as it is shown (dir="auto" on the comments).
        widget=forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"}),
        help_text="Shown with your comment.",
    )
    email = forms.EmailField(
        label="E-mail",
        # Django's validator accepts control characters inside a quoted local part.
        validators=[no_control_characters],
        error_messages={"invalid": NOT_AN_ADDRESS},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Never shown publicly.",
    )
    body = MultilineTextField(
        label="Comment",
        max_length=MAX_BODY_LENGTH,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=f"Up to {MAX_BODY_LENGTH:,} characters. Comments are reviewed before they "
        "appear.",
    )
    notify = forms.BooleanField(label="E-mail me when my comment has been reviewed", required=False)
    notify_reply = forms.BooleanField(
        label="E-mail me when someone replies",
        required=False,
        help_text="We first send a link to confirm your address; every mail lets you stop them.",
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # The honeypot: hidden from people by CSS, filled in by form-filling bots.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, article, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        # A signed-in reader may leave their name and address blank: their account's are used
        # (the form on a shared page is everyone's; comments.js fills both in when they write).
        self.account = account_identity(user)
        for field, value in self.account.items():
            if self.is_bound:
                self.fields[field].required = False
            else:
                self.initial.setdefault(field, value)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template writes the <form> with its signed start
        # ...and the CSRF token, only on a page drawn for one reader (never a shared one).
        self.helper.disable_csrf = True
        # The form's own errors are said in the summary above the fields (comments/form.html).
        self.helper.template = "comments/form_layout.html"
        self.helper.layout = Layout(
            "name",
            "email",
            Field("body"),
            "notify",
            "notify_reply",
            "parent",
            Div("website", css_class="hp-field", aria_hidden="true"),
        )

    def clean_name(self):
        return self.cleaned_data["name"] or self.account.get("name", "")

    def clean_email(self):
        return self.cleaned_data["email"] or self.account.get("email", "")

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        parent = Comment.objects.repliable(self.article).filter(pk=parent_id).first()
        if parent is None:
            self.forget_parent()
            raise ValidationError(NOT_REPLIABLE)
        return parent

    # The comment answered left the page (taken down, withdrawn) while the reader wrote.
    parent_lost = False

    def forget_parent(self) -> None:
        """The form comes back as a new comment's, the text kept: still answering the gone
        comment, every later send would fail the same way, and the reader could never post."""
        self.data = self.data.copy()
        self.data["parent"] = ""
        self.parent_lost = True

    @property
    def min_seconds(self) -> float:
        """How soon after its start time the form may be sent (comments.js waits it out)."""
        return settings.COMMENTS_MIN_FORM_SECONDS

    # Off for the form a press without a CSRF token sent (comments.csrf_views): nothing is sent
    # then, and the form comes back with a start time (kept if it carried a good one, else new)
    # that the next press is checked against.
    checks_start_time = True

    def clean(self):
        cleaned = super().clean()
        if not self.checks_start_time:
            return cleaned
        age = form_age(self.data.get("started", ""), self.article.pk)
        if age is None or age > settings.COMMENTS_MAX_FORM_AGE_SECONDS:
            raise ValidationError(TOO_OLD, code="too_old")
        if age < settings.COMMENTS_MIN_FORM_SECONDS:
            raise ValidationError(TOO_FAST, code="too_fast")
        return cleaned


class CommentEditForm(forms.Form):
    """The author's new words, from their status page."""

    body = MultilineTextField(
        label="Your comment",
        max_length=MAX_BODY_LENGTH,
        validators=[no_control_characters],
        # An author who empties the box may mean to take the comment away: say how.
        error_messages={"required": EMPTY_EDIT},
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        help_text=f"Up to {MAX_BODY_LENGTH:,} characters.",
    )
    # The comment's revision when the form was drawn: a second press of Save (a double click
    # without JavaScript) finds its words saved since, and is told so, not "Nothing changed".
    revision = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class PrivacyRequestForm(forms.Form):
    email = forms.EmailField(
        label="Your e-mail address",
        validators=[no_control_characters],
        error_messages={"invalid": NOT_AN_ADDRESS},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="The one you commented with. We mail the link there, so only you can use it.",
    )
