"""Flow collections for the template reader: `[a, b]` and `{Key: value}`, on one line or
several, as JSON-style templates and short forms write them (`!Join ['', [a, !Ref B]]`).

YAML 1.1 chapter 9.3 (https://yaml.org/spec/1.1/#id907281): entries separated by
commas (a trailing comma is allowed), `key: value` pairs in mappings, a single
`key: value` pair as a sequence entry (`[a: 1]` is `[{a: 1}]`), comments after a blank.
In a flow collection a plain scalar also ends before `,[]{}`, and `{a:1}` is the key
`a:1` (a colon needs a blank after it) while `{"a":1}` is `a` to 1, as in libyaml.
"""

from __future__ import annotations

from .yaml_nodes import build_mapping
from .yaml_scalars import YamlError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    class Reader(Protocol):
        """What the flow parser uses of yaml_reader's reader."""

        text: str
        size: int
        position: int

        def flow_space(self) -> None: ...
        def properties(self, flow: bool) -> tuple[str | None, str | None]: ...
        def flow_or_scalar(
            self, anchor: str | None, tag: str | None, min_indent: int, flow: bool
        ) -> Any: ...


def flow_collection(reader: Reader) -> Any:
    """The `[...]` or `{...}` at the reader's position; the position moves past its end."""
    text = reader.text
    opening = reader.position
    closing = "]" if text[opening] == "[" else "}"
    reader.position += 1
    items: list[Any] = []
    pairs: list[tuple[Any, Any, int]] = []
    while True:
        reader.flow_space()
        if reader.position >= reader.size:
            raise YamlError(opening, f"a {text[opening]} that is never closed with {closing}")
        character = text[reader.position]
        if character == closing:
            reader.position += 1
            return items if closing == "]" else build_mapping(pairs)
        if character == "?" and text[reader.position + 1 : reader.position + 2] in " \t\n":
            raise YamlError(reader.position, "an explicit `? ` key; write `key: value`")
        if character in ",]}":
            raise YamlError(reader.position, "an empty entry or a bracket that does not match")
        start = reader.position
        entry = _node(reader)
        reader.flow_space()
        if text.startswith(":", reader.position):
            reader.position += 1
            pair = (entry, _value(reader, closing), start)
            if closing == "]":
                items.append(build_mapping([pair]))
            else:
                pairs.append(pair)
        elif closing == "]":
            items.append(entry)
        else:
            pairs.append((entry, None, start))
        reader.flow_space()
        if text.startswith(",", reader.position):
            reader.position += 1
        elif reader.position >= reader.size:
            raise YamlError(opening, f"a {text[opening]} that is never closed with {closing}")
        elif not text.startswith(closing, reader.position):
            raise YamlError(reader.position, f"expected `,` or `{closing}` in a flow collection")


def _node(reader: Reader) -> Any:
    reader.flow_space()
    anchor, tag = reader.properties(flow=True)
    return reader.flow_or_scalar(anchor, tag, 0, flow=True)


def _value(reader: Reader, closing: str) -> Any:
    """The value after `key:`; empty (null) when a `,` or the closing bracket follows."""
    reader.flow_space()
    if reader.position < reader.size and reader.text[reader.position] in ",]}":
        return None
    return _node(reader)
