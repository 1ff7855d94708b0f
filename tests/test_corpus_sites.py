"""The real-world corpus: no invocation site runs `$LATEST` after rendering, and every
place SAM's AutoPublishAlias points at its alias, ours does too."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
if not (CORPUS / "MANIFEST.tsv").is_file():
    pytest.skip(f"corpus not found at {CORPUS}", allow_module_level=True)
sys.path.insert(0, str(REPO / "scripts"))

import compare_sam_oracle  # noqa: E402
import corpus_render  # noqa: E402
from version_alias.invokers.checker import check  # noqa: E402

pytestmark = pytest.mark.corpus

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


@pytest.mark.parametrize("entry", ENTRIES)
def test_rendered_template_has_no_latest_site(entry: corpus_render.Entry) -> None:
    if entry.file in UNRENDERABLE:
        with pytest.raises(corpus_render.RENDER_ERRORS, match=UNRENDERABLE[entry.file]):
            corpus_render.render_template(corpus_render.load(entry), entry.path.parent)
        return
    template = corpus_render.load(entry)
    rendered = corpus_render.render_template(template, entry.path.parent)
    findings = check(rendered)
    EXTERNAL.extend((entry.file, str(finding)) for finding in findings if finding.external)
    assert [str(finding) for finding in findings if not finding.external] == []


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
        "TestauthLambdaPermissionApiGateway",
    }
    assert all("literal Lambda function ARN" in finding.message for finding in external)


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
