"""The guardrail: a CloudFormation Lambda Hook that flags any stack invoking `$LATEST`.

An optional, account-wide deploy-time check beside the macro (guardrail.yaml deploys it;
docs/guardrail.md explains it). For every stack operation CloudFormation hands the hook
the template as submitted; the hook reads it (JSON, or YAML with its own standard-library
reader), runs the macro's pure core on it when the template lists the macro, and reports
every invocation site the `$LATEST` checker (invokers/checker.py) finds: one rule, and one
catalog, for CI (`version-alias check`), lint (W9350) and deploy.

Modules: `hook.py` (the Lambda entry point and its log line), `request.py` (the hook's
request and the template it points at), `verdict.py` (what the hook decides),
`answer.py` (the response and its message), `stack_tags.py` (the opt-out tag, read with a
signed DescribeStacks call), `template_text.py` and the `yaml_*` modules (reading the
template). Standard library only, like the macro; imports the core stages and never the
handler, the CLI or the lint rules.
"""
