"""The `family-time` command: one sub-command per job, each in pipeline/commands/.

Each command module has HELP, add_arguments(parser) and run(args) -> exit code. Modules are
imported only when their command runs, so `family-time extract` never loads the mail code.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS: dict[str, str] = {
    "extract": "pipeline.commands.extract",
    "validate": "pipeline.commands.validate",
    "calendar": "pipeline.commands.calendar",
    "process": "pipeline.commands.process",
    "watch": "pipeline.commands.watch",
    "status": "pipeline.commands.status",
    "init": "pipeline.commands.init",
    "demo": "pipeline.commands.demo",
    "tracker": "pipeline.commands.tracker",
    "paperwork": "pipeline.commands.paperwork",
    "report": "pipeline.commands.report",
    "bundle": "pipeline.commands.bundle",
    "sessions": "pipeline.commands.sessions",
    "doctor": "pipeline.commands.doctor",
    "rota": "pipeline.commands.rota",
}


def build_parser(load: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="family-time", description="Referral intake and paperwork for a Family Time service."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    from pipeline.console import utf8_streams

    utf8_streams()  # a cp1252 console or redirected file must not crash us
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    from pipeline import clock

    try:
        clock.fixed_today()
    except clock.ClockError as exc:
        print(exc, file=sys.stderr, flush=True)
        return 2
    if clock.notice() and args.command != "status":  # status says it in its own output
        sys.stdout.flush()  # whatever came before goes first, never glued to it
        print(clock.notice(), file=sys.stderr, flush=True)
    out = sys.stdout = _EndsLines(sys.stdout)
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    finally:
        sys.stdout = out.stream
        try:
            out.end_line()
        except (BrokenPipeError, OSError, ValueError):
            pass


class _EndsLines:
    """stdout, remembering its last character: every command's output ends with a newline,
    so nothing written after it (a note on stderr, the shell's prompt) is glued to its last
    line."""

    def __init__(self, stream):
        self.stream, self.last = stream, "\n"

    def write(self, text: str) -> int:
        if text:
            self.last = text[-1]
        return self.stream.write(text)

    def end_line(self) -> None:
        if self.last != "\n":
            self.stream.write("\n")
            self.last = "\n"
        self.stream.flush()

    def __getattr__(self, name):
        return getattr(self.stream, name)


if __name__ == "__main__":
    sys.exit(main())
