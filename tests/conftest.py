"""Shared fixtures (template builders, the corpus location) and the hypothesis profiles.

Profiles: a small one for `make test`, a long one for `make fuzz`. Pick one with
HYPOTHESIS_PROFILE=fuzz (the default is `ci`). Deadlines are off because generation time,
not the macro, dominates an example and varies with machine load.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=_QUIET)
settings.register_profile(
    "fuzz", max_examples=10_000, deadline=None, suppress_health_check=_QUIET, print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def function(**properties: Any) -> dict[str, Any]:
    """A minimal AWS::Lambda::Function resource."""
    base = {
        "Runtime": "python3.13",
        "Handler": "index.handler",
        "Role": "arn:aws:iam::123456789012:role/fn",
        "Code": {"S3Bucket": "bucket", "S3Key": "code.zip"},
    }
    base.update(properties)
    return {"Type": "AWS::Lambda::Function", "Properties": base}


def template(**resources: Any) -> dict[str, Any]:
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


@pytest.fixture
def frozen():
    """Returns a checker that the transform did not mutate its input."""

    def check(value: Any):
        snapshot = copy.deepcopy(value)
        return lambda: value == snapshot

    return check


def corpus_or_skip() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    return CORPUS


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The corpus's callers of functions outside their template, on a line of their own:
    the macro cannot version them, so they are reported, not failed (test_corpus_sites)."""
    import sys

    module = sys.modules.get("test_corpus_sites") or sys.modules.get("tests.test_corpus_sites")
    external = getattr(module, "EXTERNAL", None)
    if external:
        templates = len({file for file, _ in external})
        terminalreporter.write_line(
            f"corpus: {len(external)} invocation(s) of $LATEST of functions outside their "
            f"template, in {templates} template(s): not versioned by VersionAlias"
        )
