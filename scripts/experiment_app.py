"""The app the experiment deploys: samples/env-var-rename, packaged the way a user would.

Two phases of one app: `before` (samples/env-var-rename/before: the code and the template
read `TABLE_NAME`) and `after` (samples/env-var-rename: both read `TABLE`). Two variants of
each: `latest`, SAM only (`Transform: AWS::Serverless-2016-10-31`), so API Gateway invokes
the function's `$LATEST`; and `alias`, `Transform: [AWS::Serverless-2016-10-31, <macro>]`,
so the deployed VersionAlias macro versions the function and points the API at its alias.

Packaging does what `sam package` does and no more: it zips the phase's `src/` folder and
names the S3 object after the zip's content (`code/<sha256>.zip`; `sam package` uses the
MD5), then sets `CodeUri` to that object. The template keeps its transforms: CloudFormation
runs SAM and the deployed macro, nothing here renders them.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "macro"))

from version_alias.cli.support.template_io import load_template  # noqa: E402

SAMPLE = ROOT / "samples" / "env-var-rename"
PHASES = {"before": SAMPLE / "before", "after": SAMPLE}
SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
SAMPLE_MACRO = "VersionAlias"  # the name the sample lists under Transform
FUNCTION = "OrdersFunction"  # the sample's one function: its update is the race
VARIANTS = {
    "latest": "SAM only: API Gateway invokes $LATEST",
    "alias": "SAM + VersionAlias: API Gateway invokes the alias",
}
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold: same bytes every run


class AppError(Exception):
    """The sample is not what the experiment expects (someone edited it)."""


@dataclass(frozen=True)
class CodeZip:
    """One phase's `src/` as a zip: its S3 key names its content."""

    phase: str
    body: bytes

    @property
    def key(self) -> str:
        return f"code/{hashlib.sha256(self.body).hexdigest()}.zip"


def zip_folder(folder: Path) -> bytes:
    """The files under `folder` as a zip with sorted names and fixed dates (same bytes for
    the same files), leaving out caches. Raises AppError when there is nothing to zip."""
    files = sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )
    if not files:
        raise AppError(f"{folder} has no files to upload")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), _ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def code_zips() -> dict[str, CodeZip]:
    """{phase: its code}. The two phases must differ, or the update would change no code."""
    zips = {phase: CodeZip(phase, zip_folder(folder / "src")) for phase, folder in PHASES.items()}
    if zips["before"].key == zips["after"].key:
        raise AppError("before/src and src are identical: the update would not change the code")
    return zips


def sample_template(phase: str) -> dict[str, Any]:
    """The phase's sam.yaml as plain data, checked to be the sample the experiment knows."""
    template = load_template(str(PHASES[phase] / "sam.yaml"))
    transform = template.get("Transform")
    if transform != [SAM_TRANSFORM, SAMPLE_MACRO]:
        raise AppError(
            f"{PHASES[phase] / 'sam.yaml'}: Transform is {transform!r}, expected "
            f"[{SAM_TRANSFORM}, {SAMPLE_MACRO}]"
        )
    function = template.get("Resources", {}).get(FUNCTION, {})
    if function.get("Properties", {}).get("CodeUri") != "src/":
        raise AppError(f"{PHASES[phase] / 'sam.yaml'}: {FUNCTION} must have CodeUri: src/")
    return template


def stack_template(
    phase: str, variant: str, *, bucket: str, code: CodeZip, macro_name: str
) -> dict[str, Any]:
    """The template to deploy for one phase and variant, with its code in S3.

    `latest` lists SAM only; `alias` lists SAM and then the macro under `macro_name` (the
    `MacroName` output of the deployed macro stack)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    template = sample_template(phase)
    template["Transform"] = SAM_TRANSFORM if variant == "latest" else [SAM_TRANSFORM, macro_name]
    template["Resources"][FUNCTION]["Properties"]["CodeUri"] = {"Bucket": bucket, "Key": code.key}
    return template


def template_body(template: dict[str, Any]) -> str:
    """The TemplateBody CloudFormation receives: JSON, which it reads like YAML."""
    return json.dumps(template, indent=1, sort_keys=False)


def environment_names(template: dict[str, Any]) -> list[str]:
    """The environment variable names the phase's function gets, sorted."""
    properties = template["Resources"][FUNCTION]["Properties"]
    return sorted(properties.get("Environment", {}).get("Variables", {}))
