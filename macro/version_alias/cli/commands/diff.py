"""`version-alias diff OLD NEW`: which functions a deploy will publish a new version of, and why.

Both templates go through the same pipeline as `render` (SAM first when asked). OLD may
be a git revision such as `HEAD:template.yaml`; its folder is taken from that revision, and
both sides hash the same set of code files (artifacts.py). Parameter values: `-p` and
`--parameters` apply to both sides, `--old-param`/`--new-param` to one. Exit 0, or with
`--exit-code` 1 when any function publishes a new version (errors: 1 for a template
problem, 2 for usage).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from ...errors import TransformError
from ..support.common import (
    EXIT_OK,
    EXIT_TEMPLATE,
    EXIT_USAGE,
    Settings,
    add_context_arguments,
    error,
    parameter_pair,
    settings_from,
    warn,
)
from ..support.git_source import GitSourceError, checked_out, is_revision_spec
from ..support.notes import moved_urls, url_note
from ..support.parameters import ParameterError, declared_parameters, unknown_key_message
from ..support.pipeline import TEMPLATE_ERRORS, Rendered, RenderOptions, not_listed, render_file
from ..support.template_io import load_template
from .diff_format import as_json, as_text
from .diff_report import compare

EXIT_NEW_VERSION = 1
EPILOG = (
    "exit codes: 0 done (with --exit-code: no function publishes a new version), "
    "1 a new version is published (with --exit-code) or a template cannot be read, 2 usage"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "old", help="the deployed template: a file, a git REVISION:PATH, or - for stdin"
    )
    parser.add_argument(
        "new", help="the template to deploy: a file, a git REVISION:PATH, or - for stdin"
    )
    add_context_arguments(parser)
    for side in ("old", "new"):
        parser.add_argument(
            f"--{side}-param",
            action="append",
            default=[],
            type=parameter_pair,
            metavar="KEY=VALUE",
            help=f"a parameter value for {side.upper()} only (repeatable; wins over -p)",
        )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--exit-code",
        action="store_true",
        help="exit 1 when any function will publish a new version",
    )


@contextmanager
def _located(argument: str) -> Iterator[tuple[Path | None, bool]]:
    """The template's path (None for stdin), and whether it comes from a git revision."""
    if is_revision_spec(argument):
        with checked_out(argument) as path:
            yield path, True
    else:
        yield (None if argument == "-" else Path(argument)), False


def check_keys(
    shared: dict[str, str],
    sides: list[tuple[str, dict[str, Any], list[tuple[str, str]]]],
) -> None:
    """Raise ParameterError for a `-p` key that neither side declares, or a side's own
    key (`--old-param`) that its side does not declare."""
    declared = [set(declared_parameters(template)) for _, template, _ in sides]
    for (argument, _, own), names in zip(sides, declared, strict=True):
        unknown = [key for key, _ in own if key not in names]
        if unknown:
            raise ParameterError(unknown_key_message(unknown, sorted(names), argument))
    both = set().union(*declared)
    unknown = [key for key in shared if key not in both]
    if unknown:
        where = f"{sides[0][0]} and {sides[1][0]}"
        raise ParameterError(unknown_key_message(unknown, sorted(both), where, "they declare"))


def run(args: argparse.Namespace) -> int:
    if args.old == "-" and args.new == "-":
        error("only one of OLD and NEW can be read from stdin")
        return EXIT_USAGE
    settings = settings_from(args)
    try:
        with _located(args.old) as (old_path, old_git), _located(args.new) as (new_path, _):
            shared = settings.parameters.values()
            old_template = load_template(str(old_path) if old_path else "-")
            new_template = load_template(str(new_path) if new_path else "-")
            check_keys(
                shared,
                [
                    (args.old, old_template, args.old_param),
                    (args.new, new_template, args.new_param),
                ],
            )
            old_context = settings.context(
                old_template, args.old, {**shared, **dict(args.old_param)}, strict=False
            )
            context = settings.context(
                new_template, args.new, {**shared, **dict(args.new_param)}, strict=False
            )
            old = render_file(old_path, old_context, _options(settings, old_git), old_template)
            new = render_file(new_path, context, settings.options, new_template)
        versioned = old.macro_declared or not new.macro_declared
        diffs = compare(old.pre_macro, new.pre_macro, context, old_context, versioned)
    except ParameterError as problem:
        error(str(problem))
        return EXIT_USAGE
    except (*TEMPLATE_ERRORS, GitSourceError, TransformError) as problem:
        error(str(problem))
        return EXIT_TEMPLATE
    # The core's notes say what deploying NEW does (a version taken over, ...): on stderr,
    # as `render` prints them; NEW's alone, since OLD is deployed already.
    for note in new.notes:
        warn(str(note))
    skipped = {str(note) for note in (*old.notes, *new.notes)}
    old_warnings = _drop_url_note(old)
    if not versioned:
        # NEW adds the macro: OLD is what runs now, with its own versions.
        macro = settings.options.macro_name
        skipped.add(not_listed(macro))
        old_warnings = [_without_macro(macro), *old_warnings]
    warnings = [
        message
        for message in dict.fromkeys([*old_warnings, *_drop_url_note(new)])
        if message not in skipped
    ]
    replaced = [url for url in new.moved_urls if url in moved_urls(old.deployed, new.deployed)]
    if replaced:
        warnings.append(url_note(replaced))
    text = as_json(diffs, warnings) if args.format == "json" else as_text(diffs, warnings)
    print(text, end="")
    if args.exit_code and any(diff.publishes for diff in diffs):
        return EXIT_NEW_VERSION
    return EXIT_OK


def _without_macro(macro: str) -> str:
    return (
        f"OLD does not list {macro} in Transform, NEW does: OLD is compared as deployed, with "
        f"its own versions, so each function {macro} versions publishes one new version."
    )


def _options(settings: Settings, from_git: bool) -> RenderOptions:
    """A revision's folder holds only tracked files: nothing there for git to ignore."""
    if not from_git:
        return settings.options
    artifacts = replace(settings.options.artifacts, git_ignores=False)
    return replace(settings.options, artifacts=artifacts)


def _drop_url_note(rendered: Rendered) -> list[str]:
    """A side's warnings without its function URL note: whether a deploy replaces a URL
    depends on what OLD deployed (see run)."""
    note = url_note(rendered.moved_urls) if rendered.moved_urls else None
    return [message for message in rendered.warnings if message != note]
