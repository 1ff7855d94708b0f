"""Golden renders: every sample's rendered output is checked in, read, and kept current.

After a deliberate change run `make samples-golden` and read `git diff samples/`.
"""

from __future__ import annotations

import pytest
from cfnlint.api import lint
from cfnlint.config import ManualArgs

from conftest import REPO
from version_alias.cli.support.samples import render_sample, sample_sources

SOURCES = sample_sources(REPO / "samples")


def rendered_path(source):
    return source.parent / "rendered" / source.name


def test_there_are_samples_for_every_story():
    names = {f"{path.parent.name}/{path.name}" for path in SOURCES}
    assert {
        "canary/cloudformation.yaml",
        "env-var-rename/cloudformation.yaml",
        "env-var-rename/sam.yaml",
        "event-driven-app/cloudformation.yaml",
        "rest-api-authorizer/cloudformation.yaml",
    } <= names


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rendered_sample_is_current(source):
    expected = rendered_path(source).read_text(encoding="utf-8")
    assert render_sample(source) == expected, "run `make samples-golden` and read the diff"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rendered_sample_passes_cfn_lint(source):
    text = rendered_path(source).read_text(encoding="utf-8")
    matches = lint(text, config=ManualArgs(regions=["us-east-1"]))
    errors = [match for match in matches if match.rule.id.startswith("E")]
    assert [str(match) for match in errors] == []
