"""scripts/corpus_check.py: its comparisons can fail, and it runs on a few corpus files."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
_spec = importlib.util.spec_from_file_location("corpus_check", ROOT / "scripts/corpus_check.py")
assert _spec and _spec.loader
corpus_check = importlib.util.module_from_spec(_spec)
sys.modules["corpus_check"] = corpus_check
_spec.loader.exec_module(corpus_check)


def app(permission_target: dict, extra: dict | None = None) -> dict[str, Any]:
    resources = {
        "Fn": {"Type": "AWS::Lambda::Function", "Properties": {}},
        "FnAliaslive": {"Type": "AWS::Lambda::Alias", "Properties": {}},
        "FnAliasblue": {"Type": "AWS::Lambda::Alias", "Properties": {}},
        "Perm": {
            "Type": "AWS::Lambda::Permission",
            "Properties": {"FunctionName": permission_target},
        },
    }
    return {"Resources": {**resources, **(extra or {})}}


@pytest.mark.parametrize(
    ("ours", "oracle", "expected"),
    [
        pytest.param(
            app({"Ref": "FnAliaslive"}), app({"Ref": "FnAliaslive"}), (1, 0, 0, 0), id="agree"
        ),
        pytest.param(app({"Ref": "FnAliaslive"}), app({"Ref": "Fn"}), (0, 1, 0, 0), id="ours-only"),
        pytest.param(
            app({"Ref": "FnAliasblue"}), app({"Ref": "FnAliaslive"}), (0, 0, 1, 0), id="other"
        ),
        pytest.param(app({"Ref": "Fn"}), app({"Ref": "FnAliaslive"}), (0, 0, 1, 0), id="latest"),
        pytest.param(
            {"Resources": {}}, app({"Fn::Sub": "${FnAliaslive}"}), (0, 0, 0, 1), id="missing"
        ),
    ],
)
def test_compare_with_oracle(ours: dict, oracle: dict, expected: tuple[int, ...]) -> None:
    counts = corpus_check.compare_with_oracle(ours, oracle)
    assert (counts["agree"], counts["ours_only"], counts["disagree"], counts["missing"]) == expected


def result(**fields: Any) -> Any:
    return corpus_check.Result("t.yaml", **fields)


@pytest.mark.parametrize(
    ("results", "failed", "line"),
    [
        pytest.param([result(latest=[])], False, "$LATEST checker: 0 invocations", id="clean"),
        pytest.param([result(outcome="crashed", notes=["tb"])], True, "1 crashed", id="crash"),
        pytest.param([result(new_lint=["E3003 x"])], True, "cfn-lint: 1 errors", id="lint"),
        pytest.param([result(latest=["Resources.P"])], True, "1 invocations of $LATEST", id="lt"),
        pytest.param([result(outcome="refused", message="m")], False, "1 refused", id="refused"),
        pytest.param(
            [result(latest=[], external=["Resources.A"])],
            False,
            "outside the template: 1 invocations",
            id="external-is-no-failure",
        ),
        pytest.param(
            [result(latest=["Resources.P"], external=["Resources.A"])],
            True,
            "1 invocations of $LATEST in 1 of 1",
            id="own-fails-beside-external",
        ),
        pytest.param(
            [result(latest=[], versioned=2)],
            False,
            "versions: 2 versioned functions, 0 with two or more",
            id="one-version-each",
        ),
        pytest.param(
            [result(latest=[], versioned=1, multi_versions=["Fn: FnVersionV7, FnVersion1a"])],
            True,
            "1 with two or more AWS::Lambda::Version, in 1 of 1",
            id="two-versions-of-one-function-fail",
        ),
    ],
)
def test_summary_fails_on_crashes_new_lint_errors_latest_and_second_versions(
    results: list, failed: bool, line: str
) -> None:
    lines, did_fail = corpus_check.summary(results)
    assert did_fail is failed
    assert any(line in text for text in lines), lines
    assert len(lines) == 6


def test_summary_reports_both_ways_and_fails_on_the_second() -> None:
    second = corpus_check.WITHOUT_AUTO_PUBLISH
    results = [
        result(latest=[], versioned=1),
        result(latest=[], versioned=1, multi_versions=["Fn: A, B"], way=second),
    ]
    lines, failed = corpus_check.summary(results)
    assert failed
    assert len(lines) == 12
    assert [line for line in lines if line.startswith(f"{second}: versions:")] == [
        f"{second}: versions: 1 versioned functions, 1 with two or more AWS::Lambda::Version, "
        "in 1 of 1 rendered templates"
    ]
    assert "versions: 1 versioned functions, 0 with two or more" in lines[4]


def test_versions_are_counted_per_function_in_any_spelling() -> None:
    template = {
        "Resources": {
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "fn"}},
            "Other": {"Type": "AWS::Lambda::Function", "Properties": {}},
            "V1": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "Fn"}}},
            "V2": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": "fn"}},
            "V3": {
                "Type": "AWS::Lambda::Version",
                "Properties": {"FunctionName": {"Fn::GetAtt": ["Other", "Arn"]}},
            },
            "Outside": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": "x"}},
        }
    }
    assert corpus_check.versions_by_function(template) == {"Fn": ["V1", "V2"], "Other": ["V3"]}


def test_missing_corpus_skips_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert corpus_check.main(["--corpus", str(tmp_path / "none")]) == 0
    assert capsys.readouterr().out.startswith("corpus: skipped, no corpus at ")


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
@pytest.mark.parametrize(
    ("file", "oracle", "outcome"),
    [
        pytest.param(
            "sam-translator/function_event_conditions.yaml",
            "sam-translator/output/function_event_conditions.json",
            "rendered",
            id="sam-with-oracle",
        ),
        pytest.param("cfn-lint/public_lambda-poller.yaml", None, "rendered", id="plain"),
        pytest.param(
            "serverless-patterns/cloudfront-lambda-url-rust.yaml", None, "refused", id="dup-key"
        ),
    ],
)
def test_check_one_on_corpus_files(file: str, oracle: str | None, outcome: str) -> None:
    checked = corpus_check.check_one(str(CORPUS), file, oracle, lint=False)
    assert checked.outcome == outcome, checked.message
    if oracle:
        assert checked.oracle["disagree"] == 0
        assert checked.oracle["agree"] > 0


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
@pytest.mark.parametrize(
    ("file", "way", "versioned"),
    [
        pytest.param(
            "framework-compiled/serverless-heaven_serverless-aws-alias_test_data_sls-stack-1.json",
            "as published",
            3,
            id="serverless-versionFunctions",
        ),
        pytest.param(
            "cdk-integ/aws-lambda_test_integ.current-version.js.snapshot_"
            "lambda-test-current-version.template.json",
            "as published",
            1,
            id="cdk-currentVersion",
        ),
        pytest.param(
            "sam-translator/function_with_deployment_preference.yaml",
            "without AutoPublishAlias",
            1,
            id="sam-deployment-preference-the-version-alias-way",
        ),
        pytest.param(
            "sam-translator/function_with_deployment_preference_condition_with_passthrough.yaml",
            "without AutoPublishAlias",
            1,
            id="sam-conditional-provisioned-concurrency-the-version-alias-way",
        ),
    ],
)
def test_every_versioned_function_has_one_version(file: str, way: str, versioned: int) -> None:
    checked = corpus_check.check_one(str(CORPUS), file, None, lint=False, way=way)
    assert checked is not None
    assert checked.outcome == "rendered", checked.message
    assert (checked.versioned, checked.multi_versions, checked.latest) == (versioned, [], [])


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_a_template_without_auto_publish_alias_has_no_second_way() -> None:
    file = "cfn-lint/public_lambda-poller.yaml"
    assert (
        corpus_check.check_one(str(CORPUS), file, None, False, "without AutoPublishAlias") is None
    )


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_the_second_way_does_not_count_lint_errors_sams_own_output_has() -> None:
    """The input gives CodeDeploy `!Ref DeploymentRole` where an ARN belongs: SAM's own
    AutoPublishAlias output has the same error, so VersionAlias adds none."""
    file = "sam-translator/function_with_deployment_no_service_role_with_passthrough.yaml"
    first, second = corpus_check.check_file(str(CORPUS), file, None, True, sam=True)
    assert (first.way, second.way) == ("as published", "without AutoPublishAlias")
    assert any(rule == "E1041" for rule, _ in first.lint_seen)
    assert (first.new_lint, second.new_lint) == ([], [])
    assert second.versioned == 2
