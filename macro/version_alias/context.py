"""What the macro knows about the deploy besides the template itself."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType


def partition_for(region: str) -> str:
    """The ARN partition of a region, for resolving `AWS::Partition` in hashes."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("us-iso-"):
        return "aws-iso"
    if region.startswith("us-isob-"):
        return "aws-iso-b"
    return "aws"


def _url_suffix(partition: str) -> str:
    return "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com"


class TransformContext:
    """The deploy-time facts CloudFormation hands a macro (region, account, parameters).

    `parameter_values` are the resolved template parameter values from the macro event's
    `templateParameterValues`. Missing ones fall back to the parameter's Default.
    A plain class rather than a dataclass: `dataclasses` is a third of the Lambda's import
    time. Read-only by convention; the parameter values are a read-only view.
    """

    __slots__ = ("account_id", "default_alias_name", "parameter_values", "region")

    def __init__(
        self,
        region: str = "us-east-1",
        account_id: str = "123456789012",
        parameter_values: Mapping[str, object] | None = None,
        default_alias_name: str = "live",  # used when a template sets no AliasName
    ) -> None:
        self.region = region
        self.account_id = account_id
        self.parameter_values: Mapping[str, object] = MappingProxyType(dict(parameter_values or {}))
        self.default_alias_name = default_alias_name

    def __repr__(self) -> str:
        # Parameter names only: values may be NoEcho secrets.
        return (
            f"TransformContext(region={self.region!r}, account_id={self.account_id!r}, "
            f"parameters={sorted(self.parameter_values)!r}, "
            f"default_alias_name={self.default_alias_name!r})"
        )

    @property
    def partition(self) -> str:
        return partition_for(self.region)

    def pseudo_parameters(self) -> dict[str, str]:
        """Pseudo parameters whose value is known when the macro runs.

        The macro event carries no stack name or id, so `AWS::StackName` and
        `AWS::StackId` stay unresolved and hash as their expression.
        """
        partition = self.partition
        return {
            "AWS::Region": self.region,
            "AWS::AccountId": self.account_id,
            "AWS::Partition": partition,
            "AWS::URLSuffix": _url_suffix(partition),
        }
