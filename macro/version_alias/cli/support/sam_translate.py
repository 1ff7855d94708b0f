"""Expand a SAM template into plain CloudFormation locally, without AWS credentials.

The macro runs after SAM in CloudFormation, so the CLI has to see what SAM produced. This
module runs ``samtranslator`` in-process the way the service does, but pins everything that
samtranslator would otherwise look up through boto3 (region, partition, managed policy ARNs,
Serverless Application Repository) so the output depends only on the arguments.
"""

from __future__ import annotations

import contextlib
import copy
import os
from collections.abc import Iterator
from typing import Any

import boto3
from botocore.exceptions import ClientError
from samtranslator.internal.managed_policies import get_bundled_managed_policy_map
from samtranslator.metrics.metrics import DummyMetricsPublisher, Metrics
from samtranslator.model.exceptions import ExceptionWithMessage, InvalidDocumentException
from samtranslator.parser.parser import Parser
from samtranslator.plugins.application.serverless_app_plugin import ServerlessAppPlugin
from samtranslator.sdk.parameter import SamParameterValues
from samtranslator.translator.arn_generator import ArnGenerator
from samtranslator.translator.translator import Translator
from samtranslator.utils.py27hash_fix import (
    to_py27_compatible_template,
    undo_mark_unicode_str_in_template,
)

from .sam_detect import (
    SAM_TRANSFORM,
    SamTranslateError,
    is_sam_template,
    resource_type,
    transform_list,
)

__all__ = ["SAM_TRANSFORM", "SamTranslateError", "is_sam_template", "translate_sam"]

# Properties that must hold an S3 location when samtranslator sees them; `sam package`
# uploads local paths and swaps the URI in.
_CODE_LOCATIONS = {
    "AWS::Serverless::Function": "CodeUri",
    "AWS::Serverless::LayerVersion": "ContentUri",
}
_NOT_S3_MESSAGE = "is not a valid S3 Uri"


# --------------------------------------------------------------------------------------------
# Translation
# --------------------------------------------------------------------------------------------


def translate_sam(
    template: dict[str, Any],
    parameter_values: dict[str, str],
    region: str = "us-east-1",
    account_id: str = "123456789012",
    partition: str | None = None,
) -> dict[str, Any]:
    """Return the CloudFormation that the SAM transform would produce for ``template``.

    ``parameter_values`` are the stack's parameter values; parameter defaults are added by
    samtranslator. The pseudo parameters come from ``region``/``account_id``/``partition``
    and win over same-named entries. samtranslator derives the partition from the region in
    many places (managed policy ARNs, API Gateway endpoint types), so ``partition`` may only
    restate the region's partition; anything else raises ``ValueError``. The caller's template
    is left untouched. Raises ``SamTranslateError`` when samtranslator rejects the template.
    """
    partition = _check_partition(region, partition)
    sam_template = copy.deepcopy(template)
    values = {
        **copy.deepcopy(parameter_values),
        "AWS::Region": region,
        "AWS::AccountId": account_id,
        "AWS::Partition": partition,
    }
    policy_map = get_bundled_managed_policy_map(partition) or {}
    try:
        with _pinned_region(region) as session:
            output = _run_translator(sam_template, values, policy_map, session)
    except InvalidDocumentException as err:
        causes = [cause.message for cause in err.causes]
        hints = [_local_path_hint(template, causes), versioning_hint(causes)]
        raise SamTranslateError(causes, "\n".join(h for h in hints if h) or None) from err
    except ExceptionWithMessage as err:
        raise SamTranslateError([err.message], versioning_hint([err.message])) from err
    return _restore_other_transforms(template, output)


def _check_partition(region: str, partition: str | None) -> str:
    region_partition = ArnGenerator.get_partition_name(region)
    if partition is not None and partition != region_partition:
        raise ValueError(
            f"partition {partition!r} does not match region {region!r} (partition "
            f"{region_partition!r}); samtranslator takes the partition from the region, "
            "so pass a region in the partition you want"
        )
    return region_partition


class BundledManagedPolicyLoader:
    """Stands in for samtranslator's IAM-backed ``ManagedPolicyLoader``: no IAM calls."""

    def __init__(self, policy_map: dict[str, str]) -> None:
        self._policy_map = policy_map

    def load(self) -> dict[str, str]:
        return dict(self._policy_map)


class OfflineSarClient:
    """A Serverless Application Repository client that refuses every call.

    samtranslator would otherwise create a real boto3 client (credentials, network) for each
    ``AWS::Serverless::Application`` with an ``ApplicationId``. A ``NotFoundException`` is
    what samtranslator turns into a per-resource error, so the user sees which resource.
    """

    def _refuse(self, **kwargs: Any) -> dict[str, Any]:
        app = f"{kwargs.get('ApplicationId')} {kwargs.get('SemanticVersion', '')}".strip()
        message = (
            f"cannot resolve Serverless Application Repository application {app} offline; "
            "give Location as a template URL instead"
        )
        error = {"Error": {"Code": "NotFoundException", "Message": message}}
        raise ClientError(error, "ServerlessApplicationRepository")

    create_cloud_formation_template = _refuse
    get_application = _refuse
    get_cloud_formation_template = _refuse


def _run_translator(
    sam_template: dict[str, Any],
    values: dict[str, Any],
    policy_map: dict[str, str],
    session: boto3.session.Session,
) -> dict[str, Any]:
    """What ``samtranslator.translator.transform.transform`` does, with offline plugins.

    The py27 conversion matters: it is what makes API deployment and version logical IDs
    hash the same as in the service (and in SAM's own expected outputs).

    Metrics are published (to a dummy) at the end: otherwise ``Metrics.__del__`` logs an
    "unpublished metrics" warning to stderr whenever it is garbage-collected.
    """
    metrics = Metrics("ServerlessTransform", DummyMetricsPublisher())
    try:
        to_py27_compatible_template(sam_template, values)
        plugin_values = SamParameterValues(values)
        plugin_values.add_default_parameter_values(sam_template)
        sar_plugin = ServerlessAppPlugin(
            sar_client=OfflineSarClient(), parameters=plugin_values.parameter_values
        )
        translator = Translator(
            None, Parser(), plugins=[sar_plugin], boto_session=session, metrics=metrics
        )
        loader = BundledManagedPolicyLoader(policy_map)
        translated = translator.translate(
            sam_template, parameter_values=values, get_managed_policy_map=loader.load
        )
    finally:
        metrics.publish()
    return undo_mark_unicode_str_in_template(translated)


# What samtranslator says when a function asks for an alias setting without
# AutoPublishAlias (samtranslator/model/sam_resources.py; "AutoPublishALias" is its spelling).
_NEEDS_AUTO_PUBLISH = {
    "ProvisionedConcurrencyConfig": "AutoPublishALias must be defined",
    "DeploymentPreference": "'DeploymentPreference' requires AutoPublishAlias",
}
_VERSION_ALIAS_WAY = {
    "ProvisionedConcurrencyConfig": "ProvisionedConcurrencyConfig: "
    "{ProvisionedConcurrentExecutions: N} becomes the function's "
    "Metadata: {VersionAlias: {ProvisionedConcurrency: N}}",
    "DeploymentPreference": "DeploymentPreference moves, with the same keys, to the "
    "function's Metadata: {VersionAlias: {DeploymentPreference: {Type: ...}}}",
}


def versioning_hint(causes: list[str]) -> str | None:
    """The VersionAlias way when SAM refuses ProvisionedConcurrencyConfig or
    DeploymentPreference for lack of AutoPublishAlias: the macro versions the function and
    puts both on its alias, so AutoPublishAlias is not needed."""
    refused = [
        name
        for name, words in _NEEDS_AUTO_PUBLISH.items()
        if any(words.lower() in cause.lower() for cause in causes)
    ]
    if not refused:
        return None
    moves = "; ".join(_VERSION_ALIAS_WAY[name] for name in refused)
    return (
        f"With VersionAlias the function needs no AutoPublishAlias: {moves} (for Globals, "
        "the template's Metadata.VersionAlias). Or keep AutoPublishAlias: VersionAlias then "
        "takes SAM's version over."
    )


def _local_path_hint(template: dict[str, Any], causes: list[str]) -> str | None:
    """Name the local code paths when samtranslator complains that a URI is not S3."""
    if not any(_NOT_S3_MESSAGE in cause for cause in causes):
        return None
    paths = [f"{name}.{prop} = {value!r}" for name, prop, value in _local_code_paths(template)]
    if not paths:
        return None
    return (
        "Local code paths must be uploaded to S3 before SAM translation "
        "(as `sam package` does): " + ", ".join(paths)
    )


def _local_code_paths(template: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(logical id or Globals section, property, value) for every string URI not on S3."""
    globals_ = template.get("Globals")
    function_globals = globals_.get("Function") if isinstance(globals_, dict) else None
    if isinstance(function_globals, dict) and _is_local(function_globals.get("CodeUri")):
        yield "Globals.Function", "CodeUri", function_globals["CodeUri"]
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        return
    for name, resource in resources.items():
        prop = _CODE_LOCATIONS.get(resource_type(resource))
        properties = resource.get("Properties") if prop else None
        if isinstance(properties, dict) and _is_local(properties.get(prop)):
            yield name, prop, properties[prop]


def _is_local(uri: Any) -> bool:
    return isinstance(uri, str) and not uri.startswith("s3://")


@contextlib.contextmanager
def _pinned_region(region: str) -> Iterator[boto3.session.Session]:
    """Make every region lookup in samtranslator see ``region``; restore the globals after.

    ``Translator`` copies the session's region into ``ArnGenerator.BOTO_SESSION_REGION_NAME``
    (a class attribute), and ``RegionConfiguration`` asks ``boto3.DEFAULT_SESSION`` or a fresh
    ``boto3.Session()``, which reads ``AWS_DEFAULT_REGION``. No credentials are needed for
    any of these: a session only resolves credentials when a client makes a call.
    """
    saved_env = os.environ.get("AWS_DEFAULT_REGION")
    saved_region = ArnGenerator.BOTO_SESSION_REGION_NAME
    saved_session = boto3.DEFAULT_SESSION
    os.environ["AWS_DEFAULT_REGION"] = region
    ArnGenerator.BOTO_SESSION_REGION_NAME = region
    session = boto3.session.Session(region_name=region)
    boto3.DEFAULT_SESSION = session
    try:
        yield session
    finally:
        boto3.DEFAULT_SESSION = saved_session
        ArnGenerator.BOTO_SESSION_REGION_NAME = saved_region
        if saved_env is None:
            os.environ.pop("AWS_DEFAULT_REGION", None)
        else:
            os.environ["AWS_DEFAULT_REGION"] = saved_env


def _restore_other_transforms(original: dict[str, Any], output: dict[str, Any]) -> dict[str, Any]:
    """samtranslator deletes ``Transform`` outright; put back every transform but SAM's."""
    transform = original.get("Transform")
    others = copy.deepcopy([t for t in transform_list(transform) if t != SAM_TRANSFORM])
    output.pop("Transform", None)
    if not others:
        return output
    value: Any = others if isinstance(transform, list) else others[0]
    return _insert_key_like(original, output, "Transform", value)


def _insert_key_like(
    original: dict[str, Any], output: dict[str, Any], key: str, value: Any
) -> dict[str, Any]:
    """Insert ``key`` into ``output`` after the keys that preceded it in ``original``."""
    before = set()
    for existing in original:
        if existing == key:
            break
        before.add(existing)
    result: dict[str, Any] = {}
    placed = False
    for existing, existing_value in output.items():
        if not placed and existing not in before:
            result[key] = value
            placed = True
        result[existing] = existing_value
    if not placed:
        result[key] = value
    return result
