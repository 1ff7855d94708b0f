"""`make bench`: how fast is the macro, against the JSON floor and against SAM's own alias.

One run measures, on generated apps of N functions (each with an SQS queue and an event
source mapping, sharing one role):
- the handler's median time, divided by a json.loads + json.dumps round trip of the same
  template (what the Lambda runtime does to the event and the response anyway);
- time per output resource at several sizes (flat means linear), past CloudFormation's 500
  resource limit with the check switched off for the benchmark only;
- the handler's import time in a fresh interpreter (min of several runs);
- peak memory of one invocation (tracemalloc);
- samtranslator's time for the equivalent SAM app (AutoPublishAlias + an SQS event);
- the CLI where users wait, as ratios to cfn-lint on the same input (bench_cli.py).

It prints a markdown table and writes it to docs/performance.md. Not a test: numbers vary
with the machine, so nothing here fails a build.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "macro"))

from version_alias import handler  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
import bench_cli  # noqa: E402
from bench_apps import LARGEST, app, event, sam_app  # noqa: E402

TRANSFORM_MODULE = sys.modules["version_alias.transform"]
SIZES = (10, 25, 50, LARGEST, 200, 400)
# What the core imports itself; -X importtime charges each module's first import with
# everything it pulls in.
DIRECT_IMPORTS = {"re", "json", "hashlib", "collections", "functools", "os", "time"}
TARGETS = {"floor": 3.0, "import_ms": 20.0, "sam": 50.0}


def median_seconds(call: Callable[[], Any], repeat: int) -> float:
    call()  # warm caches (tables, regexes) as a warm Lambda would have them
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def paired(first: Callable[[], Any], second: Callable[[], Any], repeat: int) -> dict[str, float]:
    """Medians of two calls timed alternately, and the median of their per-pair ratio: a
    load spike from another process then hits both sides of a ratio alike."""
    first()
    second()
    a, b = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        first()
        middle = time.perf_counter()
        second()
        a.append(middle - started)
        b.append(time.perf_counter() - middle)
    return {
        "first": statistics.median(a),
        "second": statistics.median(b),
        "ratio": statistics.median(x / y for x, y in zip(a, b, strict=True)),
    }


def round_trip(template: dict[str, Any]) -> Callable[[], Any]:
    text = json.dumps(template)
    return lambda: json.dumps(json.loads(text))


def _interpreter_env() -> dict[str, str]:
    """PYTHONPATH to this checkout, and bytecode caching on (as a deployed package has it)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT / "macro")
    return env


def import_ms(runs: int = 9) -> float:
    """Best wall time of `import version_alias.handler` in a fresh interpreter."""
    code = (
        "import time; s = time.perf_counter(); import version_alias.handler; "
        "print((time.perf_counter() - s) * 1000)"
    )
    times = []
    for _ in range(runs + 1):  # the first run writes __pycache__
        out = subprocess.run(
            [sys.executable, "-c", code],
            env=_interpreter_env(),
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(float(out.stdout))
    return min(times[1:])


def heaviest_imports(count: int = 4) -> list[tuple[str, float]]:
    """The standard-library modules that cost the handler's import most (-X importtime,
    cumulative), to say where the import time goes."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import version_alias.handler"],
        env=_interpreter_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    costs = []
    for line in out.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[2].strip() in DIRECT_IMPORTS:
            costs.append((parts[2].strip(), int(parts[1]) / 1000))
    return sorted(costs, key=lambda item: -item[1])[:count]


def compile_ms() -> float:
    """Compiling the core's sources, paid on every cold start by a package shipped without
    __pycache__ (Lambda cannot write one)."""
    started = time.perf_counter()
    for path in sorted((ROOT / "macro/version_alias").glob("*.py")):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    return (time.perf_counter() - started) * 1000


def peak_kib(template: dict[str, Any]) -> float:
    tracemalloc.start()
    handler.handle(event(template))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024


def sam_seconds(functions: int, repeat: int) -> float | None:
    """Median time of samtranslator's own translation, as the service runs it: the boto3
    session and the input copies (samtranslator mutates its input) are made outside the
    timer, so the peer is not charged for this script's offline wrapper."""
    try:
        from version_alias.cli.support import sam_translate
    except ImportError as problem:
        print(f"samtranslator peer skipped: {problem}", file=sys.stderr)
        return None
    template = sam_app(functions)
    region, account = "us-east-1", "123456789012"
    translated = sam_translate.translate_sam(template, {}, region=region, account_id=account)
    aliases = [r for r in translated["Resources"].values() if r["Type"] == "AWS::Lambda::Alias"]
    assert len(aliases) == functions, "the SAM peer did not publish an alias per function"
    values = {"AWS::Region": region, "AWS::AccountId": account, "AWS::Partition": "aws"}
    policies = sam_translate.get_bundled_managed_policy_map("aws") or {}
    copies = [copy.deepcopy(template) for _ in range(repeat + 1)]
    samples = []
    with sam_translate._pinned_region(region) as session:
        for index, fresh in enumerate(copies):
            started = time.perf_counter()
            sam_translate._run_translator(fresh, dict(values), policies, session)
            if index:  # the first run warms caches, as for the macro
                samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def hash_floor(template: dict[str, Any], repeat: int) -> dict[str, float]:
    """Milliseconds to resolve every function's version-locked properties, and to encode
    the resulting hash payloads as canonical JSON: the part of the macro that no
    restructuring removes while version IDs stay content hashes (hashing.py)."""
    from version_alias.context import TransformContext
    from version_alias.versioning import hashing
    from version_alias.versioning.resolve import Resolver

    context = TransformContext(region="us-east-1", account_id="123456789012")
    functions = [
        (logical_id, resource["Properties"])
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Lambda::Function"
    ]

    def resolve_all() -> list[dict[str, Any]]:
        resolver = Resolver(template, context)
        return [
            {
                "scheme": hashing.SCHEME_VERSION,
                "properties": hashing.locked_properties(p, resolver, f),
            }
            for f, p in functions
        ]

    payloads = resolve_all()
    return {
        "resolve_ms": median_seconds(resolve_all, repeat) * 1000,
        "encode_ms": median_seconds(
            lambda: [hashing.canonical_json(payload) for payload in payloads], repeat
        )
        * 1000,
    }


def measure(repeat: int, sam_repeat: int, cli: bool = True) -> dict[str, Any]:
    rows = []
    check = TRANSFORM_MODULE.MAX_RESOURCES
    TRANSFORM_MODULE.MAX_RESOURCES = 10**9  # only here: show growth past the limit
    try:
        for functions in SIZES:
            template = app(functions)
            response = handler.handle(event(template))
            assert response["status"] == "success", response.get("errorMessage")
            out = len(response["fragment"]["Resources"])
            timing = paired(
                lambda t=template: handler.handle(event(t)), round_trip(template), repeat
            )
            macro = timing["first"]
            rows.append(
                {
                    "functions": functions,
                    "resources": out,
                    "bytes": len(json.dumps(template)),
                    "macro_ms": macro * 1000,
                    "floor_ms": timing["second"] * 1000,
                    "ratio": timing["ratio"],
                    "us_per_resource": macro * 1e6 / out,
                    "sam_ms": None,
                    "accepted": out <= check,
                }
            )
    finally:
        TRANSFORM_MODULE.MAX_RESOURCES = check
    for row in rows:
        if row["accepted"]:
            sam = sam_seconds(row["functions"], sam_repeat)
            row["sam_ms"] = None if sam is None else sam * 1000
    return {
        "rows": rows,
        "import_ms": import_ms(),
        "heaviest": heaviest_imports(),
        "compile_ms": compile_ms(),
        "peak_kib": peak_kib(app(LARGEST)),
        "hash_floor": hash_floor(app(LARGEST), repeat),
        "cli": bench_cli.measure() if cli else None,
    }


def report(result: dict[str, Any]) -> str:
    rows = result["rows"]
    at_limit = next(row for row in rows if row["functions"] == LARGEST)
    per_resource = [row["us_per_resource"] for row in rows]
    spread = max(per_resource) / min(per_resource)
    floor_ratio = at_limit["ratio"]
    lines = [
        f"Measured by `make bench` (scripts/bench.py) with Python {platform.python_version()} "
        f"on {platform.machine()}; medians of repeated runs of `handler.handle`.",
        "",
        "| functions | resources out | template bytes | macro ms | JSON round trip ms "
        "| macro / round trip | µs per resource | samtranslator ms | macro faster by |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        mark = "" if row["accepted"] else " (limit check off)"
        lines.append(
            f"| {row['functions']} | {row['resources']}{mark} | {row['bytes']:,} "
            f"| {row['macro_ms']:.2f} | {row['floor_ms']:.2f} "
            f"| {row['ratio']:.2f}x | {row['us_per_resource']:.1f} | {_peer(row)} |"
        )
    lines += [
        "",
        "| measure | result | target |",
        "|---|---:|---:|",
        f"| macro / JSON round trip at {at_limit['resources']} resources "
        f"| {floor_ratio:.2f}x | <= {TARGETS['floor']:.0f}x |",
        f"| time per resource, largest / smallest | {spread:.2f} | flat (linear) |",
        f"| import `version_alias.handler` (fresh interpreter, best of 9) "
        f"| {result['import_ms']:.1f} ms | <= {TARGETS['import_ms']:.0f} ms |",
        f"| compiling the core from source (a package without __pycache__) "
        f"| {result['compile_ms']:.1f} ms | |",
        f"| peak memory, one invocation at {at_limit['resources']} resources "
        f"| {result['peak_kib']:,.0f} KiB | |",
    ]
    if at_limit["sam_ms"] is not None:
        lines.append(
            f"| samtranslator on the same app with AutoPublishAlias, {at_limit['resources']} "
            f"resources | {at_limit['sam_ms'] / at_limit['macro_ms']:.0f}x slower "
            f"| >= {TARGETS['sam']:.0f}x |"
        )
        smallest = rows[0]
        if smallest["sam_ms"] is not None and smallest is not at_limit:
            lines.append(
                f"| samtranslator on the same app, {smallest['resources']} resources "
                f"| {smallest['sam_ms'] / smallest['macro_ms']:.0f}x slower "
                f"| >= {TARGETS['sam']:.0f}x |"
            )
        lines.append(
            f"| samtranslator against the JSON round trip, {at_limit['resources']} resources "
            f"| {at_limit['sam_ms'] / at_limit['floor_ms']:.0f}x slower | |"
        )
        floor = result["hash_floor"]
        lines.append(
            f"| macro time that {TARGETS['sam']:.0f}x allows at {at_limit['resources']} "
            f"resources | {at_limit['sam_ms'] / TARGETS['sam']:.2f} ms | |"
        )
        lines.append(
            f"| of which hashing alone, {LARGEST} functions: resolving + canonical JSON "
            f"| {floor['resolve_ms']:.2f} + {floor['encode_ms']:.2f} ms | |"
        )
    if result.get("cli"):
        lines += bench_cli.report(result["cli"])
    heaviest = ", ".join(f"{name} {ms:.1f} ms" for name, ms in result["heaviest"])
    lines += ["", f"Heaviest standard-library imports (cumulative): {heaviest}."]
    if result.get("cli"):
        lines += ["", bench_cli.corpus_note()]
    return "\n".join(lines) + "\n"


def _peer(row: dict[str, Any]) -> str:
    if row["sam_ms"] is None:
        return "| "
    return f"{row['sam_ms']:.1f} | {row['sam_ms'] / row['macro_ms']:.0f}x"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=51, help="runs per size (median)")
    parser.add_argument("--sam-repeat", type=int, default=5, help="runs of samtranslator")
    parser.add_argument("--output", default=str(ROOT / "docs/performance.md"))
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI against cfn-lint")
    args = parser.parse_args()
    # The handler writes its log line to stdout, as in Lambda (where a pipe to CloudWatch
    # takes it). Here the line goes to /dev/null: still formatted and written, so its cost
    # is measured, without a flood on the terminal.
    with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        result = measure(args.repeat, args.sam_repeat, cli=not args.no_cli)
    table = report(result)
    print(table)
    if args.output != "-":
        header = "# Performance\n\n<!-- written by `make bench`; do not edit by hand -->\n\n"
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(header + table, encoding="utf-8")
        _update_readme(ROOT / "README.md", summary(table))
    return 0


README_START = "<!-- bench:start (written by `make bench`) -->"
README_END = "<!-- bench:end -->"


def summary(table: str) -> str:
    """The targets table alone: the README keeps the short one, docs/ the full one."""
    blocks = table.strip().split("\n\n")
    return next(block for block in blocks if block.startswith("| measure |")) + "\n"


def _update_readme(readme: Path, block: str) -> None:
    """Replace what sits between the README's bench markers, so that its numbers always
    come from the last `make bench`."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        print(f"{readme.name}: no bench markers; README not updated", file=sys.stderr)
        return
    head = text[: start + len(README_START)]
    readme.write_text(f"{head}\n{block}{text[end:]}", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
