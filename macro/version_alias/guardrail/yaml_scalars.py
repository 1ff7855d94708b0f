"""YAML scalars for the guardrail's template reader: plain, quoted and block scalars, and
what an untagged plain scalar means (YAML 1.1 implicit types).

Everything is read the way `version-alias check` reads a template (libyaml's safe loader
with CloudFormation's tags, cli/support/template_load.py), so that the guardrail and the
CLI see the same template: `yes` is True, `0x1F` is 31, `017` is 15, `1:20` is 80,
`1e3` stays text (a YAML 1.1 float needs a dot), an unquoted date stays its ISO text.
Rules from the YAML 1.1 spec (https://yaml.org/spec/1.1/, chapters 4.6 and 9) and its
type repository (https://yaml.org/type/). The text has `\\n` line breaks only (the reader
normalises `\\r\\n` and `\\r` first).

Each scanner takes the text and the position of the scalar's first character and returns
(value, position after it); a problem raises YamlError with the position.
"""

from __future__ import annotations

import datetime
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

BLANK = " \t"
FLOW_INDICATORS = ",[]{}"


class YamlError(Exception):
    """A template the reader cannot read: `position` in the text and what is wrong. The
    message never quotes the template's text."""

    def __init__(self, position: int, what: str) -> None:
        super().__init__(what)
        self.position = position
        self.what = what


class _Merge:
    """The `<<` merge key (https://yaml.org/type/merge.html)."""

    def __repr__(self) -> str:
        return "<<"


MERGE = _Merge()

# https://yaml.org/type/bool.html, int.html, float.html, null.html, timestamp.html
_BOOL = re.compile(r"yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF")
_FLOAT = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?"
    r"|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*"
    r"|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN)"
)
_INT = re.compile(
    r"[-+]?0b[0-1_]+"
    r"|[-+]?0[0-7_]+"
    r"|[-+]?(?:0|[1-9][0-9_]*)"
    r"|[-+]?0x[0-9a-fA-F_]+"
    r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
)
_NULL = re.compile(r"~|null|Null|NULL|")
_TIMESTAMP = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})"
    r"(?:(?:[Tt]|[ \t]+)(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})"
    r"(?:\.(?P<fraction>[0-9]*))?"
    r"(?:[ \t]*(?P<tz>Z|(?P<tz_sign>[-+])(?P<tz_hour>[0-9]{1,2})(?::(?P<tz_minute>[0-9]{2}))?))?)?"
)
_DATE_ONLY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TRUE = frozenset({"yes", "true", "on"})


def resolve_plain(text: str) -> Any:
    """What an untagged plain scalar means: None, bool, int, float, `MERGE`, or text (a
    timestamp stays text, in ISO form). Raises ValueError for `=` (YAML's value key,
    which has no meaning in a template) and for an impossible date."""
    first = text[:1]
    if first in "yYnNtTfFoO" and _BOOL.fullmatch(text):
        return text.lower() in _TRUE
    if first in "-+0123456789.":
        if _FLOAT.fullmatch(text):
            return _float(text)
        if _INT.fullmatch(text):
            return _int(text)
    if (first in "~nN" or not text) and _NULL.fullmatch(text):
        return None
    if text == "<<":
        return MERGE
    if text == "=":
        raise ValueError("`=` (YAML's value key) has no meaning in a template; quote it")
    if first.isdigit() and len(text) >= 10:
        found = _TIMESTAMP.fullmatch(text)
        if found and (found.group("hour") is not None or _DATE_ONLY.fullmatch(text)):
            return _timestamp(found)
    return text


def _int(text: str) -> int:
    digits = text.replace("_", "")
    sign = -1 if digits[0] == "-" else 1
    if digits[0] in "+-":
        digits = digits[1:]
    if digits == "0":
        return 0
    if digits.startswith("0b"):
        return sign * int(digits[2:], 2)
    if digits.startswith("0x"):
        return sign * int(digits[2:], 16)
    if digits[0] == "0":
        return sign * int(digits, 8)
    if ":" in digits:
        return sign * _sexagesimal(digits)
    return sign * int(digits)


def _float(text: str) -> float:
    digits = text.replace("_", "").lower()
    sign = -1.0 if digits[0] == "-" else 1.0
    if digits[0] in "+-":
        digits = digits[1:]
    if digits == ".inf":
        return sign * float("inf")
    if digits == ".nan":
        return float("nan")
    if ":" in digits:
        return sign * float(_sexagesimal(digits))
    return sign * float(digits)


def _sexagesimal(digits: str) -> int | float:
    """`1:20` is 80, `1:20.5` is 80.5 (base 60, https://yaml.org/type/int.html)."""
    value: int | float = 0
    base = 1
    parts = digits.split(":")
    last = float(parts[-1]) if "." in parts[-1] else int(parts[-1])
    value += last
    for part in reversed(parts[:-1]):
        base *= 60
        value += int(part) * base
    return value


def _timestamp(found: re.Match[str]) -> str:
    """A timestamp as the text a template means by it: `2010-09-09` stays as written, a
    date and time becomes Python's ISO form (as template_load.py reads it)."""
    year, month, day = (int(found.group(name)) for name in ("year", "month", "day"))
    if found.group("hour") is None:
        return datetime.date(year, month, day).isoformat()
    fraction = (found.group("fraction") or "")[:6].ljust(6, "0")
    zone = None
    if found.group("tz_sign"):
        delta = datetime.timedelta(
            hours=int(found.group("tz_hour")), minutes=int(found.group("tz_minute") or 0)
        )
        zone = datetime.timezone(-delta if found.group("tz_sign") == "-" else delta)
    elif found.group("tz"):
        zone = datetime.UTC
    moment = datetime.datetime(
        year,
        month,
        day,
        int(found.group("hour")),
        int(found.group("minute")),
        int(found.group("second")),
        int(fraction),
        tzinfo=zone,
    )
    return moment.isoformat()


# -- plain scalars ---------------------------------------------------------------------
def can_start_plain(text: str, position: int, flow: bool) -> bool:
    """Whether a plain scalar may start here (YAML 1.1 production 9.4: not an indicator,
    except `-`, `?` and `:` before a non-blank)."""
    character = text[position]
    if character not in "-?:,[]{}#&*!|>'\"%@`":
        return True
    following = text[position + 1 : position + 2]
    if not following or following in " \t\n":
        return False
    return character == "-" or (not flow and character in "?:")


def plain_scalar(text: str, position: int, min_indent: int, flow: bool) -> tuple[str, int]:
    """A plain scalar and the position after its last character. It ends before `: `,
    ` #`, a line less indented than `min_indent` (block context), a comment line or a
    document marker; in a flow collection also before `,[]{}`. Line breaks fold: one
    break is a space, each further blank line a newline."""
    size = len(text)
    chunks: list[str] = []
    separator = ""
    end = position
    while True:
        start = position
        while position < size:
            character = text[position]
            if character in " \t\n":
                break
            if character == ":":
                following = text[position + 1 : position + 2]
                if not following or following in " \t\n" or (flow and following in ",[]{}"):
                    break
            elif flow and character in FLOW_INDICATORS:
                break
            position += 1
        if position == start:
            break
        chunks.append(separator)
        chunks.append(text[start:position])
        end = position
        blank_end = position
        while blank_end < size and text[blank_end] in BLANK:
            blank_end += 1
        if blank_end >= size or text[blank_end] == "#":
            break
        if text[blank_end] != "\n":
            separator = text[position:blank_end]
            position = blank_end
            continue
        position, separator = _fold_lines(text, blank_end, min_indent, flow)
        if position < 0:
            break
    return "".join(chunks), end


def _fold_lines(text: str, position: int, min_indent: int, flow: bool) -> tuple[int, str]:
    """From a line break inside a plain scalar: the position where the scalar goes on and
    the separator the breaks fold into, or (-1, "") when the scalar ends here."""
    size = len(text)
    newlines = 0
    while True:
        line_start = position + 1
        position = line_start
        while position < size and text[position] in BLANK:
            position += 1
        tab = text.find("\t", line_start, position)
        if not flow and 0 <= tab < line_start + min_indent:
            raise YamlError(tab, "a tab character in the indentation")
        if position >= size:
            return -1, ""
        if text[position] == "\n":
            newlines += 1
            continue
        if text.startswith(("---", "..."), line_start) and (
            text[line_start + 3 : line_start + 4] in ("", " ", "\t", "\n")
        ):
            return -1, ""
        if text[position] == "#" or (not flow and position - line_start < min_indent):
            return -1, ""
        return position, "\n" * newlines if newlines else " "


# -- quoted scalars --------------------------------------------------------------------
_ESCAPES = {
    "0": "\0",
    "a": "\x07",
    "b": "\x08",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\x0b",
    "f": "\x0c",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_HEX_LENGTHS = {"x": 2, "u": 4, "U": 8}
_HEX_DIGITS = "0123456789abcdefABCDEF"


def quoted_scalar(text: str, position: int) -> tuple[str, int]:
    """A single- or double-quoted scalar (YAML 1.1 chapter 9.1): escapes in double quotes,
    `''` in single quotes, line breaks folded. Returns the text and the position after the
    closing quote."""
    quote = text[position]
    double = quote == '"'
    opening = position
    position += 1
    size = len(text)
    chunks: list[str] = []
    while True:
        if position >= size:
            raise YamlError(opening, "a quoted string that is never closed")
        character = text[position]
        if character == quote:
            if not double and text[position + 1 : position + 2] == "'":
                chunks.append("'")
                position += 2
                continue
            return "".join(chunks), position + 1
        if double and character == "\\":
            position = _escape(text, position, chunks)
        elif character in " \t\n":
            blank_end = position
            while blank_end < size and text[blank_end] in BLANK:
                blank_end += 1
            if blank_end < size and text[blank_end] == "\n":
                position = _quoted_breaks(text, blank_end, chunks, opening, join=False)
            else:
                chunks.append(text[position:blank_end])
                position = blank_end
        else:
            stop = position + 1
            while stop < size and text[stop] not in " \t\n\\'\"":
                stop += 1
            chunks.append(text[position:stop])
            position = stop


def _escape(text: str, position: int, chunks: list[str]) -> int:
    code = text[position + 1 : position + 2]
    if code in _ESCAPES:
        chunks.append(_ESCAPES[code])
        return position + 2
    if code in _HEX_LENGTHS:
        digits = text[position + 2 : position + 2 + _HEX_LENGTHS[code]]
        if len(digits) != _HEX_LENGTHS[code] or digits.strip(_HEX_DIGITS):
            raise YamlError(position, f"a \\{code} escape needs {_HEX_LENGTHS[code]} hex digits")
        chunks.append(chr(int(digits, 16)))
        return position + 2 + len(digits)
    if code == "\n":
        return _quoted_breaks(text, position + 1, chunks, position, join=True)
    raise YamlError(position, "an unknown escape in a double-quoted string")


def _quoted_breaks(text: str, position: int, chunks: list[str], opening: int, join: bool) -> int:
    """At a line break inside quotes: fold it (a space, or a newline per blank line) and
    skip the next line's indentation. After an escaped break (`join`), no space."""
    size = len(text)
    newlines = 0
    while True:
        position += 1
        line_start = position
        while position < size and text[position] in BLANK:
            position += 1
        if text.startswith(("---", "..."), line_start) and (
            text[line_start + 3 : line_start + 4] in ("", " ", "\t", "\n")
        ):
            raise YamlError(line_start, "a document marker inside a quoted string")
        if position < size and text[position] == "\n":
            newlines += 1
            continue
        break
    if position >= size:
        raise YamlError(opening, "a quoted string that is never closed")
    chunks.append("\n" * newlines if newlines else ("" if join else " "))
    return position
