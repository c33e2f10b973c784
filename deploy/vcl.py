"""The VCL Varnish runs: deploy/newsportal.vcl.in with the parts it includes (deploy/vcl/) put
in place and the values config() made filled in, as one file (`serve.py --print-vcl`)."""

import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

VCL_TEMPLATE = Path(__file__).resolve().parent / "newsportal.vcl.in"


def vcl_source() -> str:
    """The template with each `include "vcl/<part>.vcl.in";` line replaced by that part: one
    file, so the reload's VCL (another backend port) is written whole as the first was, and
    --print-vcl and `varnishadm vcl.show` show all of it."""

    def part(match: re.Match) -> str:
        path = (VCL_TEMPLATE.parent / match[1]).resolve()
        if path.parent != VCL_TEMPLATE.parent / "vcl" or not path.is_file():
            raise ImproperlyConfigured(f"{VCL_TEMPLATE.name} includes no part {match[1]!r}")
        return f"# --- deploy/vcl/{path.name} ---\n{path.read_text()}# --- end of {path.name} ---"

    return re.sub(r'^include "([^"]+)";$', part, VCL_TEMPLATE.read_text(), flags=re.M)


def render_vcl(values: dict) -> str:
    text = vcl_source()
    for name, value in values.items():
        text = text.replace(f"@@{name}@@", value)
    leftover = re.findall(r"@@[A-Z_]+@@", text)
    if leftover:
        raise ImproperlyConfigured(f"{VCL_TEMPLATE.name} names unknown values: {leftover}")
    return text
