"""cfn-lint on a rendered template, with its rules loaded once for a whole `lint` run.

cfn-lint's `api.lint` builds a new Runner, and so loads every rule module again, for each
template; a run over many templates spends most of its time there. `Linter` loads the
rules (cfn-lint's and W9350) once and lints each rendered template with them. Matches are
printed as cfn-lint's default formatter does, with the position mapped back to the file
the user wrote (source_lines.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO

from ...errors import format_path
from ..support.template_io import dump_template
from .source_lines import load_marked, position

RULES_DIR = Path(__file__).resolve().parents[2] / "lint_rules"


class Linter:
    """cfn-lint with W9350 for one region; `lint` prints one template's matches."""

    def __init__(self, region: str, ignore_checks: list[str]) -> None:
        from cfnlint.api import ManualArgs  # slow to import: only when linting
        from cfnlint.config import ConfigMixIn
        from cfnlint.runner import Runner

        self.config = ConfigMixIn(
            **ManualArgs(
                append_rules=[str(RULES_DIR)],
                regions=[region],
                ignore_checks=list(ignore_checks),
            )
        )
        self.rules = Runner(self.config).rules

    def lint(self, name: str, rendered: dict[str, Any], out: TextIO) -> list[str]:
        """Print the matches of one rendered template; their severities."""
        from cfnlint.decode.decode import decode_str
        from cfnlint.runner.template.runner import run_template_by_data

        decoded, matches = decode_str(dump_template(rendered, "yaml"))
        if not matches:
            matches = list(run_template_by_data(decoded, self.config, self.rules))
        source = load_marked(Path(name)) if name != "-" and matches else None
        for match in matches:
            where = where_in_source(name, match, source, rendered)
            out.write(f"{match.rule.id} {match.message}\n{where}\n\n")
        return [match.rule.severity for match in matches]


def where_in_source(name: str, match: Any, source: Any, rendered: Any = None) -> str:
    """`file:line:column` in the source where the path exists there; the nearest ancestor
    the source has for generated resources; the rendered line when neither exists (stdin,
    or a resource SAM generated)."""
    fallback = f"{name} (rendered):{match.linenumber}:{match.columnnumber}"
    path = getattr(match, "path", None) or ()
    found = position(source, path, rendered) if source is not None else None
    if found is None or len(found.found) < 2:  # not even the resource is in the source
        return fallback
    where = f"{name}:{found.line}:{found.column}"
    if found.exact:
        return where
    return f"{where} (generated inside {format_path(found.found)}; {fallback})"
