"""Render a template exactly as CloudFormation would: SAM first when asked, then the macro."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...context import TransformContext
from ...errors import TransformError
from ...notes import Note
from ...transform import process
from .artifacts import Artifact, ArtifactError, localize_artifacts
from .language_extensions import NAME as LANGUAGE_EXTENSIONS
from .language_extensions import uses_language_extensions
from .notes import notes
from .sam_detect import SAM_TRANSFORM, SamTranslateError, is_sam_template
from .template_io import TemplateLoadError, load_template

MACRO = "VersionAlias"
SAM = SAM_TRANSFORM


class RenderError(Exception):
    """A template the CLI cannot render; the message says why and how to fix it."""


# Everything that means "this template cannot be rendered": exit code 1, message only.
TEMPLATE_ERRORS = (TemplateLoadError, RenderError, SamTranslateError, ArtifactError)


@dataclass
class Rendered:
    template: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    artifacts: list[Artifact] = field(default_factory=list)
    pre_macro: dict[str, Any] = field(default_factory=dict)  # what the macro received
    notes: tuple[Note, ...] = ()  # the core's own notes, also in `warnings` as text


def transforms_of(template: dict[str, Any]) -> list[str]:
    declared = template.get("Transform")
    if declared is None:
        return []
    items = declared if isinstance(declared, list) else [declared]
    return [item if isinstance(item, str) else str(item.get("Name", item)) for item in items]


def render(
    template: dict[str, Any],
    context: TransformContext,
    base: Path | None = None,
    allow_missing_artifacts: bool = False,
) -> Rendered:
    """SAM (when the template asks for it), then VersionAlias, as CloudFormation runs them.

    With `base` (the template's folder), local artifact paths are first replaced by
    content digests, as `sam package` would replace them by S3 locations.
    """
    warnings: list[str] = []
    declared = transforms_of(template)
    if MACRO in declared and SAM in declared and declared.index(MACRO) < declared.index(SAM):
        raise RenderError(
            f"Transform lists {MACRO} before {SAM}; CloudFormation runs them in order, so the "
            f"macro would see no Lambda functions. Write Transform: [{SAM}, {MACRO}]."
        )
    applied = {MACRO, SAM}
    others = [name for name in declared if name not in applied]
    if LANGUAGE_EXTENSIONS in others and not uses_language_extensions(template):
        others.remove(LANGUAGE_EXTENSIONS)
        applied.add(LANGUAGE_EXTENSIONS)
        warnings.append(
            f"{LANGUAGE_EXTENSIONS} is listed but none of its features is used; rendered "
            "without it."
        )
    if others:
        raise RenderError(
            f"Transform {', '.join(others)} cannot be rendered locally; render the template "
            "after that transform (for example from a change set's processed template)."
        )
    if MACRO not in declared:
        warnings.append(f"the template does not list {MACRO} in Transform; rendered as if it did.")
    current, artifacts = (
        localize_artifacts(template, base, allow_missing_artifacts) if base else (template, [])
    )
    for artifact in artifacts:
        if artifact.missing:
            warnings.append(
                f"{artifact.resource}.{artifact.property}: local path {artifact.local_path!r} "
                "does not exist; hashed by its name, so edits to that code will not show."
            )
    if is_sam_template(current):
        from .sam_translate import translate_sam  # samtranslator and boto3: only when needed

        current = translate_sam(
            current,
            dict(context.parameter_values),
            region=context.region,
            account_id=context.account_id,
        )
    processed, core_notes = process(current, context)
    warnings.extend(str(note) for note in core_notes)
    warnings.extend(notes(current, processed))
    remaining = [name for name in transforms_of(processed) if name not in applied]
    processed = {key: value for key, value in processed.items() if key != "Transform"}
    if remaining:
        processed["Transform"] = remaining
    return Rendered(processed, warnings, artifacts, pre_macro=current, notes=core_notes)


def template_folder(path: Path | None) -> Path:
    """Local artifact paths are relative to the template's folder (stdin: the cwd)."""
    return path.resolve().parent if path else Path.cwd()


def render_file(
    path: Path | None,
    context: TransformContext,
    allow_missing_artifacts: bool = False,
    template: dict[str, Any] | None = None,
) -> Rendered:
    """Load and render one template file (None: stdin), as every subcommand does. A caller
    that has loaded it already passes `template` (stdin cannot be read twice).

    A TransformError is re-raised as RenderError naming the file, so callers handle one
    family of errors (TEMPLATE_ERRORS).
    """
    name = str(path) if path else "-"
    if template is None:
        template = load_template(name)
    try:
        return render(template, context, template_folder(path), allow_missing_artifacts)
    except TransformError as problem:
        raise RenderError(f"{name}: {problem}") from None
