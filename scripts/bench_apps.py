"""The generated apps `make bench` times: N functions, each with an SQS queue and an event
source mapping, sharing one role; the same app as SAM writes it; a macro event."""

from __future__ import annotations

from typing import Any

LARGEST = 99  # 99 functions x 5 resources + 1 role = 496 resources out, within 500


def function_resources(index: int) -> dict[str, Any]:
    """One function with its queue and event source mapping, as a team would write it."""
    name = f"Worker{index}"
    return {
        name: {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Description": f"Processes queue {index}",
                "Runtime": "python3.13",
                "Handler": "app.handler",
                "MemorySize": 512,
                "Timeout": 30,
                "Architectures": ["arm64"],
                "Role": {"Fn::GetAtt": ["WorkerRole", "Arn"]},
                "Code": {"S3Bucket": {"Ref": "CodeBucket"}, "S3Key": {"Ref": "CodeKey"}},
                "Environment": {
                    "Variables": {
                        "QUEUE_URL": {"Ref": f"{name}Queue"},
                        "STAGE": {"Ref": "Stage"},
                        "TABLE": {"Fn::Sub": "orders-${Stage}-${AWS::Region}"},
                    }
                },
                "Tags": [{"Key": "team", "Value": "orders"}],
            },
        },
        f"{name}Queue": {
            "Type": "AWS::SQS::Queue",
            "Properties": {"VisibilityTimeout": 180, "MessageRetentionPeriod": 345600},
        },
        f"{name}Mapping": {
            "Type": "AWS::Lambda::EventSourceMapping",
            "Properties": {
                "FunctionName": {"Ref": name},
                "EventSourceArn": {"Fn::GetAtt": [f"{name}Queue", "Arn"]},
                "BatchSize": 10,
            },
        },
    }


def app(functions: int) -> dict[str, Any]:
    resources: dict[str, Any] = {
        "WorkerRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "lambda.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
                "ManagedPolicyArns": [
                    "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
                ],
            },
        }
    }
    for index in range(functions):
        resources.update(function_resources(index))
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "VersionAlias",
        "Parameters": {
            "Stage": {"Type": "String", "Default": "prod"},
            "CodeBucket": {"Type": "String", "Default": "artifacts"},
            "CodeKey": {"Type": "String", "Default": "app-1.zip"},
        },
        "Resources": resources,
    }


def sam_app(functions: int) -> dict[str, Any]:
    """The same app as SAM writes it: AutoPublishAlias and an SQS event per function."""
    plain = app(functions)
    resources: dict[str, Any] = {"WorkerRole": plain["Resources"]["WorkerRole"]}
    for index in range(functions):
        name = f"Worker{index}"
        properties = dict(plain["Resources"][name]["Properties"])
        del properties["Code"]
        properties["Tags"] = {"team": "orders"}
        properties["CodeUri"] = "s3://artifacts/app-1.zip"
        properties["AutoPublishAlias"] = "live"
        properties["Events"] = {
            "Jobs": {
                "Type": "SQS",
                "Properties": {
                    "Queue": {"Fn::GetAtt": [f"{name}Queue", "Arn"]},
                    "BatchSize": 10,
                },
            }
        }
        resources[name] = {"Type": "AWS::Serverless::Function", "Properties": properties}
        resources[f"{name}Queue"] = plain["Resources"][f"{name}Queue"]
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Parameters": plain["Parameters"],
        "Resources": resources,
    }


def event(template: dict[str, Any]) -> dict[str, Any]:
    return {
        "region": "us-east-1",
        "accountId": "123456789012",
        "fragment": template,
        "transformId": "123456789012::VersionAlias",
        "params": {},
        "requestId": "bench",
        "templateParameterValues": {},
    }
