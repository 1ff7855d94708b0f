"""`version-alias lint` does not call a parameter, condition or mapping unused because the
macro (or SAM) resolved the value that used it, and still reports what the author wrote.

CloudFormation runs the transforms again with each deploy's parameter values, so a value
resolved during a local render is right; cfn-lint on the source is clean, and CI running
`version-alias lint` must be too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from version_alias.cli.commands.lint_consumed import consumed, entry
from version_alias.cli.main import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lint"
FIELD = Path(__file__).resolve().parents[3] / "shared" / "field"
UNUSED_RULES = ("W2001", "W8001", "W7001")


def lint(path: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    if not path.is_file():
        pytest.skip(f"{path} not found")
    status = main(["lint", str(path), *argv])
    return status, capsys.readouterr().out


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(FIELD / "description-sub-248.yaml", id="field-description-sub-248"),
        pytest.param(
            FIELD / "provisioned-concurrency-if-novalue.yaml",
            id="field-provisioned-concurrency-if-novalue",
        ),
        pytest.param(
            FIXTURES / "consumed-by-macro.yaml",
            id="parameter-condition-mapping-and-description-sub",
        ),
        pytest.param(FIXTURES / "sam-consumed.yaml", id="sam-auto-publish-alias-and-macro-if"),
    ],
)
def test_lint_is_clean_where_the_macro_consumed_what_the_template_uses(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = lint(path, capsys)
    assert (status, out) == (0, "")


def test_lint_keeps_what_the_author_left_unused_and_real_findings_on_consumed_parameters(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out = lint(FIXTURES / "unused-by-author.yaml", capsys)
    assert status == 2 | 4
    found = [block.splitlines()[0] for block in out.strip().split("\n\n")]
    assert sorted(found) == [
        "E2015 Default should be a value within AllowedValues",
        "E2015 Default should be equal to or higher than MinValue",  # Warm: consumed
        "W2001 Parameter Forgotten not used.",
        "W7001 Mapping 'Orphan' is defined but not used",
        "W8001 Condition Never not used",
    ]


def test_lint_reading_stdin_leaves_out_the_same_findings(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    text = (FIXTURES / "consumed-by-macro.yaml").read_text(encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["lint", "-"]) == 0
    assert capsys.readouterr().out == ""


def test_lint_of_several_templates_in_parallel_leaves_out_the_same_findings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths = [str(FIXTURES / "consumed-by-macro.yaml"), str(FIXTURES / "unused-by-author.yaml")]
    assert main(["lint", *paths]) == 2 | 4
    out = capsys.readouterr().out
    assert "consumed-by-macro.yaml" not in out
    assert not any(rule in out for rule in ("W2001 Parameter Warm", "W8001 Condition IsProd"))
    assert "W2001 Parameter Forgotten not used." in out


# -- the rule itself ---------------------------------------------------------------------
PARAMETERS = {"Stage": {"Type": "String"}, "Warm": {"Type": "Number"}}


def template(resources: dict[str, Any], **sections: Any) -> dict[str, Any]:
    return {"Parameters": PARAMETERS, **sections, "Resources": resources}


def fn(**properties: Any) -> dict[str, Any]:
    return {"Type": "AWS::Lambda::Function", "Properties": properties}


@pytest.mark.parametrize(
    ("source", "rendered", "expected"),
    [
        pytest.param(
            template({"Fn": fn(Description={"Fn::Sub": "${Stage} x"})}),
            template({"Fn": fn(Description="dev x")}),
            {("Parameters", "Stage")},
            id="sub-placeholder-resolved",
        ),
        pytest.param(
            template({"Fn": fn(MemorySize={"Ref": "Warm"})}),
            template({"Fn": fn(MemorySize=128)}),
            {("Parameters", "Warm")},
            id="ref-resolved",
        ),
        pytest.param(
            template({"Fn": fn(X={"Fn::If": ["IsProd", 1, 2]})}, Conditions={"IsProd": {}}),
            template({"Fn": fn(X=2)}, Conditions={"IsProd": {}}),
            {("Conditions", "IsProd")},
            id="if-resolved",
        ),
        pytest.param(
            template({"Fn": fn(X={"Fn::FindInMap": ["M", "a", "b"]})}, Mappings={"M": {}}),
            template({"Fn": fn(X=1)}, Mappings={"M": {}}),
            {("Mappings", "M")},
            id="find-in-map-resolved",
        ),
        pytest.param(
            template({"Fn": {**fn(), "Condition": "IsProd"}}, Conditions={"IsProd": {}}),
            template({"Fn": fn()}, Conditions={"IsProd": {}}),
            {("Conditions", "IsProd")},
            id="resource-condition-dropped",
        ),
        pytest.param(
            template({"Fn": fn(A={"Ref": "Stage"}, B={"Ref": "Stage"})}),
            template({"Fn": fn(A="dev", B={"Ref": "Stage"})}),
            set(),
            id="still-used-elsewhere",
        ),
        pytest.param(
            template({"Fn": fn(X={"Fn::If": ["IsProd", 1, 2]})}, Conditions={
                "IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}
            }),
            template({"Fn": fn(X=2)}, Conditions={
                "IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}
            }),
            {("Conditions", "IsProd")},
            id="a-condition-still-uses-its-parameter",
        ),
        pytest.param(
            template({"Fn": fn()}),
            template({"Fn": fn()}),
            set(),
            id="never-used-is-the-authors",
        ),
        pytest.param(
            template({"Fn": fn(X={"Ref": "Undeclared"})}),
            template({"Fn": fn(X=1)}),
            set(),
            id="only-declared-entries",
        ),
    ],
)  # fmt: skip
def test_consumed_entries_are_those_the_source_uses_and_the_output_does_not(
    source: dict[str, Any], rendered: dict[str, Any], expected: set[tuple[str, str]]
) -> None:
    assert consumed(source, rendered) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param(["Parameters", "Stage"], ("Parameters", "Stage"), id="parameter"),
        pytest.param(["Conditions", "IsProd", "Fn::Equals"], ("Conditions", "IsProd"), id="deep"),
        pytest.param(["Mappings", "M"], ("Mappings", "M"), id="mapping"),
        pytest.param(["Resources", "Fn"], None, id="resource"),
        pytest.param(["Parameters"], None, id="section-only"),
        pytest.param([], None, id="template"),
    ],
)
def test_a_finding_is_about_a_declared_entry_only_at_its_path(
    path: list[Any], expected: tuple[str, str] | None
) -> None:
    assert entry(path) == expected
