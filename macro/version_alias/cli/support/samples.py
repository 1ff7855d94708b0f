"""How samples are rendered, shared by the golden test and scripts/render_samples.py."""

from __future__ import annotations

from pathlib import Path

from ...context import TransformContext
from .pipeline import render
from .template_io import dump_template, load_template

SAMPLE_CONTEXT = TransformContext(region="us-east-1", account_id="123456789012")


def sample_sources(samples: Path) -> list[Path]:
    """Every sample template: samples/<name>/*.yaml (not before/ or rendered/ copies)."""
    return sorted(path for path in samples.glob("*/*.yaml") if path.is_file())


def render_sample(source: Path) -> str:
    rendered = render(load_template(str(source)), SAMPLE_CONTEXT, base=source.parent)
    return dump_template(rendered.template, "yaml")
