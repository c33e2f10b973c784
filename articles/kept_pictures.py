"""A hero picture chosen in an article's form that comes back with other errors (no headline, a
related link refused) is kept for the next save. A browser cannot show a chosen file again, so
the editor who fixed the headline and saved sent the story out without its picture, or had to
find the file again on a deadline. The checked upload (articles.images: metadata stripped) is
stored under a temporary random name, and the form carries a signed reference to it in a hidden
field and says "Picture kept: <name>". Saved, the story's picture is stored from it as an upload
is, and the temporary file goes; one the editor never saves is swept once it is past KEPT_FOR,
by `manage.py prune_kept_pictures` (hourly from cron: README's "Scheduled jobs").
"""

import logging
import secrets
from datetime import timedelta

from django.contrib.admin.widgets import AdminFileWidget
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html

from articles.picture_field import CheckedImageField
from newsportal.views import PRIVATE_MEDIA_FOLDER

logger = logging.getLogger(__name__)

KEPT_FOLDER = PRIVATE_MEDIA_FOLDER  # in the media storage, never served under MEDIA_URL
# Long enough for a form left open overnight; the sweep removes older ones.
KEPT_FOR = timedelta(days=2)
_SALT = "articles.kept_pictures"


class LostPicture:
    """A kept picture that cannot be used any more: the field says why, rather than saving the
    story without the picture the form said was kept."""

    def __init__(self, shown: str, why: str):
        self.message = f"The picture kept for you ({shown}) {why}"


EXPIRED = (
    f"is no longer kept (pictures are kept for {KEPT_FOR.days} days): choose it again before "
    "you save."
)
# Gone while its reference is still good: only a save deletes such a copy (the sweep takes
# older ones), so this is the form posted again, from the browser's Back.
USED = (
    "was already used by an earlier save of this form, which stored it with the story: save "
    "again to leave the story's picture as it is, or choose a file to replace it."
)
UNREADABLE = "could not be read from the media storage: choose it again before you save."


def keep(upload: UploadedFile) -> dict | None:
    """Store a checked upload until the form is saved: {token, shown}. None when the storage
    refuses (the form then asks for the picture again)."""
    if getattr(upload, "kept_token", None):  # kept before: the same file, the same time limit
        return {"token": upload.kept_token, "shown": upload.name}
    try:
        upload.seek(0)
        name = f"{KEPT_FOLDER}/{secrets.token_hex(9)}-{upload.name}"  # unguessable, as heroes'
        stored = default_storage.save(name, File(upload))
    except Exception as exc:  # any storage's own errors too (object storage's are no OSError)
        logger.warning("could not keep a picture for a form: %s: %s", type(exc).__name__, exc)
        return None
    token = signing.dumps({"name": stored, "shown": upload.name}, salt=_SALT)
    return {"token": token, "shown": upload.name}


def kept_upload(token: str) -> UploadedFile | LostPicture | None:
    """The upload a form's signed reference names, as it was chosen, or why it cannot be had."""
    try:
        kept = signing.loads(token, salt=_SALT, max_age=KEPT_FOR)
    except signing.SignatureExpired:
        return LostPicture(signing.loads(token, salt=_SALT)["shown"], EXPIRED)
    except signing.BadSignature:
        return None  # not ours: as if no picture was posted
    try:
        with default_storage.open(kept["name"], "rb") as stored:
            content = stored.read()
    except Exception as exc:
        logger.info("kept picture %s unreadable: %s", kept["name"], exc)
        return LostPicture(kept["shown"], UNREADABLE if _still_there(kept["name"]) else USED)
    upload = SimpleUploadedFile(kept["shown"], content)
    upload.kept_token, upload.kept_name = token, kept["name"]
    return upload


def _still_there(name: str) -> bool:
    try:
        return default_storage.exists(name)
    except Exception:  # the storage is away: not known to be gone
        return True


def forget_on_commit(upload) -> None:
    """The story's own copy is stored: the temporary one goes once the save is in."""
    name = getattr(upload, "kept_name", None)
    if name:
        transaction.on_commit(lambda: _delete(name))


def _delete(name: str) -> None:
    try:
        default_storage.delete(name)
    except Exception as exc:
        logger.warning("could not delete %s: %s", name, exc)


def sweep() -> int:
    """Delete the kept pictures whose forms were never saved (the editor left, or chose
    another), once past KEPT_FOR: how many went. Run by cron, not by the forms: on a quiet site
    no form comes to do it, and on object storage a look at every copy would slow the form."""
    # An hour's slack: a copy is stored just before its reference is signed.
    cutoff = timezone.now() - KEPT_FOR - timedelta(hours=1)
    try:
        names = default_storage.listdir(KEPT_FOLDER)[1]
    except FileNotFoundError:  # nothing was ever kept
        return 0
    # A storage's error is raised, not logged: the run is not recorded, and the site says so.
    swept = 0
    for name in names:
        path = f"{KEPT_FOLDER}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            swept += 1
    return swept


class KeepingImageInput(AdminFileWidget):
    """The admin's file input, plus the picture kept from the last post, if any."""

    kept: dict | None = None  # {token, shown}, set when the form comes back (ArticleAdmin)
    # (token, what it gave): each field access asks again (cleaning, changed_data, the admin's
    # log), and the picture may be 30 MB. Each form has its own copy of the widget.
    _read: tuple | None = None

    def value_from_datadict(self, data, files, name):
        upload = super().value_from_datadict(data, files, name)
        token = data.get(f"{name}_kept")
        if upload is None and token and not data.get(f"{name}_kept_drop"):
            if self._read is None or self._read[0] != token:
                self._read = (token, kept_upload(token))
            kept = self._read[1]
            if hasattr(kept, "seek"):
                kept.seek(0)  # as if read for the first time
            return kept
        return upload  # a file chosen now replaces the kept one

    def value_omitted_from_data(self, data, files, name):
        omitted = super().value_omitted_from_data(data, files, name)
        return omitted and f"{name}_kept" not in data

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.kept:
            return html
        return html + format_html(
            '<p class="kept-picture"><strong>Picture kept: {}</strong> (it is saved with the '
            "story; choose another file to replace it). "
            '<input type="hidden" name="{}_kept" value="{}">'
            '<label><input type="checkbox" name="{}_kept_drop"> Do not use it</label></p>',
            self.kept["shown"],
            name,
            self.kept["token"],
            name,
        )


class KeepingImageField(CheckedImageField):
    widget = KeepingImageInput

    def to_python(self, data):
        if isinstance(data, LostPicture):
            raise ValidationError(data.message)
        if getattr(data, "kept_token", None):
            # Checked and stripped of its metadata when it was chosen: encoded again, a JPEG
            # would lose a little more for nothing.
            return super(CheckedImageField, self).to_python(data)
        return super().to_python(data)
