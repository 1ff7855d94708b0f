"""`version-alias check` sees what CloudFormation sees: SAM's output, not the SAM template.

Rule W9350 runs inside cfn-lint, which applies the SAM transform before its rules, so on
every corpus template `check` must report the same `$LATEST` sites as W9350. One kind of
difference is cfn-lint's, and is asserted as such: for an `AWS::Serverless::Api` or
`HttpApi` with no definition of its own, cfn-lint hands samtranslator a stub
`DefinitionUri` (cfnlint/template/transforms/_sam.py, `_replace_local_codeuri`), so the
OpenAPI body that SAM generates from the function's events, and the integration URIs in
it, never reach W9350. CloudFormation deploys that body; `check` sees it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
CLI = Path(sys.executable).parent / "version-alias"
SQS_SAMPLE = CORPUS / "serverless-patterns" / "sqs-lambda-python-sam.yaml"
API_TYPES = ("AWS::Serverless::Api", "AWS::Serverless::HttpApi")
# What makes cfn-lint keep an Api's own definition instead of stubbing DefinitionUri.
OWN_DEFINITION = ("DefinitionBody", "DefinitionUri", "Auth", "Cors", "DisableExecuteApiEndpoint")


def corpus_templates() -> list[Any]:
    if not (CORPUS / "MANIFEST.tsv").is_file():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no corpus at {CORPUS}"))]
    files = sorted(
        path
        for path in CORPUS.rglob("*")
        if path.suffix in (".yaml", ".yml", ".json") and "output" not in path.parts
    )
    return [pytest.param(path, id=str(path.relative_to(CORPUS))) for path in files]


@pytest.fixture(scope="module")
def w9350() -> Any:
    """A function: the W9350 locations cfn-lint reports for a file, or None when cfn-lint
    cannot parse it."""
    from cfnlint.api import ManualArgs
    from cfnlint.config import ConfigMixIn
    from cfnlint.decode import decode
    from cfnlint.rules import Rules
    from cfnlint.runner.template.runner import run_template_by_data

    from version_alias.lint_rules import LatestInvocation

    rules = Rules()
    rules.register(LatestInvocation())
    config = ConfigMixIn(**ManualArgs(regions=["us-east-1"]))

    def locations(path: Path) -> set[str] | None:
        template, problems = decode(str(path))
        if problems:
            return None
        matches = run_template_by_data(template, config, rules)
        return {match.message.split(": ", 1)[0] for match in matches}

    return locations


def check_locations(path: Path) -> set[str]:
    """`check`'s locations for one file, through the command's own pipeline."""
    from version_alias.cli.support.artifacts import ArtifactOptions
    from version_alias.cli.support.pipeline import RenderOptions, render_file
    from version_alias.context import TransformContext
    from version_alias.invokers.checker import check

    options = RenderOptions(as_if_macro=False, artifacts=ArtifactOptions(read_code=False))
    rendered = render_file(path, TransformContext(), options)
    return {finding.location for finding in check(rendered.template)}


def stubbed_apis(path: Path) -> list[str]:
    """The Apis whose generated body cfn-lint replaces by a stub DefinitionUri."""
    from version_alias.cli.support.template_io import load_template

    resources = load_template(str(path)).get("Resources") or {}
    return [
        logical_id
        for logical_id, resource in resources.items()
        if isinstance(resource, dict)
        and resource.get("Type") in API_TYPES
        and not any(key in (resource.get("Properties") or {}) for key in OWN_DEFINITION)
    ]


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_templates())
def test_check_reports_the_sites_w9350_reports(path: Path, w9350: Any) -> None:
    from version_alias.cli.support.pipeline import TEMPLATE_ERRORS

    expected = w9350(path)
    if expected is None:  # cfn-lint cannot parse it (E0000): check cannot read it either
        with pytest.raises(TEMPLATE_ERRORS):
            check_locations(path)
        return
    found = check_locations(path)
    stubbed = stubbed_apis(path)
    if not stubbed:
        assert found == expected
        return
    assert expected <= found, f"W9350 reports what check misses: {sorted(expected - found)}"
    bodies = tuple(f"Resources.{api}.Properties.Body." for api in stubbed)
    assert sorted(item for item in found - expected if not item.startswith(bodies)) == []


def run_cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), *argv], capture_output=True, text=True, check=False)


@pytest.mark.corpus
@pytest.mark.skipif(not SQS_SAMPLE.is_file(), reason="corpus not found")
def test_check_sees_the_sqs_event_that_sam_generates() -> None:
    """The SQS event of a SAM function becomes an event source mapping on $LATEST."""
    done = run_cli("check", str(SQS_SAMPLE))
    assert done.returncode == 1, done.stderr
    assert done.stdout == (
        f"{SQS_SAMPLE}: Resources.ProcessorFunctionMySQSEvent.Properties.FunctionName: "
        "invokes $LATEST of function ProcessorFunction; point it at an alias.\n"
    )
