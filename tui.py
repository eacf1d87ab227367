"""Start kwali's terminal interface: ``python tui.py [-p PATH] [--coder NAME] [--blind]``."""

from __future__ import annotations

import argparse
import getpass
import sys

from kwali.ui.app import run

if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description="kwali: code interview transcripts in the terminal"
    )
    parser.add_argument(
        "-p", "--project", default="sample/voorbeeld.kwali", help="the project file"
    )
    parser.add_argument(
        "--coder", default=getpass.getuser(), help="who is coding (default: your login)"
    )
    parser.add_argument("--blind", action="store_true", help="show only your own codings")
    args = parser.parse_args()
    sys.exit(run(args.project, args.coder, args.blind))
