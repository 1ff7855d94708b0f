"""Functions handed to other stacks through an `Outputs` export: what cannot be fixed.

An export in use cannot change (CloudFormation refuses to update it while another stack
imports it: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html),
so the macro leaves it alone, and the importers keep invoking `$LATEST`. The checker and
`render` both say so, at the output's path.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..notes import Note
from ..template.names import FunctionIndex
from .problems import EXPORTED, RUNS_LATEST, Problem, problems

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

HINT = (
    "export the alias (or its ARN) under a new name, move the importing stacks to it, "
    "then remove this export."
)


def exported_functions(
    template: Mapping[str, Any], index: FunctionIndex, opted_out: frozenset[str] = frozenset()
) -> Iterator[tuple[str, Problem]]:
    """(output name, problem) for every export whose Value names a function of the
    template unqualified (by `Ref` its name, by `GetAtt` its ARN, or in text)."""
    outputs = template.get("Outputs")
    if not isinstance(outputs, dict):
        return
    for name, output in outputs.items():
        if not isinstance(output, dict) or "Export" not in output:
            continue
        named = sorted(
            {
                problem.function_id
                for problem in problems(output.get("Value"), index, opted_out)
                if problem.kind == RUNS_LATEST and problem.function_id is not None
            }
        )
        for function_id in named:
            yield (
                str(name),
                Problem(
                    f"exports function {function_id} unqualified: stacks that import it "
                    "invoke $LATEST, and an export in use cannot change.",
                    function_id,
                    EXPORTED,
                ),
            )


def export_notes(
    template: Mapping[str, Any], index: FunctionIndex, opted_out: frozenset[str] = frozenset()
) -> list[Note]:
    """The same, as notes for `render` (at `Outputs.<name>.Value`)."""
    return [
        Note(problem.message, ("Outputs", name, "Value"), HINT)
        for name, problem in exported_functions(template, index, opted_out)
    ]
