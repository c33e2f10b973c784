"""Reading response headers the way a browser does."""


def csp_directives(response):
    """The Content-Security-Policy as {directive: sources}; django-csp writes them in no fixed
    order, so tests compare them by name, never by position in the header."""
    header = response["Content-Security-Policy"]
    return {
        name: " ".join(values)
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }
