"""results.json and the Markdown table: what one run of the experiment measured.

results.json (`"schema": "version-alias-experiment/1"`):
    run_id, region, started_at (ISO 8601, UTC: the load's start), label, stopped_by,
    settings: {rps, lead_s, tail_s, max_duration_s, max_requests, timeout_s},
    stacks: {variant: {stack_name, description, endpoint,
                       update: {start_s, end_s, status, function_start_s, function_end_s, events},
                       totals: {ok, 5xx, timeout, error, sent, skipped},
                       in_update: {ok, 5xx, timeout, error},
                       seconds: [{t, ok, 5xx, timeout, error}], status_codes: {code: n}}}
Every time is in seconds after the load's start; a request counts in the second it was due.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from experiment_load import OUTCOMES

SCHEMA = "version-alias-experiment/1"
LABELS = {"latest": "SAM only: the API invokes `$LATEST`", "alias": "SAM + VersionAlias: alias"}


class ResultsError(Exception):
    """A results.json this report cannot read."""


def in_window(seconds: list[dict[str, int]], start: float | None, end: float | None) -> dict:
    """The outcomes of the seconds that overlap [start, end]; zeros without a window."""
    counts = dict.fromkeys(OUTCOMES, 0)
    if start is None or end is None:
        return counts
    for row in seconds:
        if row["t"] + 1 > start and row["t"] <= end:
            for name in OUTCOMES:
                counts[name] += row[name]
    return counts


def build_results(
    *,
    run_id: str,
    region: str,
    started_at: str,
    label: str,
    stopped_by: str | None,
    settings: dict[str, Any],
    stacks: dict[str, dict[str, Any]],
    load: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """One document from the run's facts (`stacks`: {variant: {stack_name, description,
    endpoint, update}}) and the load's counts (`load`: Load.results())."""
    merged = {}
    for variant, facts in stacks.items():
        counted = load.get(variant, {"totals": {}, "seconds": [], "status_codes": {}})
        update = facts.get("update") or {}
        merged[variant] = {
            **facts,
            "totals": counted["totals"],
            "in_update": in_window(counted["seconds"], update.get("start_s"), update.get("end_s")),
            "seconds": counted["seconds"],
            "status_codes": counted["status_codes"],
        }
    return {
        "schema": SCHEMA,
        "run_id": run_id,
        "region": region,
        "started_at": started_at,
        "label": label,
        "stopped_by": stopped_by,
        "settings": settings,
        "stacks": merged,
    }


def write_results(path: Path, results: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


def read_results(path: Path) -> dict[str, Any]:
    """A recorded results.json; raises ResultsError for another file or schema."""
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as problem:
        raise ResultsError(f"{path}: cannot read it ({problem})") from None
    if not isinstance(results, dict) or results.get("schema") != SCHEMA:
        raise ResultsError(f"{path}: not a results.json of this experiment ({SCHEMA})")
    return results


def _number(value: float | int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _duration(update: dict[str, Any]) -> str:
    if update.get("start_s") is None or update.get("end_s") is None:
        return "-"
    return f"{math.ceil(update['end_s'] - update['start_s'])} s"


def markdown_table(results: dict[str, Any]) -> str:
    """The table to paste into the README and docs/experiment.md, with a caption line."""
    settings = results["settings"]
    stacks = results["stacks"]
    sent = sum(stack["totals"].get("sent", 0) for stack in stacks.values())
    caption = (
        f"env-var-rename experiment, run `{results['run_id']}` in {results['region']}, "
        f"{results['started_at']}: {settings['rps']:g} requests/s to each API, {sent:,} "
        f"requests in all; load stopped by: {results.get('stopped_by') or '-'}."
    )
    if results.get("label"):
        caption = f"**{results['label']}**. {caption}"
    lines = [
        caption,
        "",
        "| stack | requests | ok | 5xx | timeouts | no answer | 5xx during the update "
        "| update took | update status |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for variant, stack in stacks.items():
        totals, update = stack["totals"], stack.get("update") or {}
        lines.append(
            f"| {LABELS.get(variant, variant)} | {_number(totals.get('sent'))} "
            f"| {_number(totals.get('ok'))} | {_number(totals.get('5xx'))} "
            f"| {_number(totals.get('timeout'))} | {_number(totals.get('error'))} "
            f"| {_number(stack['in_update']['5xx'])} | {_duration(update)} "
            f"| {update.get('status') or '-'} |"
        )
    skipped = sum(stack["totals"].get("skipped", 0) for stack in stacks.values())
    if skipped:
        lines += ["", f"{skipped:,} requests were not sent: every worker was busy."]
    return "\n".join(lines) + "\n"
