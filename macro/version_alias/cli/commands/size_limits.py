"""CloudFormation's template size limits, checked before a deploy finds them.

"The maximum size for a processed stack template is 51,200 bytes when passed directly
into a CreateStack, UpdateStack, or ValidateTemplate request, or 1 MB when passed as an
S3 object" (CloudFormation User Guide, "Troubleshoot the processed template"). The
processed template is stored as JSON; its compact JSON is the smallest it can be, so a
template over the limit here is over the limit in CloudFormation too.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

S3_TEMPLATE_BYTES = 1024 * 1024
INLINE_TEMPLATE_BYTES = 51_200


def json_bytes(template: Any) -> int:
    """Size of the template as compact UTF-8 JSON."""
    text = json.dumps(template, separators=(",", ":"), ensure_ascii=False)
    return len(text.encode("utf-8"))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--inline",
        action="store_true",
        help="the template goes inline (TemplateBody): check the 51,200-byte limit, not 1 MB",
    )
    parser.add_argument("--max-bytes", type=int, help="fail above this many bytes instead")


def problems(args: argparse.Namespace, rendered: Any) -> list[str]:
    """Size problems of a `render` run: the processed template always, the file too when
    it will be passed inline (CloudFormation checks the body before running macros)."""
    limit = limit_for(args.inline, args.max_bytes)
    original = None
    if args.inline and args.template != "-":
        original = Path(args.template).stat().st_size
    return size_problems(rendered, limit, original)


def limit_for(inline: bool, max_bytes: int | None) -> int:
    if max_bytes is not None:
        return max_bytes
    return INLINE_TEMPLATE_BYTES if inline else S3_TEMPLATE_BYTES


def size_problems(rendered: Any, limit: int, original_bytes: int | None = None) -> list[str]:
    """One message per template (original, processed) that CloudFormation would refuse."""
    hint = (
        "upload the template to S3 and deploy with --s3-bucket (1 MB limit)"
        if limit == INLINE_TEMPLATE_BYTES
        else "split the stack into nested stacks, or move inline code and policies out"
    )
    problems = []
    if original_bytes is not None and original_bytes > limit:
        problems.append(
            f"the template file is {original_bytes:,} bytes; CloudFormation accepts at most "
            f"{limit:,} bytes here. Fix: {hint}."
        )
    size = json_bytes(rendered)
    if size > limit:
        problems.append(
            f"the processed template is {size:,} bytes as compact JSON; CloudFormation accepts "
            f"at most {limit:,} bytes here. Fix: {hint}."
        )
    return problems
