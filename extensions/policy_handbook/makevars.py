"""The Makefile's variables, read from the environment: ``python -m policy_handbook.makevars TARGET``.

A make variable is text a user types or pastes (a file name, a municipality's name from a
PDF, a branch name). Written into a recipe, make expands it (``$(shell …)``) and then a shell
parses it (quotes, ``$(…)``, backquotes, ``;``): either can run it. So the Makefile never writes
one into a recipe. It hands each to this module unexpanded, as an environment variable set
with ``$(value NAME)``, and this module turns it into arguments, ``--name=VALUE`` (a value
starting with ``-`` stays a value) or after ``--``, and runs the command without a shell:

* ``import``: SRC, ID, MUNICIPALITY, PREFECTURE, FORCE → ``policy_handbook import``;
* ``align``: ID → ``policy_handbook align``;
* ``sphinx ARGS…``: SPHINXOPTS, split as a shell would split words (``shlex``, nothing
  evaluated), then ARGS → ``python -m sphinx`` (exec'd: the publisher's signals reach it).

(``diff`` reads DOC and REV itself: policy_handbook/revision.py.) No Sphinx import.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping

from .characters import sanitise

ALIGN_ID = "POLICY_ALIGN_ID"
SPHINXOPTS = "POLICY_SPHINXOPTS"

IMPORT_USAGE = "usage: make import SRC=path/to/guideline.pdf ID=kurume [MUNICIPALITY=… PREFECTURE=… FORCE=1]"
ALIGN_USAGE = "usage: make align ID=kurume"
_YES = ("1", "yes", "true")
_NO = ("", "0", "no", "false")


class MakeVariableError(Exception):
    """A make variable that cannot mean anything: the message says which and why."""


def flag(name: str, value: str | None) -> bool:
    """A yes/no variable: 1/yes/true is yes; unset, empty, 0/no/false is no; anything else is refused."""
    text = (value or "").strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise MakeVariableError(f"{name}={value!r}: use {name}=1 (or yes, true), or leave it out")


def import_arguments(environ: Mapping[str, str]) -> list[str]:
    """``policy_handbook import``'s arguments from SRC, ID, MUNICIPALITY, PREFECTURE and FORCE."""
    source, document_id = environ.get("POLICY_IMPORT_SRC", ""), environ.get("POLICY_IMPORT_ID", "")
    if not source or not document_id:
        raise MakeVariableError(IMPORT_USAGE)
    arguments = [f"--id={document_id}"]
    for variable, option in (("POLICY_IMPORT_MUNICIPALITY", "--municipality"), ("POLICY_IMPORT_PREFECTURE", "--prefecture")):
        if environ.get(variable):
            arguments.append(f"{option}={environ[variable]}")
    if flag("FORCE", environ.get("POLICY_IMPORT_FORCE")):
        arguments.append("--force")
    return [*arguments, "--", source]


def align_arguments(environ: Mapping[str, str]) -> list[str]:
    """``policy_handbook align``'s arguments from ID."""
    document_id = environ.get(ALIGN_ID, "")
    if not document_id:
        raise MakeVariableError(ALIGN_USAGE)
    return ["--", document_id]


def sphinx_options(environ: Mapping[str, str]) -> list[str]:
    """SPHINXOPTS as words: quotes group, nothing is evaluated (no ``$``, backquote or glob)."""
    try:
        return shlex.split(environ.get(SPHINXOPTS, ""))
    except ValueError as exc:  # an unclosed quote
        raise MakeVariableError(f"SPHINXOPTS={environ.get(SPHINXOPTS)!r}: {exc}") from None


def sphinx_command(rest: list[str], environ: Mapping[str, str]) -> list[str]:
    """The sphinx-build that ``makevars sphinx REST`` runs: SPHINXOPTS first, then REST."""
    return [sys.executable, "-m", "sphinx", *sphinx_options(environ), *rest]


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    environ = os.environ if environ is None else environ
    target, rest = (argv[0], argv[1:]) if argv else ("", [])
    try:
        if target == "import":
            from .cli import main as cli_main

            return cli_main(["import", *import_arguments(environ)])
        if target == "align":
            from .cli import main as cli_main

            return cli_main(["align", *align_arguments(environ)])
        if target == "sphinx":
            command = sphinx_command(rest, environ)
            sys.stdout.flush()
            os.execv(sys.executable, command)
    except MakeVariableError as exc:
        print(sanitise(f"make {target}: {exc}"), file=sys.stderr)
        return 2
    print("usage: python -m policy_handbook.makevars import|align|sphinx [SPHINX ARGS…]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
