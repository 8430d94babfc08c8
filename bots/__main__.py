"""``python -m bots``: the command-line entry point."""

from bots.cli import main

raise SystemExit(main())
