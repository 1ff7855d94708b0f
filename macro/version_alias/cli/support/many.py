"""Reading the templates of a `check` or `lint` run before any is processed.

Parameter values given once apply to every template that declares them. A key that no
template declares is refused before anything runs (ParameterError), as for a single
template: a typo must not pass unnoticed because some other template was in the list.
A value a template's declaration refuses (parameter_constraints.py) is refused before
anything runs too. A template that cannot be read is kept with its error, so that it is
reported in order.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .parameters import ParameterError, check_values, declared_parameters, unknown_key_message
from .template_io import TemplateLoadError, load_template

if TYPE_CHECKING:
    from .common import Settings

Loaded = tuple[str, dict[str, Any] | None, Exception | None]


def load_all(names: Sequence[str], settings: Settings) -> tuple[list[Loaded], dict[str, str]]:
    """(name, template or None, load error or None) per argument, and the parameter values.
    Raises ParameterError for a parameter file that cannot be read or a key no template
    declares."""
    values = settings.parameters.values()
    loaded: list[Loaded] = []
    for name in names:
        try:
            loaded.append((name, load_template(name), None))
        except TemplateLoadError as problem:
            loaded.append((name, None, problem))
    templates = [template for _, template, _ in loaded if template is not None]
    if values and templates:
        declared = {key for template in templates for key in declared_parameters(template)}
        unknown = [key for key in values if key not in declared]
        if unknown:
            if len(names) == 1:
                message = unknown_key_message(unknown, sorted(declared), names[0])
            else:
                message = unknown_key_message(
                    unknown, sorted(declared), f"{len(templates)} templates", "they declare"
                )
            raise ParameterError(message)
    for name, template, _ in loaded:
        if template is not None:
            check_values(values, template, name)
    return loaded, values


class NotATemplate(Exception):
    """A file without a Resources section: a samconfig, a workflow, a parameter file."""


def skip_note(name: str, template: dict[str, Any], skip: bool) -> bool:
    """True (after a note on stderr) when `skip` and the file is no template (it has no
    Resources section); NotATemplate when it is none and not `skip`."""
    if "Resources" in template:
        return False
    if not skip:
        raise NotATemplate(
            f"{name}: no Resources section, so not a CloudFormation template. Fix: pass a "
            "template, or --skip-non-templates to skip such files"
        )
    print(f"note: {name}: skipped: no Resources section, so not a template", file=sys.stderr)
    return True
