"""`version-alias`: render, diff, check and lint templates as CloudFormation would see them.

Every subcommand module is cheap to import; each imports what it needs (cfn-lint,
samtranslator, boto3) only when it runs and needs it. No Python traceback reaches the
user: Ctrl-C exits 130, a closed pipe (`| head`) 141, and an unexpected error prints one
line naming the error type (the traceback with VERSION_ALIAS_DEBUG=1) and exits 70.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence

from .commands import check, diff, lint, prune, render
from .support.common import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED

EXIT_INTERNAL = 70  # EX_SOFTWARE (sysexits.h)
DEBUG_ENV = "VERSION_ALIAS_DEBUG"
EPILOG = (
    "exit codes: 0 success; 1 a template problem or findings (check), a new version "
    "(diff --exit-code); 2 usage; lint: cfn-lint's bits (2 error, 4 warning, 8 "
    "informational); 3 an AWS failure (prune); 70 an internal error; 130 interrupted "
    "(Ctrl-C); 141 output pipe closed. `version-alias COMMAND --help` has each command's."
)

Command = tuple[str, str, Callable[[argparse.ArgumentParser], None], Callable[..., int], str]


def _commands() -> list[Command]:
    return [
        (
            "render",
            "render a template through SAM (if asked) and VersionAlias",
            render.add_arguments,
            render.run,
            render.EPILOG,
        ),
        (
            "diff",
            "say which functions a deploy publishes a new version of, and why",
            diff.add_arguments,
            diff.run,
            diff.EPILOG,
        ),
        (
            "prune",
            "delete old published versions that nothing uses",
            prune.add_arguments,
            prune.run,
            prune.EPILOG,
        ),
        (
            "check",
            "report invocation sites that run $LATEST",
            check.add_arguments,
            check.run,
            check.EPILOG,
        ),
        (
            "lint",
            "render, then cfn-lint with the VersionAlias rules",
            lint.add_arguments,
            lint.run,
            lint.EPILOG,
        ),
    ]


class _Version(argparse.Action):
    """`--version`: the installed package's version, read only when asked for."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **_: object):
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            text = version("version-alias")
        except PackageNotFoundError:
            text = "unknown (not installed)"
        sys.stdout.write(f"version-alias {text}\n")
        parser.exit(0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="version-alias",
        description="Preview and check what the VersionAlias macro does to a template.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, summary, add_arguments, run, epilog in _commands():
        command = sub.add_parser(name, help=summary, description=summary, epilog=epilog)
        add_arguments(command)
        command.set_defaults(run=run, usage_error=command.error)
    return parser


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments; a usage error exits 2 with the usage of the subcommand it concerns.

    argparse leaves arguments a subcommand does not know to the top-level parser, which
    would print its own usage (`version-alias [-h] [--version] COMMAND`) instead of the
    subcommand's options: they are reported by the subcommand's parser instead (those
    before the subcommand's name by the top-level parser)."""
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args, unknown = parser.parse_known_args(words)
    if unknown:
        before = words[: words.index(args.command)] if args.command in words else []
        report = parser.error if any(item in before for item in unknown) else args.usage_error
        report(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Parse, run, and turn what escapes into an exit code (see the module docstring)."""
    try:
        args = parse(argv)
        gc.freeze()  # the modules loaded so far live as long as the process (lint_run.py)
        status = args.run(args)
        sys.stdout.flush()
        return status
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as problem:
        if os.environ.get(DEBUG_ENV):
            raise
        print(
            f"version-alias: internal error ({type(problem).__name__}); please report it "
            f"with the command you ran. {DEBUG_ENV}=1 shows the traceback.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _discard_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so that the interpreter's final flush
    does not raise again (the Python documentation's recipe for SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
