"""The stack's tags, for the opt-out tag: one signed CloudFormation DescribeStacks call.

The hook's request carries no tags (request.py), and the Lambda package has no AWS SDK,
so the call is made with the standard library: a Query API request
(https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html)
signed with Signature Version 4
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html)
with the function's own credentials, which Lambda puts in the environment
(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN). The endpoint is
cloudformation.REGION.amazonaws.com (.com.cn in China), or the SDKs' endpoint variables
AWS_ENDPOINT_URL_CLOUDFORMATION and AWS_ENDPOINT_URL when set.

The hook calls it only for a stack with findings and only when an opt-out tag is
configured, so most evaluations make no AWS call at all.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import urllib.error
import urllib.parse
import urllib.request
from xml.etree import ElementTree

from ..context import partition_for

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

API_VERSION = "2010-05-15"
SERVICE = "cloudformation"
TIMEOUT_SECONDS = 5.0
MAX_RESPONSE_BYTES = 1024 * 1024
CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"


class StackTagsError(Exception):
    """The tags could not be read; the message says why (AWS's error code, or the kind of
    network failure)."""


def endpoint(region: str, environ: Mapping[str, str]) -> str:
    """Where DescribeStacks goes for this region."""
    configured = environ.get("AWS_ENDPOINT_URL_CLOUDFORMATION") or environ.get("AWS_ENDPOINT_URL")
    if configured:
        return configured
    suffix = "amazonaws.com.cn" if partition_for(region) == "aws-cn" else "amazonaws.com"
    return f"https://{SERVICE}.{region}.{suffix}/"


def stack_tags(
    stack_id: str,
    region: str,
    environ: Mapping[str, str],
    now: datetime.datetime | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> dict[str, str]:
    """The tags of the stack (key -> value). Raises StackTagsError."""
    access_key = environ.get("AWS_ACCESS_KEY_ID", "")
    secret_key = environ.get("AWS_SECRET_ACCESS_KEY", "")
    if not access_key or not secret_key:
        raise StackTagsError("no AWS credentials in the function's environment")
    url = endpoint(region, environ)
    body = urllib.parse.urlencode(
        {"Action": "DescribeStacks", "StackName": stack_id, "Version": API_VERSION}
    ).encode()
    headers = signed_headers(
        url,
        body,
        region,
        (access_key, secret_key, environ.get("AWS_SESSION_TOKEN", "")),
        now or datetime.datetime.now(datetime.UTC),
    )
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            document = response.read(MAX_RESPONSE_BYTES)
    except urllib.error.HTTPError as problem:
        code = _error_code(problem.read(MAX_RESPONSE_BYTES))
        what = f"DescribeStacks failed: HTTP {problem.code} {code}".rstrip()
        raise StackTagsError(what) from None
    except (urllib.error.URLError, TimeoutError, OSError) as problem:
        reason = getattr(problem, "reason", problem)
        raise StackTagsError(f"DescribeStacks failed ({type(reason).__name__})") from None
    return tags_in(document)


def signed_headers(
    url: str,
    body: bytes,
    region: str,
    credentials: tuple[str, str, str],
    now: datetime.datetime,
) -> dict[str, str]:
    """The headers of a SigV4-signed POST of `body` to `url`: Content-Type, Host,
    X-Amz-Date, X-Amz-Security-Token (with a session token) and Authorization."""
    access_key, secret_key, session_token = credentials
    parts = urllib.parse.urlsplit(url)
    amz_date = now.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    day = amz_date[:8]
    headers = {"content-type": CONTENT_TYPE, "host": parts.netloc, "x-amz-date": amz_date}
    if session_token:
        headers["x-amz-security-token"] = session_token
    names = sorted(headers)
    canonical = "\n".join(
        [
            "POST",
            urllib.parse.quote(parts.path or "/", safe="/-_.~"),
            parts.query,
            "".join(f"{name}:{headers[name].strip()}\n" for name in names),
            ";".join(names),
            hashlib.sha256(body).hexdigest(),
        ]
    )
    scope = f"{day}/{region}/{SERVICE}/aws4_request"
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = f"AWS4{secret_key}".encode()
    for part in (day, region, SERVICE, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, "
        f"SignedHeaders={';'.join(names)}, Signature={signature}"
    )
    return {name.title(): value for name, value in headers.items()}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def tags_in(document: bytes) -> dict[str, str]:
    """The first stack's tags in a DescribeStacks response (its Query API XML)."""
    try:
        root = ElementTree.fromstring(document)
    except ElementTree.ParseError:
        raise StackTagsError("DescribeStacks answered with something that is not XML") from None
    for element in root.iter():
        if _local(element.tag) != "Stacks":
            continue
        for stack in element:
            found: dict[str, str] = {}
            for child in stack:
                if _local(child.tag) != "Tags":
                    continue
                for tag in child:
                    fields = {_local(item.tag): item.text or "" for item in tag}
                    if "Key" in fields:
                        found[fields["Key"]] = fields.get("Value", "")
            return found
    raise StackTagsError("DescribeStacks answered without the stack")


def _error_code(document: bytes) -> str:
    """AWS's error code (`AccessDenied`, `ValidationError`) in an error response."""
    try:
        root = ElementTree.fromstring(document)
    except ElementTree.ParseError:
        return ""
    for element in root.iter():
        if _local(element.tag) == "Code" and element.text:
            return element.text.strip()[:64]
    return ""
