"""`make corpus`: the real-world templates of ../shared/corpus as a regression suite.

For every template in the corpus it runs the SAM transform first where the template asks
for it, renders with VersionAlias, lints the SAM-only output and ours with cfn-lint and
reports any error that ours adds, runs the `$LATEST` checker on ours, counts the
`AWS::Lambda::Version` resources of every function (one function, one version), and
compares the alias SAM's own AutoPublishAlias output points each invocation site at (where
the corpus holds that output) with ours.

Every SAM template that uses AutoPublishAlias is rendered a second way, written for
VersionAlias instead (corpus_render.the_version_alias_way: AutoPublishAlias removed, its
alias name, DeploymentPreference and ProvisionedConcurrencyConfig moved to
Metadata.VersionAlias), with the same checks; its summary lines start with
"without AutoPublishAlias".

It prints one summary line per check and exits 1 on a crash (an exception other than a
clear refusal), a new cfn-lint error, a `$LATEST` checker finding that render did not warn
about at that very path (what render accepts, CloudFormation deploys) or a function with
two or more versions, in either way; 0 otherwise, and also when the corpus folder is
absent (with a message).

Local code paths (`CodeUri: src/`) are swapped for S3 URIs first, as `sam package` would:
samtranslator accepts only S3 locations, and the corpus is published unpackaged.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "macro"))

from version_alias.invokers.checker import check  # noqa: E402
from version_alias.template import paths  # noqa: E402
from version_alias.template.names import build_index, value_function  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
from compare_sam_oracle import referenced_aliases  # noqa: E402
from corpus_render import the_version_alias_way  # noqa: E402
from version_alias.context import TransformContext  # noqa: E402
from version_alias.data.tables import invocation_sites  # noqa: E402
from version_alias.errors import TransformError  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
FUNCTION = "AWS::Lambda::Function"
AS_PUBLISHED = "as published"
WITHOUT_AUTO_PUBLISH = "without AutoPublishAlias"


@dataclass
class Result:
    """What the checks found in one template."""

    file: str
    outcome: str = "rendered"  # rendered | refused | crashed
    message: str = ""
    new_lint: list[str] = field(default_factory=list)
    latest: list[str] | None = None  # checker findings on the template's own functions
    # that render did not warn about (the failures)
    warned: list[str] = field(default_factory=list)  # findings render warned about
    external: list[str] = field(default_factory=list)  # of functions outside the template
    oracle: dict[str, int] | None = None
    notes: list[str] = field(default_factory=list)
    versioned: int = 0  # functions with at least one AWS::Lambda::Version
    multi_versions: list[str] = field(default_factory=list)  # "Fn: V1, V2" per function
    way: str = AS_PUBLISHED
    lint_seen: frozenset = frozenset()  # (rule, path) of cfn-lint errors before the macro


# -- adapters ----------------------------------------------------------------------------
def latest_findings(template: dict[str, Any], notes: Any = ()) -> tuple[list, list, list]:
    """The checker's findings as text: (the template's own functions, unless render warned
    about that path; those render warned about; functions outside the template). Only the
    first list fails the run; `version-alias check` reports all three."""
    noted = {note.location for note in notes}
    own: list[str] = []
    warned: list[str] = []
    external: list[str] = []
    for finding in check(template):
        found = external if finding.external else warned if finding.location in noted else own
        found.append(str(finding))
    return own, warned, external


def lint_errors(template: dict[str, Any]) -> dict[tuple[str, str], str]:
    """cfn-lint errors (E rules) keyed by rule and path, so the same error in the SAM-only
    output and in ours is one key even though line numbers differ."""
    from cfnlint.api import lint

    found: dict[tuple[str, str], str] = {}
    for match in lint(json.dumps(template, indent=1)):
        rule_id = match.rule.id
        if not rule_id.startswith("E"):
            continue
        where = "/".join(str(part) for part in (getattr(match, "path", None) or []))
        found[(rule_id, where or match.message)] = f"{rule_id} {where}: {match.message}"
    return found


def versions_by_function(template: dict[str, Any]) -> dict[str, list[str]]:
    """function logical ID -> its AWS::Lambda::Version logical IDs, for every function of
    the template that has one (a version names its function as names.py recognises it)."""
    resources = template.get("Resources") or {}
    functions = [name for name, resource in resources.items() if resource.get("Type") == FUNCTION]
    index = build_index(resources, functions)
    found: dict[str, list[str]] = {}
    for name, resource in resources.items():
        if resource.get("Type") != "AWS::Lambda::Version":
            continue
        owner = value_function((resource.get("Properties") or {}).get("FunctionName"), index)
        if owner is not None:
            found.setdefault(owner, []).append(name)
    return found


# -- preparation -------------------------------------------------------------------------
def alias_sites(template: dict[str, Any]) -> dict[tuple[str, str], list[frozenset[str]]]:
    """(resource, catalog path) -> for each matching value, the aliases it references.
    Keyed by the catalog pattern, not the concrete path: SAM versions order lists apart.
    A qualifier site that names the function and, apart, the alias's name (a Url with
    `Qualifier: live`) references that alias too."""
    resources = template.get("Resources") or {}
    aliases = {
        name
        for name, resource in resources.items()
        if isinstance(resource, dict) and resource.get("Type") == "AWS::Lambda::Alias"
    }
    named = _aliases_by_function_and_name(resources, aliases)
    out: dict[tuple[str, str], list[frozenset[str]]] = {}
    for resource_id, resource in resources.items():
        if not isinstance(resource, dict) or not isinstance(resource.get("Properties"), dict):
            continue
        properties = resource["Properties"]
        for site in invocation_sites():
            if site.resource_type != resource.get("Type"):
                continue
            pattern = (site.function_path if site.accepts == "qualifier" else None) or site.path
            found = []
            for _, value in paths.match(properties, pattern):
                referenced = frozenset(referenced_aliases(value, aliases))
                if not referenced and pattern != site.path:
                    qualifier = next((q for _, q in paths.match(properties, site.path)), None)
                    function = value.get("Ref") if isinstance(value, dict) else None
                    alias = named.get((function, qualifier)) if isinstance(qualifier, str) else None
                    referenced = frozenset({alias}) if alias else referenced
                found.append(referenced)
            if found:
                out[(resource_id, pattern)] = found
    return out


def _aliases_by_function_and_name(
    resources: dict[str, Any], aliases: set[str]
) -> dict[tuple[Any, Any], str]:
    """(function logical ID, alias Name) -> the alias's logical ID."""
    found = {}
    for alias in sorted(aliases):
        properties = resources[alias].get("Properties") or {}
        function = properties.get("FunctionName")
        if isinstance(function, dict) and isinstance(function.get("Ref"), str):
            found.setdefault((function["Ref"], properties.get("Name")), alias)
    return found


def compare_with_oracle(ours: dict[str, Any], oracle: dict[str, Any]) -> dict[str, int]:
    """How our sites compare with SAM's own AutoPublishAlias output for the same input:
    sites on the same alias, sites SAM leaves on $LATEST that we put on an alias, sites on
    another alias, and aliased sites of SAM's that ours does not have at all."""
    counts = {"agree": 0, "ours_only": 0, "disagree": 0, "missing": 0}
    ours_sites = alias_sites(ours)
    for key, expected_all in alias_sites(oracle).items():
        expected = [names for names in expected_all if names]
        found = [names for names in ours_sites.get(key, []) if names]
        if key not in ours_sites:
            counts["missing"] += len(expected)
            continue
        unmatched = 0
        for names in expected:
            if names in found:
                found.remove(names)
                counts["agree"] += 1
            else:
                unmatched += 1
        counts["disagree"] += unmatched
        counts["ours_only"] += max(0, len(found) - unmatched)
    return counts


# -- one template ------------------------------------------------------------------------
def check_file(corpus: str, file: str, oracle_file: str | None, lint: bool, sam: bool) -> list:
    """The checks on one template as published, and for a SAM template the VersionAlias
    way too. The second way's cfn-lint baseline includes the first's: an error SAM's own
    AutoPublishAlias output has (a `!Ref` to a role where an ARN belongs, passed on from
    the input) is not one VersionAlias adds."""
    first = check_one(corpus, file, oracle_file, lint)
    if not sam:
        return [first]
    second = check_one(corpus, file, oracle_file, lint, WITHOUT_AUTO_PUBLISH, first.lint_seen)
    return [first] if second is None else [first, second]


def check_one(
    corpus: str,
    file: str,
    oracle_file: str | None,
    lint: bool,
    way: str = AS_PUBLISHED,
    known_lint: frozenset = frozenset(),
) -> Result | None:
    """The checks on one template, rendered as published or (`way`) the VersionAlias way;
    None when there is no second way (a template without AutoPublishAlias). `known_lint`:
    cfn-lint errors (rule, path) that do not count as added."""
    from version_alias.cli.support.artifacts import ArtifactOptions
    from version_alias.cli.support.pipeline import TEMPLATE_ERRORS, RenderOptions, render_file
    from version_alias.cli.support.template_io import load_template

    result = Result(file, way=way)
    try:
        template = None
        if way == WITHOUT_AUTO_PUBLISH:
            template = the_version_alias_way(load_template(str(Path(corpus, file))))
            if template is None:
                return None
        # The corpus ships without its code: local paths are hashed by name.
        options = RenderOptions(artifacts=ArtifactOptions(allow_missing=True))
        rendered_all = render_file(Path(corpus, file), TransformContext(), options, template)
    except (*TEMPLATE_ERRORS, TransformError) as problem:
        result.outcome, result.message = "refused", _first_line(problem)
        return result
    except Exception as problem:  # what a regression suite is for
        result.outcome = "crashed"
        result.message = f"{type(problem).__name__}: {_first_line(problem)}"
        result.notes.append(traceback.format_exc(limit=-3))
        return result
    rendered = rendered_all.template
    sam_only = {key: value for key, value in rendered_all.pre_macro.items() if key != "Transform"}
    if lint:
        baseline = lint_errors(sam_only)
        result.lint_seen = frozenset(baseline)
        result.new_lint = [
            text
            for key, text in lint_errors(rendered).items()
            if key not in baseline and key not in known_lint
        ]
    result.latest, result.warned, result.external = latest_findings(rendered, rendered_all.notes)
    versions = versions_by_function(rendered)
    result.versioned = len(versions)
    result.multi_versions = [
        f"{function}: {', '.join(names)}" for function, names in versions.items() if len(names) > 1
    ]
    if oracle_file:
        with open(os.path.join(corpus, oracle_file), encoding="utf-8") as handle:
            result.oracle = compare_with_oracle(rendered, json.load(handle))
    return result


def _first_line(problem: BaseException) -> str:
    text = str(problem).strip()
    return text.splitlines()[0] if text else type(problem).__name__


# -- the run -----------------------------------------------------------------------------
def manifest(corpus: Path) -> list[tuple[str, str | None, str]]:
    """(file, oracle file or None, kind) for every template the manifest lists."""
    rows = []
    lines = (corpus / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        columns = line.split("\t")
        if not columns or not columns[0]:
            continue
        notes = columns[6] if len(columns) > 6 else ""
        oracle = None
        for note in notes.split(";"):
            if note.strip().startswith("oracle:"):
                oracle = note.split(":", 1)[1].strip()
        rows.append((columns[0], oracle, columns[5] if len(columns) > 5 else "cfn"))
    return rows


def summary(results: list[Result]) -> tuple[list[str], bool]:
    """One line per check and way, and whether the run failed."""
    lines, failed = _summary([r for r in results if r.way == AS_PUBLISHED])
    second = [r for r in results if r.way == WITHOUT_AUTO_PUBLISH]
    if second:
        more, second_failed = _summary(second)
        lines.extend(f"{WITHOUT_AUTO_PUBLISH}: {line}" for line in more)
        failed = failed or second_failed
    return lines, failed


def _summary(results: list[Result]) -> tuple[list[str], bool]:
    rendered = [r for r in results if r.outcome == "rendered"]
    refused = [r for r in results if r.outcome == "refused"]
    crashed = [r for r in results if r.outcome == "crashed"]
    lint_hits = [r for r in rendered if r.new_lint]
    lines = [
        f"render: {len(rendered)} rendered, {len(refused)} refused with a message, "
        f"{len(crashed)} crashed (of {len(results)} templates)",
        f"cfn-lint: {sum(len(r.new_lint) for r in rendered)} errors added by VersionAlias "
        f"in {len(lint_hits)} of {len(rendered)} rendered templates",
    ]
    latest_count = sum(len(r.latest or []) for r in rendered)
    with_latest = sum(1 for r in rendered if r.latest)
    warned = sum(len(r.warned) for r in rendered)
    lines.append(
        f"$LATEST checker: {latest_count} invocations of $LATEST in {with_latest} of "
        f"{len(rendered)} rendered templates that render did not warn about "
        f"({warned} findings it warned about, in {sum(1 for r in rendered if r.warned)} "
        "templates: exports, sites it cannot rewrite)"
    )
    external_count = sum(len(r.external) for r in rendered)
    lines.append(
        f"outside the template: {external_count} invocations of $LATEST of functions the "
        f"template does not define, in {sum(1 for r in rendered if r.external)} of "
        f"{len(rendered)} rendered templates (not versioned by VersionAlias; not a failure)"
    )
    multi = sum(len(r.multi_versions) for r in rendered)
    lines.append(
        f"versions: {sum(r.versioned for r in rendered)} versioned functions, {multi} with "
        f"two or more AWS::Lambda::Version, in {sum(1 for r in rendered if r.multi_versions)} "
        f"of {len(rendered)} rendered templates"
    )
    compared = [r for r in rendered if r.oracle is not None]
    totals = {key: sum(r.oracle[key] for r in compared) for key in ("agree", "ours_only")}
    totals |= {key: sum(r.oracle[key] for r in compared) for key in ("disagree", "missing")}
    lines.append(
        f"SAM AutoPublishAlias oracle: {len(compared)} templates, {totals['agree']} sites on "
        f"the same alias, {totals['ours_only']} sites SAM leaves on $LATEST now on the alias, "
        f"{totals['disagree']} on another alias, {totals['missing']} not found"
    )
    failed = bool(crashed or lint_hits or latest_count or multi)
    return lines, failed


def details(results: list[Result]) -> Iterator[str]:
    for result in results:
        file = result.file if result.way == AS_PUBLISHED else f"{result.file} ({result.way})"
        if result.outcome == "crashed":
            yield f"CRASH {file}: {result.message}"
            yield from ("    " + line for line in result.notes[-1].splitlines())
        for text in result.new_lint:
            yield f"LINT {file}: {text}"
        for text in result.latest or []:
            yield f"LATEST {file}: {text}"
        for text in result.multi_versions:
            yield f"VERSIONS {file}: {text}"
        if result.way == AS_PUBLISHED:
            for text in result.external:
                yield f"EXTERNAL {file}: {text}"
        for text in result.warned:
            yield f"WARNED {file}: {text}"
        if result.oracle and (result.oracle["disagree"] or result.oracle["missing"]):
            yield f"ORACLE {file}: {result.oracle}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-lint", action="store_true", help="skip cfn-lint (fast)")
    parser.add_argument("--verbose", action="store_true", help="also list refusals")
    parser.add_argument("files", nargs="*", help="only these manifest entries")
    args = parser.parse_args(argv)
    if not (args.corpus / "MANIFEST.tsv").is_file():
        print(f"corpus: skipped, no corpus at {args.corpus}")
        return 0
    rows = [row for row in manifest(args.corpus) if not args.files or row[0] in args.files]
    corpus = str(args.corpus)
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [
            pool.submit(check_file, corpus, file, oracle, not args.no_lint, kind == "sam")
            for file, oracle, kind in rows
        ]
        results = [result for future in futures for result in future.result()]
    for line in details(results):
        print(line)
    if args.verbose:
        for result in results:
            if result.outcome == "refused":
                print(f"REFUSED {result.file} ({result.way}): {result.message}")
    lines, failed = summary(results)
    for line in lines:
        print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
