"""What log lines must not keep: readers' e-mail addresses, the row values a database error
quotes, and the secret links mailed to commenters (a status link edits or deletes a comment, a
privacy link erases every comment written with an address: whoever reads the logs must not get
those powers). Plain Python, so gunicorn's access log (gunicorn.conf.py) uses it too."""

import re

# Whatever Django's EmailValidator takes: every character a local part may hold (o'brien,
# jane&john, a/b), "user@localhost", punycode and Unicode domains (a little too much redacted
# is better than one address written down), quoted local parts ("ann smith"@...) too. A quote
# may not start an unquoted one: "['ed@x.example']".
_LOCAL = r"(?:\"[^\"\n]*\"|[\w.!#$%&*+/=?^`{|}~-][\w.!#$%&'*+/=?^`{|}~-]*)"
_DOMAIN = r"(?:[\w-]+(?:\.[\w-]+)*|\[[0-9A-Fa-f:.]+\])"  # or an address literal, [192.0.2.1]
_EMAIL = re.compile(_LOCAL + "@" + _DOMAIN)
EMAIL_PLACEHOLDER = "[email redacted]"
# PostgreSQL's DETAIL line quotes the row or key values ("Failing row contains (...)", "Key
# (email)=(...)"): a reader's name, address and words.
_DB_DETAIL = re.compile(r"^(\s*DETAIL:).*$", re.MULTILINE)
DETAIL_PLACEHOLDER = r"\1 [values redacted]"
# comments/urls.py: every path whose next segment is a signed token.
_SECRET_LINK = re.compile(
    r"(/comments/(?:status|privacy|confirm|confirm-comment|unsubscribe|stop-mail)/)[^/\s\"'?#]+"
)
LINK_PLACEHOLDER = r"\1[link redacted]"


def redact_links(text: str) -> str:
    return _SECRET_LINK.sub(LINK_PLACEHOLDER, text)


def redact(text: str) -> str:
    text = _DB_DETAIL.sub(DETAIL_PLACEHOLDER, _EMAIL.sub(EMAIL_PLACEHOLDER, text))
    return redact_links(text)
