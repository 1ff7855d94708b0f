"""W9350: an invocation site still runs `$LATEST` (or an unqualified function).

The file is named after its class because cfn-lint loads rule directories file by file.
It imports the checker absolutely: cfn-lint imports this file as a top-level module.
"""

from __future__ import annotations

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from version_alias.invokers.checker import check


class LatestInvocation(CloudFormationLintRule):
    """Reports what `version-alias check` reports, inside cfn-lint's output."""

    id = "W9350"
    shortdesc = "Lambda invocation site runs $LATEST"
    description = (
        "An invocation site from the VersionAlias catalog (permission, event source, "
        "integration URI, rule target, state machine task...) names a Lambda function "
        "without an alias or version qualifier, or with :$LATEST, so every deploy "
        "switches callers to new code before it is published; or names an alias the "
        "template does not create; or an Outputs export hands the function out unqualified."
    )
    source_url = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html"
    tags = ["resources", "lambda", "versionalias"]  # noqa: RUF012 (cfn-lint declares a list)

    def match(self, cfn) -> list[RuleMatch]:  # type: ignore[no-untyped-def]
        return [
            RuleMatch(list(finding.full_path), f"{finding.location}: {finding.message}")
            for finding in check(cfn.template)
        ]
