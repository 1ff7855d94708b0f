"""The hash on real templates: never crashes, ignores key order, diff agrees with itself."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from conftest import CORPUS
from version_alias import TransformContext, TransformError, transform
from version_alias.cli.commands.diff_report import compare
from version_alias.cli.support.template_io import TemplateLoadError, load_template

pytestmark = pytest.mark.corpus


def plain_templates() -> list[Any]:
    if not CORPUS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason="corpus absent"), id="absent")]
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter="\t") if row["kind"] == "cfn"]
    return [pytest.param(CORPUS / row["file"], id=row["file"]) for row in rows]


def reverse_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: reverse_keys(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [reverse_keys(item) for item in value]
    return value


def versions(template: dict[str, Any]) -> list[str]:
    processed = transform(template, TransformContext())
    return sorted(
        key
        for key, value in processed["Resources"].items()
        if value["Type"] == "AWS::Lambda::Version"
    )


@pytest.mark.parametrize("path", plain_templates())
def test_real_templates_hash_stably(path: Path) -> None:
    try:
        template = load_template(str(path))
    except TemplateLoadError:
        pytest.skip("cfn-lint cannot parse this template")
    try:
        found = versions(template)
    except TransformError:
        return  # a clear refusal is fine; a crash is not
    assert versions(reverse_keys(template)) == found
    diffs = compare(template, reverse_keys(template), TransformContext())
    assert not any(diff.publishes for diff in diffs)
    assert all(not diff.changes and not diff.ignored for diff in diffs)
