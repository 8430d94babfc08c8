"""The console channel: stdin lines in, replies on stdout. For demos, scripts and tests."""

from adapters.console.channel import ConsoleChannel, run_console

__all__ = ["ConsoleChannel", "run_console"]
