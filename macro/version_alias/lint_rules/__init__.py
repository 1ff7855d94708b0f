"""cfn-lint rules for VersionAlias, loaded with `cfn-lint --append-rules`.

Either the directory (`--append-rules macro/version_alias/lint_rules`, which cfn-lint
scans for rule files) or the module (`--append-rules version_alias.lint_rules`, which
cfn-lint imports and reads the rule classes from). Rule IDs use the W9350-W9359 block:
cfn-lint reserves the 9xxx range for user rules and ships none there.
"""

from .LatestInvocation import LatestInvocation

__all__ = ["LatestInvocation"]
