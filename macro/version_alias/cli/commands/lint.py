"""`version-alias lint TEMPLATE...`: render the template, then cfn-lint it with our rules.

Plain cfn-lint cannot see the resources the macro creates, so `!Ref FnAliaslive` in a
template gets E1020/E6101. Linting the rendered template avoids that and adds W9350
(invocation sites that still run `$LATEST`). Exit codes: 0 clean, 1 any cfn-lint match
or a template that cannot be rendered, 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ...errors import format_path
from ..support.common import (
    EXIT_OK,
    EXIT_TEMPLATE,
    add_context_arguments,
    context_from,
    error,
    path_argument,
    warn,
)
from ..support.pipeline import TEMPLATE_ERRORS, render_file
from ..support.template_io import dump_template
from .source_lines import load_marked, position

RULES_DIR = Path(__file__).resolve().parents[2] / "lint_rules"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("templates", nargs="+", metavar="TEMPLATE", help="template files")
    add_context_arguments(parser)
    parser.add_argument(
        "--ignore-checks",
        nargs="+",
        default=[],
        metavar="RULE",
        help="cfn-lint rule IDs to skip (as cfn-lint --ignore-checks)",
    )


def run(args: argparse.Namespace) -> int:
    context = context_from(args)
    status = EXIT_OK
    for name in args.templates:
        try:
            rendered = render_file(path_argument(name), context, args.allow_missing_artifacts)
        except TEMPLATE_ERRORS as problem:
            error(str(problem))
            status = EXIT_TEMPLATE
            continue
        for message in rendered.warnings:
            warn(f"{name}: {message}")
        source = load_marked(Path(name)) if name != "-" else None
        template = rendered.template
        if _lint(name, dump_template(template, "yaml"), args, source, template):
            status = EXIT_TEMPLATE
    return status


def _lint(name: str, text: str, args: argparse.Namespace, source: Any, rendered: Any = None) -> int:
    """Print cfn-lint's matches for the rendered text; the number of matches."""
    from cfnlint.api import ManualArgs, lint  # slow to import: only when linting

    config = ManualArgs(
        append_rules=[str(RULES_DIR)],
        regions=[args.region],
        ignore_checks=list(args.ignore_checks),
    )
    matches = lint(text, config=config)
    for match in matches:
        where = _where(name, match, source, rendered)
        sys.stdout.write(f"{match.rule.id} {match.message}\n{where}\n\n")
    return len(matches)


def _where(name: str, match: Any, source: Any, rendered: Any = None) -> str:
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
