"""Render a template exactly as CloudFormation would: the declared transforms, in order.

CloudFormation runs the transforms a template lists under `Transform`, in that order:
`AWS::Serverless-2016-10-31` (SAM) only when it is listed, the macro only when it is
listed. `render`, `diff` and `lint` preview a template that does not list the macro as if
it did (with a warning); `check` checks what CloudFormation will see, so it runs only what
is declared. A template with `AWS::Serverless::*` resources that lists the macro but not
SAM reaches the macro untranslated, and fails with the macro's own message, as it will
in CloudFormation.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...context import TransformContext
from ...errors import TransformError, format_path
from ...notes import Note
from ...transform import process
from .artifacts import Artifact, ArtifactError, ArtifactOptions, localize_artifacts
from .language_extensions import NAME as LANGUAGE_EXTENSIONS
from .language_extensions import first_use
from .notes import moved_urls, notes, url_note
from .sam_detect import SAM_TRANSFORM, SamTranslateError, is_sam_template
from .snippets import SnippetError, snippet_transforms
from .template_load import TemplateLoadError, load_template, locate

MACRO = "VersionAlias"
MACRO_ENV = "VERSION_ALIAS_MACRO_NAME"
SAM = SAM_TRANSFORM


class RenderError(Exception):
    """A template the CLI cannot render; the message says why and how to fix it, and
    `path` (keys from the template root) where, when one place is to blame."""

    def __init__(self, message: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.path = path


# Everything that means "this template cannot be rendered": exit code 1, message only.
TEMPLATE_ERRORS = (TemplateLoadError, RenderError, SamTranslateError, ArtifactError, SnippetError)


def default_macro_name() -> str:
    """The macro's name: $VERSION_ALIAS_MACRO_NAME, else VersionAlias."""
    return os.environ.get(MACRO_ENV) or MACRO


@dataclass(frozen=True)
class RenderOptions:
    """macro_name: the name the macro is deployed under (`--macro-name`);
    as_if_macro: render a template that does not list the macro as if it did (False for
    `check`, which checks what CloudFormation will see); artifacts: how local code is read.
    """

    macro_name: str = MACRO
    as_if_macro: bool = True
    artifacts: ArtifactOptions = field(default_factory=ArtifactOptions)


@dataclass
class Rendered:
    template: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    artifacts: list[Artifact] = field(default_factory=list)
    pre_macro: dict[str, Any] = field(default_factory=dict)  # what the macro received
    notes: tuple[Note, ...] = ()  # the core's own notes, also in `warnings` as text
    macro_declared: bool = True  # False: rendered "as if", or not run at all (check)
    moved_urls: list[str] = field(default_factory=list)  # function URLs moved to the alias

    @property
    def deployed(self) -> dict[str, Any]:
        """What CloudFormation deploys for this template: the macro's output only when the
        template lists the macro."""
        return self.template if self.macro_declared else self.pre_macro


def not_listed(macro: str) -> str:
    """The warning for a template rendered as if it listed the macro."""
    return f"the template does not list {macro} in Transform; rendered as if it did."


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
    options: RenderOptions | None = None,
) -> Rendered:
    """The template's transforms as CloudFormation runs them (see the module docstring).

    With `base` (the template's folder), local artifact paths are first replaced by
    content digests, as `sam package` would replace them by S3 locations.
    """
    options = options or RenderOptions()
    macro = options.macro_name
    warnings: list[str] = []
    declared = transforms_of(template)
    applied = _check_declared(declared, macro, template, warnings)
    warnings.extend(snippet_transforms(template))
    current, artifacts = (
        localize_artifacts(template, base, options.artifacts) if base else (template, [])
    )
    for artifact in artifacts:
        if artifact.missing:
            warnings.append(
                f"{artifact.resource}.{artifact.property}: local path {artifact.local_path!r} "
                "does not exist; hashed by its name, so edits to that code will not show."
            )
    run_macro = macro in declared or options.as_if_macro
    if SAM in declared or (not declared and run_macro and is_sam_template(current)):
        from .sam_translate import translate_sam  # samtranslator and boto3: only when needed

        current = translate_sam(
            current,
            dict(context.parameter_values),
            region=context.region,
            account_id=context.account_id,
        )
    if not run_macro:
        return Rendered(current, warnings, artifacts, pre_macro=current, macro_declared=False)
    if macro not in declared:
        warnings.append(not_listed(macro))
    processed, core_notes = process(current, context)
    warnings.extend(str(note) for note in core_notes)
    moved = moved_urls(current, processed)
    if moved:
        warnings.append(url_note(moved))
    warnings.extend(notes(current, processed))
    remaining = [name for name in transforms_of(processed) if name not in applied]
    processed = {key: value for key, value in processed.items() if key != "Transform"}
    if remaining:
        processed["Transform"] = remaining
    return Rendered(
        processed,
        warnings,
        artifacts,
        pre_macro=current,
        notes=core_notes,
        macro_declared=macro in declared,
        moved_urls=moved,
    )


def _check_declared(
    declared: list[str], macro: str, template: dict[str, Any], warnings: list[str]
) -> set[str]:
    """The transforms rendered locally; RenderError for a list the CLI cannot render."""
    if macro in declared and SAM in declared and declared.index(macro) < declared.index(SAM):
        raise RenderError(
            f"Transform lists {macro} before {SAM}; CloudFormation runs them in order, so the "
            f"macro would see no Lambda functions. Fix: write Transform: [{SAM}, {macro}].",
            ("Transform",),
        )
    applied = {macro, SAM}
    others = [name for name in declared if name not in applied]
    used = first_use(template) if LANGUAGE_EXTENSIONS in others else None
    if used is not None:
        raise RenderError(
            f"{format_path(used)}: {LANGUAGE_EXTENSIONS} features (Fn::ForEach, Fn::Length, "
            "Fn::ToJsonString, a Fn::FindInMap default, an intrinsic DeletionPolicy) are "
            "expanded by CloudFormation and cannot be previewed locally. Fix: preview the "
            "processed template of a change set (aws cloudformation get-template "
            "--change-set-name NAME --template-stage Processed).",
            used,
        )
    if LANGUAGE_EXTENSIONS in others:
        others.remove(LANGUAGE_EXTENSIONS)
        applied.add(LANGUAGE_EXTENSIONS)
        warnings.append(
            f"{LANGUAGE_EXTENSIONS} is listed but none of its features is used; rendered "
            "without it."
        )
    if others:
        where: tuple[str | int, ...] = ("Transform",)
        if isinstance(template.get("Transform"), list):
            where = ("Transform", declared.index(others[0]))
        raise RenderError(unknown_transform_message(others, macro), where)
    return applied


def unknown_transform_message(names: list[str], macro: str) -> str:
    """Why these transforms cannot be rendered, with the supported name each one most
    likely means (`Versionalias` -> `VersionAlias`) or the option for another macro."""
    supported = [SAM, LANGUAGE_EXTENSIONS, macro]
    fixes = []
    for name in names:
        same_letters = [known for known in supported if known.lower() == name.lower()]
        close = same_letters or difflib.get_close_matches(name, supported, n=1, cutoff=0.75)
        if same_letters:
            fixes.append(f"did you mean {close[0]}?")
        elif close:
            fixes.append(
                f"did you mean {close[0]}? If the macro is deployed as {name}, pass "
                f"--macro-name {name}"
            )
        else:
            fixes.append(
                f"render the template after {name} (for example a change set's processed "
                f"template), or pass --macro-name {name} if that is this macro's name"
            )
    fix = "; ".join(fixes)
    return (
        f"Transform {', '.join(names)} cannot be rendered locally (supported: "
        f"{', '.join(supported)}). Fix: {fix}{'' if fix.endswith('?') else '.'}"
    )


def template_folder(path: Path | None) -> Path:
    """Local artifact paths are relative to the template's folder (stdin: the cwd)."""
    return path.resolve().parent if path else Path.cwd()


def render_file(
    path: Path | None,
    context: TransformContext,
    options: RenderOptions | None = None,
    template: dict[str, Any] | None = None,
    display: str | None = None,
) -> Rendered:
    """Load and render one template file (None: stdin), as every subcommand does. A caller
    that has loaded it already passes `template` (stdin cannot be read twice); `display`
    names the file in messages when `path` is a temporary copy (a git revision).

    Every error that points at one place in the template (a TransformError, a Transform
    the CLI cannot run, a resource-level Fn::Transform) is re-raised as RenderError
    starting `file:line:column:`, so callers handle one family of errors (TEMPLATE_ERRORS).
    """
    name = display or (str(path) if path else "-")
    if template is None:
        template = load_template(str(path) if path else "-")
    try:
        return render(template, context, template_folder(path), options)
    except (TransformError, RenderError, SnippetError, ArtifactError) as problem:
        raise RenderError(f"{_where(name, path, problem.path)}: {problem}") from None


def _where(name: str, path: Path | None, within: tuple[str | int, ...]) -> str:
    """`file:line:column` of `within` in the file (of its nearest ancestor there); the
    file name alone for stdin or a path that cannot be found."""
    if path is None or not within:
        return name
    try:
        found = locate(path.read_text(encoding="utf-8-sig"), within)
    except (OSError, UnicodeDecodeError):
        found = None
    return f"{name}:{found[0]}:{found[1]}" if found else name
