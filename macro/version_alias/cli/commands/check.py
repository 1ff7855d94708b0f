"""`version-alias check TEMPLATE...`: report invocation sites that still run `$LATEST`.

Each template is checked as CloudFormation will see it: after SAM when it lists
`AWS::Serverless-2016-10-31`, after the macro when it lists the macro (`--macro-name`),
as written otherwise. The check never needs the code behind `CodeUri`, so local paths are
not read. Exit codes: 0 no findings, 1 findings or a template that cannot be read, 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ...invokers.checker import check
from ..support.common import (
    EXIT_OK,
    EXIT_TEMPLATE,
    EXIT_USAGE,
    add_context_arguments,
    error,
    path_argument,
    settings_from,
)
from ..support.many import NotATemplate, load_all, skip_note
from ..support.parameters import ParameterError
from ..support.pipeline import TEMPLATE_ERRORS, render_file, transforms_of
from ..support.progress import Progress
from .check_advice import Advice

EPILOG = (
    "exit codes: 0 no findings, 1 findings or a template that cannot be read or rendered, 2 usage"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "templates", nargs="+", metavar="TEMPLATE", help="template files, or - for stdin"
    )
    add_context_arguments(parser)
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json: a list of findings ({template, location, message}) and of templates "
        "that could not be checked ({template, error})",
    )
    parser.add_argument(
        "--skip-non-templates",
        action="store_true",
        help="skip files without a Resources section (samconfig, workflows) with a note "
        "instead of failing on them; the pre-commit hooks pass it",
    )


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args, read_code=False, as_if_macro=False)
    try:
        loaded, values = load_all(args.templates, settings)
    except ParameterError as problem:
        error(str(problem))
        return EXIT_USAGE
    status = EXIT_OK
    report: list[dict[str, str]] = []
    advice = Advice(settings.options.macro_name)
    progress = Progress(len(loaded))
    for name, template, problem in loaded:
        try:
            if problem is not None:
                raise problem
            if skip_note(name, template, args.skip_non_templates):
                progress.done(name, "skipped (no Resources)", "skipped")
                continue
            context = settings.context(template, name, values, strict=False)
            rendered = render_file(path_argument(name), context, settings.options, template)
        except (*TEMPLATE_ERRORS, NotATemplate) as failure:
            error(str(failure))
            report.append({"template": name, "error": str(failure)})
            status = EXIT_TEMPLATE
            progress.done(name, "could not be checked", "unreadable")
            continue
        found = check(rendered.template, context)
        advice.add(name, found, rendered.macro_declared, transforms_of(template))
        findings = [_finding(name, finding) for finding in found]
        report.extend(findings)
        status = status or (EXIT_TEMPLATE if findings else EXIT_OK)
        outcome = f"{len(findings)} finding(s)" if findings else "clean"
        progress.done(name, outcome, "with findings" if findings else "clean")
    progress.finish()
    _print(report, args.format, advice)
    return status


def _finding(name: str, finding: Any) -> dict[str, str]:
    return {"template": name, "location": finding.location, "message": finding.message}


def _print(report: list[dict[str, str]], fmt: str, advice: Advice) -> None:
    if fmt == "json":
        import json

        sys.stdout.write(json.dumps(report, indent=2) + "\n")
        return
    findings = [item for item in report if "location" in item]
    for item in findings:
        sys.stdout.write(f"{item['template']}: {item['location']}: {item['message']}\n")
    for line in advice.lines():
        print(line, file=sys.stderr)
