"""Over the corpus, the guardrail hook finds what `version-alias check` finds, on the input
the hook really gets: one rule in CI and at deploy time.

CloudFormation hands a stack-level hook "the full CloudFormation template that was
provided to create-stack or update-stack. It can be a JSON or YAML string depending on
what was provided to CloudFormation."
(https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/lambda-hooks-create-lambda-function.html#lambda-hook-stack-payload-template)
So every corpus file (its templates and SAM's outputs alike) is served as it is, from a
local HTTP server on 127.0.0.1, behind a request of the documented shape, and the hook's
findings are compared with:

- `version-alias check --format json` on the file, for a template without transforms or
  with only the macro: `check` checks exactly what the hook checks (after the macro when
  the template lists it);
- for a SAM template, the checker `check` uses, run on the submitted template as `check`
  reads it. `check` runs SAM first, as CloudFormation does, but CloudFormation gives the
  hook the template as submitted, never SAM's output (and a standard-library hook could
  not run SAM): comparing with `check`'s SAM output would compare different inputs. The
  same for a template with a transform `check` refuses to render (AWS::Include,
  AWS::LanguageExtensions, another macro), which the hook also judges as submitted.

A file `check` cannot read at all must make the hook answer InternalFailure.

Every file without a `Transform` is also submitted a second way, listing the macro (the
same text with `Transform: VersionAlias` added), so that the hook's judgement after the
macro is compared with `check`'s on real templates too.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import CORPUS
from guardrail_requests import ENVIRONMENT, PayloadServer, payload_server, stack_request
from version_alias.cli.main import main
from version_alias.cli.support.pipeline import MACRO, transforms_of
from version_alias.cli.support.template_load import TemplateLoadError, load_template
from version_alias.guardrail.hook import assess, handle
from version_alias.guardrail.request import parse_request
from version_alias.invokers.checker import check

if not CORPUS.is_dir():
    pytest.skip(f"corpus not found at {CORPUS}", allow_module_level=True)

pytestmark = pytest.mark.corpus
FILES = sorted(
    path
    for path in CORPUS.rglob("*")
    if path.is_file() and path.suffix in {".yaml", ".yml", ".json", ".template"}
)
COMPARED: Counter[str] = Counter()  # how each file was compared, for the last test


@pytest.fixture(scope="module")
def server() -> Iterator[PayloadServer]:
    with payload_server() as running:
        yield running


def check_cli(path: Path) -> list[tuple[str, str]] | None:
    """(location, message) of every finding of `version-alias check --format json`, or None
    when `check` could not render the file."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(["check", "--format", "json", str(path)])
    report = json.loads(out.getvalue())
    if any("error" in item for item in report):
        return None
    return [(item["location"], item["message"]) for item in report]


def listing_the_macro(text: str) -> str | None:
    """The same template text with `Transform: VersionAlias` added, or None when it has a
    Transform already or starts with a document marker or directive."""
    body = text.lstrip()
    if body.startswith("{"):
        if '"Transform"' in text:
            return None
        return "{" + f'"Transform": "{MACRO}", ' + body[1:]
    if body.startswith(("---", "%")) or any(
        line.startswith("Transform:") for line in text.splitlines()
    ):
        return None
    return f"Transform: {MACRO}\n{text}"


@pytest.mark.parametrize("way", ["as published", "listing the macro"])
@pytest.mark.parametrize(
    "path", [pytest.param(path, id=str(path.relative_to(CORPUS))) for path in FILES]
)
def test_the_hook_finds_what_check_finds(
    server: PayloadServer, path: Path, way: str, tmp_path: Path
) -> None:
    text = path.read_bytes().decode("utf-8-sig")
    if way != "as published":
        changed = listing_the_macro(text)
        with contextlib.suppress(TemplateLoadError):
            if changed is not None and "Transform" in load_template(str(path)):
                changed = None
        if changed is None:
            return
        path = tmp_path / path.name
        path.write_text(changed, encoding="utf-8")
        text = changed
        COMPARED["listing the macro"] += 1
    event = stack_request(server.payload(text), stack="corpus-stack")
    try:
        template = load_template(str(path))
    except TemplateLoadError:
        answer = handle(event, ENVIRONMENT)
        assert (answer["hookStatus"], answer["errorCode"]) == ("FAILED", "InternalFailure")
        COMPARED["unreadable: InternalFailure"] += 1
        return
    expected = None
    if set(transforms_of(template)) <= {MACRO}:
        expected = check_cli(path)
        COMPARED["version-alias check"] += expected is not None
    if expected is None:
        expected = [(finding.location, finding.message) for finding in check(template)]
        COMPARED["checker, as submitted"] += 1
    found = assess(parse_request(event), ENVIRONMENT).evaluation
    assert found is not None
    assert [(finding.location, finding.message) for finding in found.findings] == expected
    COMPARED["with findings"] += bool(expected)
    answer = handle(event, ENVIRONMENT)
    assert answer["hookStatus"] == ("FAILED" if expected else "SUCCESS")


def test_the_comparison_covers_the_corpus() -> None:
    """Most files are compared with `check` itself, and many have findings, so the
    comparison above can fail."""
    if sum(COMPARED.values()) == 0:
        pytest.skip("run with the comparison above")
    assert COMPARED["version-alias check"] >= 150, COMPARED
    assert COMPARED["checker, as submitted"] >= 50, COMPARED
    assert COMPARED["with findings"] >= 30, COMPARED
    assert COMPARED["listing the macro"] >= 100, COMPARED
