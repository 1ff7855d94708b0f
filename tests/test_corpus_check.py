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
    ],
)
def test_summary_fails_on_crashes_new_lint_errors_and_latest(
    results: list, failed: bool, line: str
) -> None:
    lines, did_fail = corpus_check.summary(results)
    assert did_fail is failed
    assert any(line in text for text in lines), lines
    assert len(lines) == 5


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
