"""`version-alias lint TEMPLATE...`: render the template, then cfn-lint it with our rules.

Plain cfn-lint cannot see the resources the macro creates, so `!Ref FnAliaslive` in a
template gets E1020/E6101. Linting the rendered template avoids that and adds W9350
(invocation sites that still run `$LATEST`). cfn-lint's rules are loaded once per run.

Exit codes are cfn-lint's, so that CI can gate the same way: bit 2 an error (a template
that cannot be read or rendered counts as one, as cfn-lint's E0000), 4 a warning, 8 an
informational match, OR-ed together; `--non-zero-exit-code error` counts only errors.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any

from ..support.common import EXIT_USAGE, add_context_arguments, error, settings_from, warn
from ..support.many import NotATemplate, load_all, skip_note
from ..support.parameters import ParameterError
from ..support.pipeline import TEMPLATE_ERRORS
from ..support.progress import Progress
from .lint_run import Outcome, lint_all

SEVERITY_BITS = {"error": 2, "warning": 4, "informational": 8}
EXIT_LEVELS = {
    "informational": ("informational", "warning", "error"),
    "warning": ("warning", "error"),
    "error": ("error",),
    "none": (),
}
_RULE_ID = re.compile(r"[A-Z][0-9]{0,5}")
EPILOG = (
    "exit codes (as cfn-lint's, OR-ed): 0 clean, 2 an error (or a template that cannot be "
    "read or rendered), 4 a warning, 8 an informational match; 2 is also a usage error"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "templates", nargs="*", metavar="TEMPLATE", help="template files, or - for stdin"
    )
    add_context_arguments(parser)
    parser.add_argument(
        "--ignore-checks",
        nargs="+",
        default=[],
        metavar="RULE",
        help="cfn-lint rule IDs (or prefixes such as E1) to skip, as cfn-lint "
        "--ignore-checks; a template after them is still a template",
    )
    parser.add_argument(
        "--non-zero-exit-code",
        choices=tuple(EXIT_LEVELS),
        default="informational",
        help="the least severe match that makes the exit code non-zero (as cfn-lint's)",
    )
    parser.add_argument(
        "--skip-non-templates",
        action="store_true",
        help="skip files without a Resources section (samconfig, workflows) with a note "
        "instead of failing on them; the pre-commit hooks pass it",
    )


def split_rule_ids(args: argparse.Namespace) -> list[str]:
    """`--ignore-checks E1 W2 t.yaml` takes the templates that follow the rule IDs back."""
    rules = [item for item in args.ignore_checks if _RULE_ID.fullmatch(item)]
    templates = [item for item in args.ignore_checks if not _RULE_ID.fullmatch(item)]
    args.ignore_checks = rules
    return [*args.templates, *templates]


def run(args: argparse.Namespace) -> int:
    names = split_rule_ids(args)
    if not names:
        error("lint: give at least one TEMPLATE")
        return EXIT_USAGE
    settings = settings_from(args)
    try:
        loaded, values = load_all(names, settings)
    except ParameterError as problem:
        error(str(problem))
        return EXIT_USAGE
    levels = EXIT_LEVELS[args.non_zero_exit_code]
    status = 0
    progress = Progress(len(loaded))
    jobs: list[tuple[str, dict[str, Any]]] = []
    for name, template, problem in loaded:
        try:
            if problem is not None:
                raise problem
            if not skip_note(name, template, args.skip_non_templates):
                jobs.append((name, template))
                continue
            progress.done(name, "skipped (no Resources)", "skipped")
        except (*TEMPLATE_ERRORS, NotATemplate) as failure:
            error(str(failure))
            status |= SEVERITY_BITS["error"] if "error" in levels else 0
            progress.done(name, "could not be read", "unreadable")
    for outcome in lint_all(jobs, settings, values, args.ignore_checks) if jobs else ():
        status |= _report(outcome, levels, progress)
    progress.finish()
    return status


def _report(outcome: Outcome, levels: tuple[str, ...], progress: Progress) -> int:
    """Print one template's results; its exit bits."""
    if outcome.error is not None:
        error(outcome.error)
        progress.done(outcome.name, "could not be rendered", "unreadable", outcome.seconds)
        return SEVERITY_BITS["error"] if "error" in levels else 0
    for message in outcome.warnings:
        warn(f"{outcome.name}: {message}")
    sys.stdout.write(outcome.out)
    sys.stdout.flush()
    severities = outcome.severities
    kind = "with matches" if severities else "clean"
    progress.done(outcome.name, _outcome(severities), kind, outcome.seconds)
    bits = 0
    for severity in severities:
        if severity in levels:
            bits |= SEVERITY_BITS.get(severity, 0)
    return bits


def _outcome(severities: list[Any]) -> str:
    return f"{len(severities)} match(es)" if severities else "clean"
