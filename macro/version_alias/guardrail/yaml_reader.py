"""A YAML template as plain Python objects, with the standard library only.

CloudFormation hands a stack-level hook the template as the user submitted it, JSON or
YAML (template_text.py cites the page), and the Lambda package has no YAML library. This
reader covers the YAML that templates use, read as `version-alias check` reads it
(cli/support/template_load.py: libyaml's safe loader): block and flow collections, plain,
quoted and block scalars, comments, one document with optional `---`/`...` markers and
directives, anchors, aliases and `<<` merges, YAML 1.1 implicit types (yaml_scalars.py),
and CloudFormation's short-form tags: `!Ref` and `!Condition` keep their names, every
other `!X` becomes `Fn::X`, `!GetAtt A.B.C` splits at the first dot. A duplicate key is an
error (CloudFormation would keep only one), except in a mapping with a `<<` merge.

Not read (a YamlError says so): explicit `? ` keys, collections as keys, a node's tag or
anchor on a mapping key, tag handles other than `!` and `!!`, and the `!!` types that
mean nothing in a template (binary, set, omap, pairs).
"""

from __future__ import annotations

from .yaml_blocks import block_scalar
from .yaml_flow import flow_collection
from .yaml_nodes import build_mapping, tagged
from .yaml_scalars import (
    BLANK,
    YamlError,
    can_start_plain,
    plain_scalar,
    quoted_scalar,
    resolve_plain,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_END = -1  # the indent next_line reports at the end of the document


def read_yaml(text: str) -> Any:
    """The single document in `text`. Raises YamlError (position and what is wrong)."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    return _Reader(normalised.removeprefix("\ufeff")).document()


class _Reader:
    """One pass over the text; `position` only moves forward."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.size = len(text)
        self.position = 0
        self.anchors: dict[str, Any] = {}

    # -- the document ------------------------------------------------------------------
    def document(self) -> Any:
        indent, start = self.next_line()
        while indent == 0 and self.text.startswith("%", start):
            self.position = self._line_end(start) + 1
            indent, start = self.next_line()
            if indent == _END and not self.text.startswith("---", start):
                raise YamlError(start, "a directive (%) without a document after it")
        value: Any = None
        if indent == _END and self.text.startswith("---", start):
            self.position = start + 3
            value = self.node(-1, inline=True, compact=False, same_indent_sequence=False)
            self.finish_line()
        elif indent != _END:
            self.position = start
            value = self.node(-1, inline=False, compact=True, same_indent_sequence=False)
            self.finish_line()
        indent, start = self.next_line()
        if indent == _END and self.text.startswith("...", start):
            self.position = start + 3
            self.finish_line()
            indent, start = self.next_line()
        if indent != _END or start < self.size:
            what = "a second document" if self.text.startswith("---", start) else "text"
            raise YamlError(start, f"{what} after the template's document; remove it")
        return value

    # -- lines -------------------------------------------------------------------------
    def next_line(self) -> tuple[int, int]:
        """(indent, position of its first character) of the next line with content, from
        a line start; blank and comment lines are skipped. (_END, position) at the end
        of the text or at a `---` or `...` marker."""
        text, size = self.text, self.size
        line = self.position
        while line < size:
            content = line
            while content < size and text[content] in BLANK:
                content += 1
            if content >= size:
                break
            if text[content] == "\n":
                line = content + 1
                continue
            if text[content] == "#":
                line = self._line_end(content) + 1
                continue
            if "\t" in text[line:content]:
                raise YamlError(text.index("\t", line), "a tab character in the indentation")
            if content == line and self._marker(line):
                return _END, line
            return content - line, content
        return _END, size

    def _marker(self, position: int) -> bool:
        return self.text.startswith(("---", "..."), position) and (
            self.text[position + 3 : position + 4] in ("", " ", "\t", "\n")
        )

    def _line_end(self, position: int) -> int:
        end = self.text.find("\n", position)
        return self.size if end < 0 else end

    def finish_line(self) -> None:
        """After a node: only blanks and a comment may follow on its line."""
        text = self.text
        position = self.position
        if position == 0 or text[position - 1] == "\n":
            return  # a block scalar ended at a line start
        while position < self.size and text[position] in BLANK:
            position += 1
        if position < self.size and text[position] == "#":
            position = self._line_end(position)
        if position < self.size and text[position] != "\n":
            what = (
                "a `key: value` where a value was expected (quote a value that holds ': ')"
                if text[position] == ":"
                else "more text after a complete value"
            )
            raise YamlError(position, what)
        self.position = min(position + 1, self.size)

    def column(self, position: int) -> int:
        return position - self.text.rfind("\n", 0, position) - 1

    def _skip_blanks(self) -> None:
        while self.position < self.size and self.text[self.position] in BLANK:
            self.position += 1

    def _at_line_end(self) -> bool:
        position = self.position
        return position >= self.size or self.text[position] in "\n#"

    # -- block nodes -------------------------------------------------------------------
    def node(self, parent: int, *, inline: bool, compact: bool, same_indent_sequence: bool) -> Any:
        """The node at the position, inside a block collection indented by `parent`.

        inline: on the line of its `key:`, `- ` or `---`; compact: a `- ` entry or a
        `key:` may start here (a fresh line, or after `- `); same_indent_sequence: a
        mapping value, which may be a `- ` sequence at the key's own indent."""
        self._skip_blanks()
        anchor, tag = self.properties(flow=False)
        if self._at_line_end() and (inline or anchor or tag):
            line_end = self.position
            self.position = min(self._line_end(line_end) + 1, self.size)
            indent, start = self.next_line()
            if indent > parent:
                self.position = start
                value = self.node(parent, inline=False, compact=True, same_indent_sequence=False)
            elif same_indent_sequence and indent == parent and self._entry(start):
                self.position = start
                value = self.block_sequence(parent)
            else:
                self.position = line_end
                value = self._empty(tag)
            return self.decorate(value, anchor, tag, "")
        position = self.position
        character = self.text[position] if position < self.size else ""
        if self._entry(position):
            if not compact:
                raise YamlError(position, "a `- ` list cannot start on the line of its key")
            value: Any = self.block_sequence(self.column(position))
        elif compact and not anchor and not tag and self._key_end(position) >= 0:
            value = self.block_mapping(self.column(position))
        elif character in "|>" and character:
            text, self.position = block_scalar(self.text, position, parent)
            return self.decorate(text, anchor, tag, "|")
        else:
            return self.flow_or_scalar(anchor, tag, parent + 1, flow=False)
        return self.decorate(value, anchor, tag, "")

    def _entry(self, position: int) -> bool:
        return self.text.startswith("-", position) and (
            self.text[position + 1 : position + 2] in ("", " ", "\t", "\n")
        )

    def block_sequence(self, indent: int) -> list[Any]:
        items: list[Any] = []
        while True:
            self.position += 1  # the `-`
            items.append(self.node(indent, inline=True, compact=True, same_indent_sequence=False))
            self.finish_line()
            line_indent, start = self.next_line()
            if line_indent == indent and self._entry(start):
                self.position = start
                continue
            if line_indent > indent:
                raise YamlError(start, "this line is indented more than the `- ` entries above")
            return items

    def block_mapping(self, indent: int) -> dict[Any, Any]:
        pairs: list[tuple[Any, Any, int]] = []
        while True:
            key_position = self.position
            key_end = self._key_end(key_position)
            if key_end < 0:
                what = (
                    "a `- ` entry where a `key:` was expected"
                    if self._entry(key_position)
                    else "a line without `key:` inside a mapping"
                )
                raise YamlError(key_position, what)
            key = self.key(key_position, key_end)
            self.position = key_end + 1  # after the `:`
            value = self.node(indent, inline=True, compact=False, same_indent_sequence=True)
            pairs.append((key, value, key_position))
            self.finish_line()
            line_indent, start = self.next_line()
            if line_indent == indent:
                self.position = start
                continue
            if line_indent > indent:
                raise YamlError(start, "this line is indented more than the keys above")
            return build_mapping(pairs)

    def _key_end(self, position: int) -> int:
        """The position of the `:` after a simple key on this line, or -1 when the line
        holds no `key:` here (one line, a plain or quoted scalar, then `:` and a blank)."""
        text = self.text
        if position >= self.size:
            return -1
        character = text[position]
        if character in "\"'":
            try:
                _, end = quoted_scalar(text, position)
            except YamlError:
                return -1
            if "\n" in text[position:end]:
                return -1
        elif can_start_plain(text, position, flow=False):
            end = position
            line_end = self._line_end(position)
            while end < line_end:
                if text[end] == ":" and text[end + 1 : end + 2] in ("", " ", "\t", "\n"):
                    return end
                if text[end] == "#" and text[end - 1] in BLANK:
                    return -1
                end += 1
            return -1
        else:
            return -1
        while end < self.size and text[end] in BLANK:
            end += 1
        if text.startswith(":", end) and text[end + 1 : end + 2] in ("", " ", "\t", "\n"):
            return end
        return -1

    def key(self, start: int, colon: int) -> Any:
        if self.text[start] in "\"'":
            return quoted_scalar(self.text, start)[0]
        try:
            return resolve_plain(self.text[start:colon].rstrip(BLANK))
        except ValueError:
            return self.text[start:colon].rstrip(BLANK)  # `=` is a key like any other

    # -- nodes in either context -------------------------------------------------------
    def properties(self, flow: bool) -> tuple[str | None, str | None]:
        """A node's anchor (`&name`) and tag (`!Name`, `!!type`), in either order."""
        anchor = tag = None
        text = self.text
        while self.position < self.size:
            character = text[self.position]
            if character == "&" and anchor is None:
                anchor = self._name()
            elif character == "!" and tag is None:
                start = self.position
                end = start
                while end < self.size and text[end] not in " \t\n":
                    end += 1
                tag = text[start:end]
                if tag.startswith("!<") or "!" in tag[2 if tag.startswith("!!") else 1 :]:
                    raise YamlError(start, "a tag form templates do not use (!<...>, !x!y)")
                self.position = end
            else:
                break
            if flow:
                self.flow_space()
            else:
                self._skip_blanks()
        return anchor, tag

    def _name(self) -> str:
        """An anchor or alias name after `&` or `*`."""
        start = self.position + 1
        end = start
        while end < self.size and self.text[end] not in " \t\n,[]{}":
            end += 1
        if end == start:
            raise YamlError(self.position, "an anchor or alias without a name")
        self.position = end
        return self.text[start:end]

    def flow_or_scalar(
        self, anchor: str | None, tag: str | None, min_indent: int, flow: bool
    ) -> Any:
        """A flow collection, a quoted scalar, an alias or a plain scalar."""
        position = self.position
        character = self.text[position] if position < self.size else ""
        if character in ("[", "{"):
            return self.decorate(flow_collection(self), anchor, tag, "")
        if character in ("'", '"'):
            text, self.position = quoted_scalar(self.text, position)
            return self.decorate(text, anchor, tag, "'")
        if character == "*":
            if anchor or tag:
                raise YamlError(position, "an alias cannot have an anchor or a tag")
            name = self._name()
            if name not in self.anchors:
                raise YamlError(position, "an alias to an anchor that is not defined above")
            return self.anchors[name]
        if not character or character in "\n#" or (flow and character in ",]}:"):
            return self.decorate(self._empty(tag), anchor, tag, "")
        if not can_start_plain(self.text, position, flow):
            if character == "?":
                raise YamlError(position, "an explicit `? ` key; write `key: value`")
            raise YamlError(position, "a value cannot start with this character; quote it")
        text, self.position = plain_scalar(self.text, position, min_indent, flow)
        return self.decorate(text, anchor, tag, "plain" if tag in (None, "!") else "")

    @staticmethod
    def _empty(tag: str | None) -> Any:
        """An empty node: null, or empty text under a tag (`!Ref` alone is `Ref: ""`)."""
        return None if tag is None or tag == "!" else ""

    def decorate(self, value: Any, anchor: str | None, tag: str | None, style: str) -> Any:
        """Apply a node's tag (CloudFormation short forms, `!!` types) and anchor.
        `style` is "plain" for an untagged plain scalar, "" for collections."""
        if style == "plain":
            try:
                value = resolve_plain(value)
            except ValueError as problem:
                raise YamlError(self.position, str(problem)) from None
        elif tag and tag != "!":
            value = tagged(value, tag, self.position)
        if anchor is not None:
            self.anchors[anchor] = value
        return value

    def flow_space(self) -> None:
        """Blanks, line breaks and comments between the parts of a flow collection."""
        text = self.text
        while self.position < self.size:
            character = text[self.position]
            if character in " \t\n":
                self.position += 1
            elif character == "#" and text[self.position - 1] in " \t\n":
                self.position = self._line_end(self.position)
            else:
                return
