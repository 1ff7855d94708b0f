"""The guardrail reads a template's text as `version-alias check` reads the file.

The hook gets the template as submitted, JSON or YAML, and has no YAML library (the Lambda
package is standard library only), so it has its own reader. Every template here is read
both ways and must give the same value: the corpus, the samples, the test fixtures, the
field cases and the project's own stacks, named YAML cases, YAML that PyYAML writes in
every style, and the plain scalars YAML 1.1 gives a type.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import CORPUS, REPO
from version_alias.cli.support.template_load import TemplateLoadError, parse_template
from version_alias.guardrail.template_text import TemplateTextError, read_template
from version_alias.guardrail.yaml_reader import read_yaml
from version_alias.guardrail.yaml_scalars import MERGE, resolve_plain

SUFFIXES = {".yaml", ".yml", ".json", ".template"}
FILES = sorted(
    path
    for root in (REPO / "samples", REPO / "tests" / "fixtures", REPO.parent / "shared", CORPUS)
    if root.is_dir()
    for path in root.rglob("*")
    if path.suffix in SUFFIXES and path.is_file() and "MANIFEST" not in path.name
)
FILES = sorted({*FILES, *(path for path in REPO.glob("*.yaml") if path.is_file())})


def reference(text: str) -> Any:
    """What `version-alias check` reads, or TemplateLoadError."""
    return parse_template(text.encode("utf-8"), "template")


def same(expected: Any, found: Any) -> bool:
    """Equal, with NaN equal to NaN and an int key never mistaken for a bool one."""
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(found, float) and math.isnan(found)
    if type(expected) is not type(found):
        return False
    if isinstance(expected, dict):
        return list(expected) == list(found) and all(
            same(expected[key], found[key]) for key in expected
        )
    if isinstance(expected, list):
        return len(expected) == len(found) and all(map(same, expected, found))
    return expected == found


@pytest.mark.parametrize(
    "path", [pytest.param(path, id=str(path.relative_to(REPO.parent))) for path in FILES]
)
def test_every_known_template_reads_as_check_reads_it(path: Path) -> None:
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    try:
        expected = reference(text)
    except TemplateLoadError:
        with pytest.raises(TemplateTextError):
            read_template(text)
        return
    assert same(expected, read_template(text))


def test_the_known_templates_include_the_corpus() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    assert sum(1 for path in FILES if CORPUS in path.parents) > 250


CASES = [
    pytest.param("a: >\n  one\n  two\n\n  three\n   more\n  end\nb: c\n", id="folded"),
    pytest.param("a: |-\n  x\n\n", id="literal-strip"),
    pytest.param("a: |+\n  x\n\n\nb: 1\n", id="literal-keep"),
    pytest.param("a: >\n\n  x\n", id="folded-leading-blank"),
    pytest.param("k: >-\n    a\n     b\n    c\n", id="folded-more-indented"),
    pytest.param("k: >2-\n    a\n  b\n", id="indentation-indicator"),
    pytest.param("k:\n- |\n x\n- y\n", id="literal-in-list"),
    pytest.param("a:\n- 1\n- 2\nb: 3\n", id="list-at-key-indent"),
    pytest.param("k:\n- a: 1\n  b: [2, 3]\n- - x\n  - y\n", id="compact-nesting"),
    pytest.param("x: &A {a: 1, b: 2}\ny:\n  <<: *A\n  b: 3\n", id="merge"),
    pytest.param("x: &A {a: 1}\nz: &B {a: 2, c: 1}\ny:\n  <<: [*A, *B]\n", id="merge-list"),
    pytest.param('a: "multi\n  line\n\n  text"\n', id="double-quoted-folding"),
    pytest.param("a: 'one\n\n   two'\n", id="single-quoted-folding"),
    pytest.param('a: "esc\\\n   aped"\n', id="escaped-line-break"),
    pytest.param('a: "\\x41\\u00e9\\t\\N\\_"\n', id="escapes"),
    pytest.param("a: 'it''s'#c\n", id="single-quote-escape"),
    pytest.param("a: plain\n  continued\n   more\n", id="plain-continued"),
    pytest.param("a: x\n\n\n  y\n", id="plain-blank-lines"),
    pytest.param("---\na: 1\n...\n", id="document-markers"),
    pytest.param("%YAML 1.1\n---\na: 1\n", id="directive"),
    pytest.param("a: !Sub |\n  x ${A}\n", id="sub-literal"),
    pytest.param("a: !If\n  - C\n  - !Ref X\n  - !Ref AWS::NoValue\n", id="if-block"),
    pytest.param("a:\n  - !Join\n    - ''\n    - - x\n      - !Ref Y\n", id="join-nested"),
    pytest.param("a: [!Ref A, !GetAtt B.Arn, !GetAtt [C, Arn]]\n", id="short-forms-in-flow"),
    pytest.param("a: !GetAtt A.B.C\nb: !Ref\nc: !GetAZs ''\n", id="getatt-and-empty"),
    pytest.param("a: !Base64 {'Fn::Sub': x}\nb: !Ref '1'\n", id="tagged-collections"),
    pytest.param("a: [\n  1,\n  2, # c\n  3,\n]\n", id="flow-over-lines"),
    pytest.param('a: {"b":1}\nc: {b:1}\nd: [b: 1]\n', id="flow-colons"),
    pytest.param("a: [a?b, 'c', \"d\"]\n", id="flow-scalars"),
    pytest.param("a: yes\nb: No\nc: ~\nd: null\ne:\nf: off\n", id="bool-and-null"),
    pytest.param("a: -1\nb: +2\nc: 0x1F\nd: 1_000\ne: .inf\nf: 017\ng: 0b101\n", id="ints"),
    pytest.param("a: 1.0e+3\nb: .5\nc: 1e3\nd: 1:20\ne: 12:30:45\nf: 1:20.5\n", id="numbers"),
    pytest.param("a: 2010-09-09\nb: 2010-9-9\nc: 2001-12-14t21:59:43.10-05:00\n", id="dates"),
    pytest.param("d: 2001-12-14 21:59:43.1 Z\ne: 2001-12-14T21:59:43Z\n", id="date-times"),
    pytest.param("200: ok\n'300': ok\n=: a\n", id="typed-keys"),
    pytest.param("a: !!str 12\nb: ! 12\nc: !!int '12'\nd: !!float 1\n", id="yaml-types"),
    pytest.param("a:\tb\nc: d\te\nf: g\t# c\nh: [x,\ty]\n", id="tabs-between"),
    pytest.param("k: v # c\n# c2\n  # c3\nk2: v\n", id="comments"),
    pytest.param("k:\n  - a\n  -\n  - c\n  -\n    a: b\n", id="empty-entries"),
    pytest.param("a: &x 1\nb: *x\n", id="anchor-and-alias"),
    pytest.param("--- {a: 1}\n", id="content-on-the-marker-line"),
    pytest.param("\ufeffa: 1\r\nb: 2\r\n", id="bom-and-crlf"),
    pytest.param('{"Resources": {"A":\t{"Type": "X"}}}', id="json-with-tabs"),
    pytest.param("{Resources: {A: {Type: X}}}\n", id="json-like-yaml"),
]


@pytest.mark.parametrize("text", CASES)
def test_named_yaml_cases_read_as_check_reads_them(text: str) -> None:
    assert same(reference(text), read_template(text))


REFUSED = [
    pytest.param("a: b\na: c\n", id="duplicate-key"),
    pytest.param("a: b: c\n", id="two-colons"),
    pytest.param("a: - b\n", id="list-on-key-line"),
    pytest.param("a: [a, b\n", id="unclosed-flow"),
    pytest.param('a: "x\n', id="unclosed-quote"),
    pytest.param("a: *y\n", id="unknown-alias"),
    pytest.param("a: !!binary aGk=\n", id="binary"),
    pytest.param("\ta: b\n", id="tab-indent"),
    pytest.param("k: |\n   a\n  b\n", id="block-scalar-dedent"),
    pytest.param("---\na: 1\n---\nb: 2\n", id="two-documents"),
    pytest.param("a: =\n", id="value-key"),
    pytest.param("1: a\n1.0: b\n", id="equal-number-keys"),
]


@pytest.mark.parametrize("text", REFUSED)
def test_yaml_check_refuses_is_refused_with_line_and_column(text: str) -> None:
    with pytest.raises(TemplateLoadError):
        reference(text)
    with pytest.raises(TemplateTextError, match=r"^line \d+, column \d+: not valid YAML \("):
        read_template(text)


def test_explicit_keys_are_refused_with_a_message() -> None:
    """Valid YAML no template uses; the hook says it cannot read it (InternalFailure)
    rather than reading something else."""
    with pytest.raises(TemplateTextError, match=r"an explicit `\? ` key"):
        read_template("? a\n: b\n")


_TEXT = st.text(alphabet=st.sampled_from(list("ab -:#'\"\\[]{},!&*|>%@`?\n\t01.eé<=~")))
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    _TEXT,
)
# Keys as templates have them: one line (PyYAML writes a multi-line key as an explicit
# `? ` key, which no template uses and the reader refuses).
_KEYS = _TEXT.filter(lambda key: key and "\n" not in key)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=12,
)


@given(
    data=st.dictionaries(_KEYS, _DATA, min_size=1, max_size=4),
    flow=st.sampled_from([False, True, None]),
    style=st.sampled_from([None, '"', "'", "|", ">"]),
    width=st.integers(min_value=10, max_value=120),
    indent=st.integers(min_value=2, max_value=6),
)
def test_yaml_written_in_any_style_reads_back_as_check_reads_it(
    data: dict[str, Any], flow: bool | None, style: str | None, width: int, indent: int
) -> None:
    text = yaml.safe_dump(
        data,
        default_flow_style=flow,
        default_style=style,
        width=width,
        indent=indent,
        allow_unicode=True,
        sort_keys=False,
    )
    try:
        expected = reference(text)
    except TemplateLoadError:
        with pytest.raises(TemplateTextError):
            read_template(text)
        return
    assert same(expected, read_template(text))


_PLAIN = st.text(alphabet=st.sampled_from(list("0123456789+-._:eExXbBoOaAfFnNlLsSuUyYtT~<")))


@given(_PLAIN.filter(lambda text: text.strip() == text and text))
def test_plain_scalars_have_the_yaml_1_1_types(text: str) -> None:
    try:
        expected = reference(f"key: {text}\n")["key"]
    except (TemplateLoadError, ValueError, TypeError):
        return
    if text == "<<":
        assert resolve_plain(text) is MERGE
        return
    assert same(expected, read_yaml(f"key: {text}\n")["key"])
