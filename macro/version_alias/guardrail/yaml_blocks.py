"""Block scalars for the template reader: literal (`|`) and folded (`>`) text, with
chomping (`-`, `+`) and indentation indicators, as in `Code: {ZipFile: |` or a
`!Sub |` policy document.

YAML 1.1 chapter 9.2 (https://yaml.org/spec/1.1/#id926597), read as libyaml reads it:
the indentation is that of the first non-blank line (or of a longer blank line before
it) unless an indicator gives it; a folded line break becomes a space only between two
lines that start without a blank; a clipped scalar keeps one final line break, a kept one
all of them, a stripped one none.
"""

from __future__ import annotations

from .yaml_scalars import BLANK, YamlError


def block_scalar(text: str, position: int, parent_indent: int) -> tuple[str, int]:
    """A literal (`|`) or folded (`>`) block scalar (YAML 1.1 chapter 9.2) whose header is
    at `position`, in a collection indented by `parent_indent`. Returns the text and the
    position of the first line after it (a line start)."""
    folded = text[position] == ">"
    position += 1
    chomping: bool | None = None  # None clip, True keep (+), False strip (-)
    increment: int | None = None
    for _ in range(2):
        character = text[position : position + 1]
        if character in ("+", "-") and chomping is None:
            chomping = character == "+"
            position += 1
        elif character and character in "0123456789" and increment is None:
            if character == "0":
                raise YamlError(position, "a block scalar's indentation indicator cannot be 0")
            increment = int(character)
            position += 1
    size = len(text)
    header_end = position
    while header_end < size and text[header_end] in BLANK:
        header_end += 1
    if header_end < size and text[header_end] == "#" and header_end > position:
        header_end = text.find("\n", header_end)
        header_end = size if header_end < 0 else header_end
    if header_end < size and text[header_end] != "\n":
        raise YamlError(header_end, "text after a block scalar's | or >; start it on the next line")
    position = min(header_end + 1, size)
    min_indent = max(parent_indent + 1, 1)
    breaks: list[str] = []
    if increment is None:
        indent, position, breaks = _detect_indent(text, position, min_indent)
    else:
        indent = min_indent + increment - 1
        position = _skip_indent(text, position, indent)
        position = _block_breaks(text, position, indent, breaks)
    chunks: list[str] = []
    line_break = ""
    while position < size and _column(text, position) == indent:
        chunks.extend(breaks)
        leading_blank = text[position] in BLANK
        line_end = text.find("\n", position)
        line_end = size if line_end < 0 else line_end
        chunks.append(text[position:line_end])
        line_break = "\n" if line_end < size else ""
        breaks = []
        position = _skip_indent(text, min(line_end + 1, size), indent)
        position = _block_breaks(text, position, indent, breaks)
        if position >= size or _column(text, position) != indent:
            break
        if folded and line_break and not leading_blank and text[position] not in BLANK:
            if not breaks:
                chunks.append(" ")
        else:
            chunks.append(line_break)
    if chomping is not False:
        chunks.append(line_break)
    if chomping is True:
        chunks.extend(breaks)
    return "".join(chunks), text.rfind("\n", 0, position) + 1 if position < size else size


def _column(text: str, position: int) -> int:
    return position - text.rfind("\n", 0, position) - 1


def _skip_indent(text: str, position: int, indent: int) -> int:
    """Up to `indent` spaces from a line start."""
    line_start = position
    while position < len(text) and position - line_start < indent and text[position] == " ":
        position += 1
    return position


def _block_breaks(text: str, position: int, indent: int, breaks: list[str]) -> int:
    """Blank lines (each shorter than the indentation) after a block scalar's line."""
    while position < len(text) and text[position] == "\n":
        breaks.append("\n")
        position = _skip_indent(text, position + 1, indent)
    return position


def _detect_indent(text: str, position: int, min_indent: int) -> tuple[int, int, list[str]]:
    """The indentation of a block scalar without an indicator: that of its first
    non-blank line, or of a longer blank line before it, and at least `min_indent`."""
    size = len(text)
    deepest = 0
    breaks: list[str] = []
    while position < size and text[position] in " \n":
        if text[position] == "\n":
            breaks.append("\n")
        else:
            deepest = max(deepest, _column(text, position) + 1)
        position += 1
    return max(min_indent, deepest), position, breaks
