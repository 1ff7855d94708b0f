"""The real-world corpus: no invocation site runs `$LATEST` after rendering unless render
warned about that very site, every function has exactly one version, and every place SAM's
AutoPublishAlias points at its alias, ours does too."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
if not (CORPUS / "MANIFEST.tsv").is_file():
    pytest.skip(f"corpus not found at {CORPUS}", allow_module_level=True)
sys.path.insert(0, str(REPO / "scripts"))

import compare_sam_oracle  # noqa: E402
import corpus_render  # noqa: E402
from corpus_check import versions_by_function  # noqa: E402
from invariants import unnoted  # noqa: E402
from version_alias.cli.support.artifacts import ArtifactOptions  # noqa: E402
from version_alias.cli.support.pipeline import Rendered, RenderOptions, render  # noqa: E402
from version_alias.context import TransformContext  # noqa: E402
from version_alias.invokers.checker import check  # noqa: E402
from version_alias.transform import transform  # noqa: E402

pytestmark = pytest.mark.corpus
# The corpus ships without its code: local paths are hashed by name.
MISSING_CODE_BY_NAME = RenderOptions(artifacts=ArtifactOptions(allow_missing=True))

# Templates that cannot be rendered, and the message that says why.
UNRENDERABLE = {
    # The OpenAPI body invokes ${DifferentFunction.Arn}, which the template never defines;
    # CloudFormation would reject it too.
    "sam-translator/http_api_existing_openapi_conditions.yaml": (
        "references DifferentFunction, which is not a resource or parameter"
    ),
    # Published with a duplicate key (see the corpus README).
    "serverless-patterns/cloudfront-lambda-url-rust.yaml": "duplicate key .Name.",
}
# Literal ARNs of `custom-auth`, a function another stack defines.
EXTERNAL_SAMPLE = (
    "framework-compiled/serverless-heaven_serverless-aws-alias_test_data_auth-stack-2.json"
)
# (template, finding) of every caller of a function outside its template; conftest.py
# prints them on a summary line of their own.
EXTERNAL: list[tuple[str, str]] = []
ENTRIES = [pytest.param(entry, id=entry.file) for entry in corpus_render.manifest()]
ORACLE_ENTRIES = [pytest.param(entry, id=entry.file) for entry in compare_sam_oracle.entries()]


@cache
def rendered_entry(file: str, way: str = "as published") -> Rendered | None:
    """One render per template and way for all the tests of this module; None when the
    template has no second way (no AutoPublishAlias)."""
    entry = _entry(file)
    template: Any = corpus_render.load(entry)
    if way != "as published":
        template = corpus_render.the_version_alias_way(template)
        if template is None:
            return None
    return render(template, TransformContext(), entry.path.parent, MISSING_CODE_BY_NAME)


@pytest.mark.parametrize("entry", ENTRIES)
def test_check_on_rendered_template_finds_only_what_render_warned_about(
    entry: corpus_render.Entry,
) -> None:
    if entry.file in UNRENDERABLE:
        with pytest.raises(corpus_render.RENDER_ERRORS, match=UNRENDERABLE[entry.file]):
            corpus_render.render_template(corpus_render.load(entry), entry.path.parent)
        return
    rendered = rendered_entry(entry.file)
    assert rendered is not None
    findings = check(rendered.template)
    EXTERNAL.extend((entry.file, str(finding)) for finding in findings if finding.external)
    assert unnoted(findings, rendered.notes) == []


def test_external_callers_name_no_function_of_their_template() -> None:
    """A caller left on $LATEST is tolerated only when the function it names is not one of
    the template's own: a literal ARN whose function name no function of the template has."""
    template = corpus_render.load(_entry(EXTERNAL_SAMPLE))
    rendered = corpus_render.render_template(template, (CORPUS / EXTERNAL_SAMPLE).parent)
    findings = check(rendered)
    external = [finding for finding in findings if finding.external]
    assert [finding for finding in findings if not finding.external] == []
    assert {finding.resource_id for finding in external} == {
        "TestauthApiGatewayAuthorizer",
        "PseudoParamCustomAuthApiGatewayAuthorizer",  # a Sub part inside a Join
        "TestauthLambdaPermissionApiGateway",
    }
    assert all("literal Lambda function ARN" in finding.message for finding in external)


# The second way of these templates is refused, with this message (none at the moment:
# `AutoPublishAlias: !Ref AliasName` moves over as `AliasName: !Ref AliasName`, which the
# macro resolves like SAM, see test_an_alias_name_from_a_parameter_moves_over_from_sam).
SECOND_WAY_REFUSED: dict[str, str] = {}


def test_an_alias_name_from_a_parameter_moves_over_from_sam() -> None:
    result = rendered_entry(
        "sam-translator/function_with_alias_intrinsics.yaml", "without AutoPublishAlias"
    )
    assert result is not None
    aliases = {
        logical_id: resource["Properties"]["Name"]
        for logical_id, resource in result.template["Resources"].items()
        if resource["Type"] == "AWS::Lambda::Alias"
    }
    assert aliases == {"MinimalFunctionAliaslive": "live"}  # the parameter's default


@pytest.mark.parametrize("entry", ENTRIES)
@pytest.mark.parametrize("way", ["as published", "without AutoPublishAlias"])
def test_one_version_per_function_and_a_second_run_changes_nothing(
    entry: corpus_render.Entry, way: str
) -> None:
    """Framework output, CDK snapshots, hand-written and SAM versions: each function the
    macro versions ends with exactly one AWS::Lambda::Version, and running the macro on
    its own output (as CloudFormation may) changes nothing. SAM templates also the way
    docs/migrating.md tells users to write them without AutoPublishAlias."""
    if entry.file in UNRENDERABLE:
        return  # test_rendered_template_has_no_latest_site checks the message
    if way != "as published" and entry.file in SECOND_WAY_REFUSED:
        with pytest.raises(corpus_render.RENDER_ERRORS, match=SECOND_WAY_REFUSED[entry.file]):
            rendered_entry(entry.file, way)
        return
    result = rendered_entry(entry.file, way)
    if result is None:
        return  # no AutoPublishAlias: the second way is the first
    versions = versions_by_function(result.template)
    assert {function: names for function, names in versions.items() if len(names) > 1} == {}
    again = transform(result.pre_macro)
    assert transform(again) == again


def _entry(file: str) -> corpus_render.Entry:
    return next(entry for entry in corpus_render.manifest() if entry.file == file)


@pytest.mark.parametrize("entry", ORACLE_ENTRIES)
def test_our_alias_is_where_sams_is(entry: corpus_render.Entry) -> None:
    result = compare_sam_oracle.compare(entry)
    assert result.error is None
    assert result.missed == []


def test_oracle_comparison_covers_sites() -> None:
    assert len(ORACLE_ENTRIES) == 42
    total = sum(compare_sam_oracle.compare(param.values[0]).total for param in ORACLE_ENTRIES)
    assert total == 77
