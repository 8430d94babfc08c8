"""``python -m bots <verb>``: run, chat, classify, check-name (names fixed by DESIGN.md).

Config problems print one paragraph naming the key and the fix and exit with code 2;
no traceback reaches the operator. When whoever reads stdout goes away (``| head -1``), a
verb stops quietly and exits 0: the reader has had all it asked for.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from core.config import Config, ConfigError, load_config
from core.logs import redact, setup_logging

EXIT_CONFIG = 2
EXIT_RUNTIME = 1

log = logging.getLogger("bots")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bots",
        description="卡盟 after-sales support bot (Telegram, Discord, Feishu, console).",
    )
    sub = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument(
            "--config", default="config.toml", help="config file (default: ./config.toml)"
        )
        return p

    add("run", "run every channel enabled in the config (plus the SLA clock) until stopped")
    chat = add("chat", "console channel: each stdin line is a message, replies go to stdout")
    chat.add_argument("--user", default="console-user", help="the user id to chat as")
    chat.add_argument("--name", default="", help="the user's display name")
    chat.add_argument("--group", action="store_true", help="speak in a group instead of a DM")
    chat.add_argument("--moderator", action="store_true", help="be a group admin (moderator)")
    chat.add_argument(
        "--chat", default="group", help="the group's id with --group (default: group)"
    )
    chat.add_argument("--join", action="store_true", help="with --group: join the group first")
    chat.add_argument(
        "--script",
        type=Path,
        metavar="FILE",
        help="read the lines from FILE instead of stdin; `/as <who>` lines switch who types "
        "and every message is labelled with the screen it appears on",
    )
    chat.add_argument("-v", "--verbose", action="store_true", help="log at the configured level")
    add("classify", "each stdin line → one JSON line {text, intent, score}")
    add(
        "check-name",
        "each stdin line (a display name) → one JSON line {name, suspicious, score, reason}",
    )
    return parser


async def _chat(config: Config, args: argparse.Namespace) -> int:
    from adapters.console import ConsoleChannel, run_console
    from bots.app import build_app
    from bots.background import run_background

    script = None
    if args.script is not None:
        try:
            script = args.script.open(encoding="utf-8", errors="replace")
        except OSError as exc:
            print(f"Cannot read the script {args.script}: {exc.strerror}.", file=sys.stderr)
            return EXIT_CONFIG
    app = await build_app(config)
    try:
        staff_chats = [
            d.partition(":")[2]
            for d in config.staff.destinations(config)
            if d.startswith("console:")
        ]
        channel = ConsoleChannel(
            sys.stdout,
            user_id=args.user,
            name=args.name,
            group=args.group,
            moderator=args.moderator,
            chat_id=args.chat,
            staff_chat_id=staff_chats[0] if staff_chats else "staff",
            labelled=script is not None,
            # Piped or scripted lines are not on the screen: print each with its speaker once
            # the session is labelled.
            echo=script is not None or not sys.stdin.isatty(),
        )
        app.services.channels[channel.platform] = channel
        stop = asyncio.Event()
        background = asyncio.create_task(run_background(app, stop))
        try:
            await run_console(
                app.runtime,
                channel,
                script or sys.stdin,
                join=args.join and args.group,
                script=script is not None,
            )
        finally:
            stop.set()
            await background
        await app.outbox.run_once()  # hand what this session queued to the shop before exiting
        await app.replies.run_once()  # and send the due replies an earlier run left unsent
    finally:
        await app.close()
        if script is not None:
            script.close()
    if channel.reader_gone:
        _quiet_stdout()
    return 0


def _quiet_stdout() -> None:
    """Our reader has gone: what is still buffered goes nowhere, so the flush at exit cannot
    fail with a BrokenPipeError traceback."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)


def _check_names(config: Config) -> int:
    """Each stdin line is a name; one JSON verdict per line, in order."""
    from core.guard.matcher import NameGuard

    guard = NameGuard(
        brand=config.brand.name,
        official_accounts=config.official.accounts,
        role_words=config.guard.role_words,
    )
    for line in sys.stdin:
        name = line.rstrip("\r\n")  # keep other whitespace: trailing spaces can be the attack
        verdict = guard.check(name)
        record = {
            "name": name,
            "suspicious": verdict.suspicious,
            "score": round(verdict.score, 4),
            "reason": verdict.reason,
        }
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0


def _classify(config: Config) -> int:
    """Each stdin line is a message; one JSON line {text, intent, score} per line."""
    from core.nlu.classifier import IntentClassifier
    from core.nlu.decide import decide

    classifier = IntentClassifier.default()
    for line in sys.stdin:
        text = line.rstrip("\r\n")
        result = decide(classifier, text)
        record = {"text": text, "intent": result.intent, "score": round(result.score, 4)}
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0


def _utf8_streams() -> None:
    """Chinese text in and out whatever the locale; undecodable bytes never crash a verb."""
    for stream in (sys.stdin, sys.stdout):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _utf8_streams()
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    from bots.app import register_secrets

    register_secrets(config)  # before anything can log or fail with a secret in its text
    level = config.logging.level if getattr(args, "verbose", True) else "WARNING"
    setup_logging(level, json_format=config.logging.json_format)
    try:
        if args.verb == "chat":
            return asyncio.run(_chat(config, args))
        if args.verb == "run":
            from bots.run import run

            return asyncio.run(run(config))
        if args.verb == "check-name":
            return _check_names(config)
        if args.verb == "classify":
            return _classify(config)
        print(f"`{args.verb}` is not available in this version yet.", file=sys.stderr)
        return EXIT_RUNTIME
    except ConfigError as exc:
        print(f"Configuration error: {redact(str(exc))}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        _quiet_stdout()
        return 0
    except OSError as exc:
        print(f"Could not start: {redact(str(exc))}", file=sys.stderr)
        return EXIT_RUNTIME
    except Exception as exc:
        log.debug("fatal error", exc_info=True)
        print(f"Could not start: {type(exc).__name__}: {redact(str(exc))}", file=sys.stderr)
        return EXIT_RUNTIME
