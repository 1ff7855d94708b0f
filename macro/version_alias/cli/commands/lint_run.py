"""cfn-lint on rendered templates: rules loaded once, templates linted in parallel.

cfn-lint's `api.lint` builds a new Runner, and so loads every rule module again, for each
template. `Linter` loads the rules (cfn-lint's and W9350) once and lints each rendered
template with them. Over several templates, `lint_all` renders and lints them in forked
worker processes (one per CPU): cfn-lint's rules take most of the time and run on one
core, so a run over a repository's templates would otherwise leave the others idle.
Results come back in the order of the arguments, each with its own printed matches.
Matches are printed as cfn-lint's default formatter does, with the position mapped back
to the file the user wrote (source_lines.py), except those that exist only because
rendering (SAM or the macro) consumed a parameter, condition or mapping that file uses
(lint_consumed.py).
"""

from __future__ import annotations

import gc
import io
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from ...errors import format_path
from ..support.common import Settings
from ..support.hash_warnings import function_warnings
from ..support.pipeline import TEMPLATE_ERRORS, render_file
from ..support.template_io import dump_template
from .lint_consumed import without_consumed
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
        # cfn-lint's rules and schemas live as long as the process: take them (and every
        # module loaded so far) out of the cyclic collector's work, as `main` did for the
        # CLI's own modules. Without it, each collection walks them all again: rule
        # loading alone took 40% longer than in cfn-lint's own CLI.
        gc.freeze()

    def lint(
        self,
        name: str,
        rendered: dict[str, Any],
        out: TextIO,
        source: dict[str, Any] | None = None,
    ) -> list[str]:
        """Print the matches of one rendered template; their severities. With `source`
        (the template as the user wrote it), findings that exist only because rendering
        consumed a parameter, condition or mapping it uses are left out (lint_consumed.py)."""
        matches = self.matches(rendered)
        matches = without_consumed(matches, source, rendered, self.matches)
        marked = load_marked(Path(name)) if name != "-" and matches else None
        for match in matches:
            where = where_in_source(name, match, marked, rendered)
            out.write(f"{match.rule.id} {match.message}\n{where}\n\n")
        return [match.rule.severity for match in matches]

    def matches(self, template: dict[str, Any]) -> list[Any]:
        """cfn-lint's matches on a template, decoded as cfn-lint decodes a file."""
        from cfnlint.decode.decode import decode_str
        from cfnlint.runner.template.runner import run_template_by_data

        decoded, matches = decode_str(dump_template(template, "yaml"))
        if matches:
            return list(matches)
        return list(run_template_by_data(decoded, self.config, self.rules))


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


@dataclass
class Outcome:
    """One template's lint: what to print, and the severities of its matches."""

    name: str
    out: str = ""
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # the template could not be rendered
    severities: list[str] = field(default_factory=list)
    seconds: float = 0.0


_LINTER: Linter | None = None  # the parent's, inherited by forked workers


def lint_one(
    job: tuple[str, dict[str, Any]], settings: Settings, values: dict[str, str]
) -> Outcome:
    """Render and lint one template (in a worker, or in the parent for a single one)."""
    name, template = job
    started = time.perf_counter()
    outcome = Outcome(name)
    try:
        context = settings.context(template, name, values, strict=False)
        path = None if name == "-" else Path(name)
        rendered = render_file(path, context, settings.options, template)
    except TEMPLATE_ERRORS as failure:
        outcome.error = str(failure)
    else:
        outcome.warnings = [*rendered.warnings, *function_warnings(rendered.pre_macro, context)]
        printed = io.StringIO()
        assert _LINTER is not None
        outcome.severities = _LINTER.lint(name, rendered.template, printed, template)
        outcome.out = printed.getvalue()
    outcome.seconds = time.perf_counter() - started
    return outcome


def lint_all(
    jobs: Sequence[tuple[str, dict[str, Any]]],
    settings: Settings,
    values: dict[str, str],
    ignore_checks: list[str],
) -> Iterator[Outcome]:
    """Outcomes in the order of `jobs`; in parallel when there are several and fork is
    available (the workers inherit the loaded rules instead of loading them again)."""
    global _LINTER
    _LINTER = Linter(settings.region, ignore_checks)
    task = partial(lint_one, settings=settings, values=values)
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers < 2 or not hasattr(os, "fork"):
        yield from map(task, jobs)
        return
    import multiprocessing  # only for several templates
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(task, jobs)
