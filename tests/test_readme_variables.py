"""An operator configures the site from README's variable tables alone (README.md's
"Environment variables" and "Variables for development...", deploy/README.md's "Tunables"). A
variable the code reads that no table names is a setting nobody can find; a row whose variable
nothing reads any more is a setting that silently does nothing; a default written wrong is a
limit the operator did not choose. The code's reads are found where they are written: calls of
newsportal/env.py's readers (and serve.py's) and of os.environ.get, with the name as a literal."""

import ast
import re
from pathlib import Path

import pytest

from deploy.reload_config import CHILDREN_FIXED, RESTART_ONLY_VARIABLES

ROOT = Path(__file__).resolve().parent.parent
TABLES = {
    "README.md": ("### Environment variables", "### Variables for development"),
    "deploy/README.md": ("## Tunables",),
}
# What the site, the proxy and gunicorn read when they run (not the tests or the benchmark).
RUNNING_CODE = ("newsportal", "articles", "comments", "deploy")
# Set by serve.py for the processes it starts, never by the operator (deploy/README.md says so).
HANDED_DOWN = {"GUNICORN_BIND"}
# Where the development table's variables are read: the tests, the benchmark, make and CI.
DEVELOPMENT = ("tests", "bench", "Makefile", ".ci")
VARIABLE = r"[A-Z][A-Z0-9_]+"


def table_rows() -> dict[str, str]:
    """Each documented variable and its Default cell, from every table named above."""
    rows = {}
    for doc, headings in TABLES.items():
        text = (ROOT / doc).read_text()
        for heading in headings:
            assert heading in text, f"{doc} lost its section {heading!r}"
            section = text.split(heading, 1)[1].split("\n#", 1)[0]
            for line in section.splitlines():
                cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
                if len(cells) < 3 or not cells[0].startswith("`"):
                    continue
                names = re.findall(rf"`({VARIABLE})`", cells[0])
                # "`A` / `B` | `1` / `2`": each name takes its own default.
                defaults = cells[1].split(" / ")
                for i, name in enumerate(names):
                    rows[name] = defaults[i] if len(defaults) == len(names) else cells[1]
    return rows


def python_files(*places: str):
    for place in places:
        path = ROOT / place
        if path.is_file():
            yield path
        else:
            yield from (p for p in path.rglob("*.py") if "migrations" not in p.parts)


def env_reads(*places: str) -> dict[str, list[ast.Call]]:
    """Each variable name read with a literal, and the calls that read it."""
    reads: dict[str, list[ast.Call]] = {}
    for path in python_files(*places):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and re.fullmatch(VARIABLE, str(first.value))):
                continue
            function = ast.unparse(node.func)
            if function.startswith("env_") or function in ("os.environ.get", "os.getenv"):
                reads.setdefault(first.value, []).append(node)
    return reads


RUNNING_READS = env_reads(*RUNNING_CODE, "gunicorn.conf.py")
ROWS = table_rows()


def test_every_variable_the_site_reads_is_in_a_table():
    undocumented = sorted(set(RUNNING_READS) - set(ROWS) - HANDED_DOWN)
    assert undocumented == [], f"read by the code, in no table of README.md: {undocumented}"


def test_every_variable_in_a_table_is_read():
    development_text = "\n".join(
        path.read_text(errors="replace")
        for place in DEVELOPMENT
        for path in ([ROOT / place] if (ROOT / place).is_file() else (ROOT / place).rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    )
    unread = sorted(
        name
        for name in ROWS
        if name not in RUNNING_READS and not re.search(rf"\b{name}\b", development_text)
    )
    assert unread == [], f"in README.md's tables, read by nothing: {unread}"


def literal_number(node: ast.expr) -> int | None:
    """The default written in the code when it is a number or arithmetic on numbers (2 * 86400);
    None when it is computed from something else (a port, a timeout: the table says so in words)."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult)):
        left, right = literal_number(node.left), literal_number(node.right)
        if left is None or right is None:
            return None
        return {ast.Add: left + right, ast.Sub: left - right, ast.Mult: left * right}[type(node.op)]
    return None


DOCUMENTED_NUMBER = re.compile(r"`(\d+)`( \(.*\))?")
NUMBERED = sorted(
    (name, int(DOCUMENTED_NUMBER.fullmatch(ROWS[name]).group(1)), literal_number(call.args[1]))
    for name, calls in RUNNING_READS.items()
    if name in ROWS and DOCUMENTED_NUMBER.fullmatch(ROWS[name])
    for call in calls
    if ast.unparse(call.func) in ("env_int", "env_port")
    and len(call.args) > 1
    and literal_number(call.args[1]) is not None
)


def test_the_numbered_defaults_are_found():
    # Guards the parsing: most tunables have a plain number for a default.
    assert len(NUMBERED) > 40


@pytest.mark.parametrize(
    ("name", "documented", "in_code"), NUMBERED, ids=[f"{n}-{c}" for n, _, c in NUMBERED]
)
def test_a_numbered_default_in_the_table_is_the_codes(name, documented, in_code):
    assert in_code == documented, f"{name}: README says {documented}, the code {in_code}"


@pytest.mark.parametrize("doc", ["README.md", "deploy/README.md"])
def test_both_readmes_name_every_variable_a_reload_refuses_a_change_of(doc):
    # The operator reads one of the two before an upgrade: a name left out of either is a
    # change they make, and learn of only when make reload refuses it.
    paragraphs = [" ".join(part.split()) for part in (ROOT / doc).read_text().split("\n\n")]
    said = [part for part in paragraphs if "the reload is refused, naming it" in part]
    assert said, f"{doc} no longer says which changes make reload refuses"
    unnamed = [
        name for name in (*RESTART_ONLY_VARIABLES, *CHILDREN_FIXED) if f"`{name}`" not in said[0]
    ]
    assert unnamed == [], f"{doc}: a change takes a restart, unsaid: {unnamed}"
