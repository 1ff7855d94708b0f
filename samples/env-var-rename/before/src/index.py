"""Orders API handler: reads TABLE_NAME (before the rename)."""

import json
import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, _context):
    order_id = (event.get("queryStringParameters") or {}).get("id", "none")
    item = TABLE.get_item(Key={"id": order_id}).get("Item")
    return {"statusCode": 200 if item else 404, "body": json.dumps(item)}
