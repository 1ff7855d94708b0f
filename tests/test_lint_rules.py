"""The cfn-lint rules, run by cfn-lint itself on `<ruleid>.pass.yaml` / `<ruleid>.fail.yaml`."""

from __future__ import annotations

from pathlib import Path

import pytest
from cfnlint.api import ManualArgs, lint_file

import version_alias.lint_rules as lint_rules

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lint"
RULES_DIR = Path(lint_rules.__file__).resolve().parent
RULE_IDS = [cls.id for cls in map(lambda name: getattr(lint_rules, name), lint_rules.__all__)]

# What each fail fixture must produce: (line, message start), exactly.
EXPECTED_FAILURES = {
    "W9350": [
        (28, "Resources.Schedule.Properties.Targets[0].Arn: invokes $LATEST of function Worker"),
        (32, "Resources.SchedulePermission.Properties.FunctionName: invokes $LATEST of function"),
        (40, "Resources.AsyncConfig.Properties.Qualifier: the qualifier is $LATEST"),
        (48, "Resources.Mapping.Properties.FunctionName: invokes $LATEST of function Worker"),
    ],
}


def _lint(path: Path, rules: str) -> list[tuple[str, int, str]]:
    matches = lint_file(path, ManualArgs(append_rules=[rules], regions=["us-east-1"]))
    return [(match.rule.id, match.linenumber, match.message) for match in matches]


@pytest.mark.parametrize(
    "rules",
    [
        pytest.param(str(RULES_DIR), id="directory"),
        pytest.param("version_alias.lint_rules", id="module"),
    ],
)
@pytest.mark.parametrize("rule_id", [pytest.param(rule, id=rule) for rule in RULE_IDS])
def test_fail_fixture(rule_id: str, rules: str) -> None:
    found = [(line, msg) for rule, line, msg in _lint(FIXTURES / f"{rule_id}.fail.yaml", rules)]
    expected = EXPECTED_FAILURES[rule_id]
    assert len(found) == len(expected), found
    for (line, message), (want_line, want_start) in zip(found, expected, strict=True):
        assert line == want_line
        assert message.startswith(want_start)


@pytest.mark.parametrize("rule_id", [pytest.param(rule, id=rule) for rule in RULE_IDS])
def test_pass_fixture_is_clean(rule_id: str) -> None:
    assert _lint(FIXTURES / f"{rule_id}.pass.yaml", str(RULES_DIR)) == []


def test_every_rule_has_fixtures_and_metadata() -> None:
    rule_files = sorted(path.stem for path in RULES_DIR.glob("[A-Za-z1-9]*.py"))
    assert rule_files == sorted(lint_rules.__all__)
    for name in lint_rules.__all__:
        rule = getattr(lint_rules, name)
        assert rule.id.startswith(("W935", "E935"))
        assert rule.shortdesc and rule.description and rule.source_url and rule.tags
        assert (FIXTURES / f"{rule.id}.pass.yaml").is_file()
        assert (FIXTURES / f"{rule.id}.fail.yaml").is_file()
