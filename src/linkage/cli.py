"""Command line (命令行): ``linkage <subcommand>``. Filled in by the report/CLI work."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from linkage import __version__

    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--version"]:
        print(f"linkage {__version__}")
        return 0
    print("linkage: CLI not built yet", file=sys.stderr)
    return 1
