"""Dialogue scenarios (``tests/scenarios/*.toml``): load, validate, and run them on a driver.

The format is described in ``tests/scenarios/README.md``. This module knows no platform: a
:class:`Driver` (console: :mod:`tests.scenario_console`, Telegram:
:mod:`tests.scenario_telegram`) performs each step as a person would and reports what the bot
sent to each party's screen while handling it. :func:`run_scenario` fills the placeholders,
performs the steps in order and checks every ``see`` block, failing with the file, the
scenario id, the step and the transcript.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from adapters.console.parties import ACTORS, PLACES, Place
from adapters.shop.demo_data import DEMO_CARD_KEYS, DEMO_ORDER_NOS

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
CHANNELS = ("console", "telegram")
Channel = Literal["console", "telegram"]
ACTOR_NAMES = tuple(ACTORS)
SCREENS = (*ACTOR_NAMES, "group", "staff")  # what ``who`` may name

_SCENARIO_KEYS = {"id", "finding", "title", "channels", "config", "xfail", "steps"}
_STEP_KEYS = {"actor", "chat", "say", "press", "join", "wait_minutes", "see"}
_ACTIONS = ("say", "press", "join", "wait_minutes")
_SEE_KEYS = {"who", "has", "lacks", "silent"}
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w.]*)\}")
TICKET_NUMBER = re.compile(r"T-\d{6,}")


class ScenarioError(Exception):
    """A scenario file that is not valid, or a step the channel could not perform."""


class ScenarioFailure(AssertionError):
    """A ``see`` check that did not hold."""


@dataclass(frozen=True)
class See:
    who: str
    has: tuple[str, ...] = ()
    lacks: tuple[str, ...] = ()
    silent: bool = False


@dataclass(frozen=True)
class Step:
    number: int  # 1-based, as people count
    actor: str
    chat: Place
    say: str | None = None
    press: str | None = None
    join: bool = False
    wait_minutes: float | None = None
    see: tuple[See, ...] = ()

    @property
    def action(self) -> str:
        if self.say is not None:
            return f"{self.actor}@{self.chat} say {self.say!r}"
        if self.press is not None:
            return f"{self.actor}@{self.chat} press {self.press!r}"
        if self.join:
            return f"{self.actor} joins {self.chat}"
        return f"wait {self.wait_minutes} minutes"


@dataclass(frozen=True)
class Scenario:
    id: str
    source: Path
    steps: tuple[Step, ...]
    title: str = ""
    finding: str = ""
    channels: tuple[Channel, ...] = CHANNELS
    config: Mapping[str, Any] = field(default_factory=dict)
    xfail: Mapping[str, str] = field(default_factory=dict)  # channel -> why

    @property
    def where(self) -> str:
        return f"{self.source.name}: scenario {self.id!r}"


# -- loading and validation ----------------------------------------------------------------
def _fail(where: str, problem: str) -> ScenarioError:
    return ScenarioError(f"{where}: {problem}")


def _unknown(where: str, data: Mapping[str, Any], known: set[str]) -> None:
    extra = sorted(set(data) - known)
    if extra:
        raise _fail(where, f"unknown key {', '.join(map(repr, extra))} (known: {sorted(known)})")


def _strings(where: str, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(where, f"`{key}` must be a string or a list of strings")
    return tuple(value)


def _check_placeholders(where: str, text: str) -> None:
    for name in _PLACEHOLDER.findall(text):
        try:
            fill(f"{{{name}}}", ticket="T-000000", brand="?")
        except ScenarioError as exc:
            raise _fail(where, str(exc)) from None


def _see(where: str, data: Any) -> See:
    if not isinstance(data, dict):
        raise _fail(where, "each [[scenario.steps.see]] must be a table")
    _unknown(where, data, _SEE_KEYS)
    who = data.get("who")
    if who not in SCREENS:
        raise _fail(where, f"`who` is {who!r}; use one of {list(SCREENS)}")
    has = _strings(where, "has", data.get("has", []))
    lacks = _strings(where, "lacks", data.get("lacks", []))
    silent = data.get("silent", False)
    if not isinstance(silent, bool):
        raise _fail(where, "`silent` must be true or false")
    if silent and has:
        raise _fail(where, "`silent = true` and `has` contradict each other")
    if not (has or lacks or silent):
        raise _fail(where, f"the check on {who!r} checks nothing: give has, lacks or silent")
    for text in has + lacks:
        _check_placeholders(where, text)
    return See(who=who, has=has, lacks=lacks, silent=silent)


def _step(where: str, number: int, data: Any) -> Step:
    where = f"{where} step {number}"
    if not isinstance(data, dict):
        raise _fail(where, "each [[scenario.steps]] must be a table")
    _unknown(where, data, _STEP_KEYS)
    given = [a for a in _ACTIONS if a in data]
    if len(given) != 1:
        found = f"found {given}" if given else "found none"
        raise _fail(where, f"a step needs exactly one of {list(_ACTIONS)} ({found})")
    action = given[0]
    actor = data.get("actor", "" if action == "wait_minutes" else None)
    if action != "wait_minutes" and actor not in ACTOR_NAMES:
        raise _fail(where, f"`actor` is {actor!r}; use one of {list(ACTOR_NAMES)}")
    chat = data.get("chat", "group" if action == "join" else "private")
    if chat not in PLACES:
        raise _fail(where, f"`chat` is {chat!r}; use one of {list(PLACES)}")
    say = data.get("say")
    press = data.get("press")
    if action == "say" and (not isinstance(say, str) or not say.strip()):
        raise _fail(where, "`say` must be a non-empty string")
    if isinstance(say, str) and _console_command(say):
        raise _fail(where, f"`say = {say!r}` is a console command; use `press` for buttons")
    if action == "press" and (not isinstance(press, str) or not press.strip()):
        raise _fail(where, "`press` must be a non-empty part of a button's label")
    if action == "join" and (data["join"] is not True or chat == "private"):
        raise _fail(where, '`join` must be true, in chat "group" (the default) or "staff"')
    minutes = data.get("wait_minutes")
    if action == "wait_minutes" and (
        isinstance(minutes, bool) or not isinstance(minutes, int | float) or minutes <= 0
    ):
        raise _fail(where, "`wait_minutes` must be a positive number")
    for text in (say, press):
        if isinstance(text, str):
            _check_placeholders(where, text)
    checks = data.get("see", [])
    if not isinstance(checks, list):
        raise _fail(where, "`see` must be an array of tables ([[scenario.steps.see]])")
    return Step(
        number=number,
        actor=actor or "",
        chat=chat,
        say=say,
        press=press,
        join=action == "join",
        wait_minutes=float(minutes) if action == "wait_minutes" else None,
        see=tuple(_see(f"{where} see {i}", c) for i, c in enumerate(checks, 1)),
    )


def _console_command(text: str) -> bool:
    """Lines the console itself interprets (see adapters.console.channel)."""
    text = text.strip()
    if text in ("/as", "/join") or text.startswith("/as "):
        return True
    return re.match(r"^#\S", text) is not None


def _xfail(where: str, value: Any, channels: tuple[Channel, ...]) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str) and value.strip():
        return dict.fromkeys(channels, value)
    if (
        isinstance(value, dict)
        and value
        and all(k in CHANNELS and isinstance(v, str) and v.strip() for k, v in value.items())
    ):
        return dict(value)
    raise _fail(where, '`xfail` must be a reason ("why"), or a table {console = "why"}')


def parse_scenario(source: Path, data: Any, index: int) -> Scenario:
    where = f"{source.name}: scenario #{index}"
    if not isinstance(data, dict):
        raise _fail(where, "each [[scenario]] must be a table")
    sid = data.get("id")
    if not isinstance(sid, str) or not re.fullmatch(r"[A-Za-z0-9][\w.-]*", sid):
        raise _fail(where, f"`id` is {sid!r}; give a unique id of letters, digits, - and _")
    where = f"{source.name}: scenario {sid!r}"
    _unknown(where, data, _SCENARIO_KEYS)
    for key in ("title", "finding"):
        if not isinstance(data.get(key, ""), str):
            raise _fail(where, f"`{key}` must be a string")
    channels = _strings(where, "channels", data.get("channels", list(CHANNELS)))
    if not channels or any(c not in CHANNELS for c in channels):
        raise _fail(where, f"`channels` is {list(channels)}; use some of {list(CHANNELS)}")
    config = data.get("config", {})
    if not isinstance(config, dict) or not all(isinstance(v, dict) for v in config.values()):
        raise _fail(where, "`config` must be a table of config sections, e.g. {tickets = {...}}")
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        raise _fail(where, "a scenario needs steps ([[scenario.steps]])")
    typed: tuple[Channel, ...] = tuple(c for c in CHANNELS if c in channels)
    return Scenario(
        id=sid,
        source=source,
        title=data.get("title", ""),
        finding=data.get("finding", ""),
        channels=typed,
        config=config,
        xfail=_xfail(where, data.get("xfail"), typed),
        steps=tuple(_step(where, i, s) for i, s in enumerate(steps, 1)),
    )


def load_file(path: Path) -> list[Scenario]:
    """Every scenario of one file; :class:`ScenarioError` names the file and the scenario."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ScenarioError(f"{path.name}: not a readable TOML file: {exc}") from None
    _unknown(path.name, data, {"scenario"})
    entries = data.get("scenario")
    if not isinstance(entries, list) or not entries:
        raise ScenarioError(f"{path.name}: no [[scenario]] in the file")
    return [parse_scenario(path, entry, i) for i, entry in enumerate(entries, 1)]


def scenario_files(directory: Path = SCENARIO_DIR) -> list[Path]:
    return sorted(directory.glob("*.toml"))


def load_all(directory: Path = SCENARIO_DIR) -> tuple[list[Scenario], dict[str, str]]:
    """All valid scenarios, and the problem of each file that is not valid (by file name).

    A scenario id used twice is a problem of the second file that uses it.
    """
    scenarios: list[Scenario] = []
    problems: dict[str, str] = {}
    seen: dict[str, Path] = {}
    for path in scenario_files(directory):
        try:
            found = load_file(path)
            for scenario in found:
                first = seen.get(scenario.id)
                if first is not None:
                    raise ScenarioError(f"{scenario.where}: the id is already used in {first.name}")
                seen[scenario.id] = path
        except ScenarioError as exc:
            problems[path.name] = str(exc)
            continue
        scenarios += found
    return scenarios, problems


# -- placeholders --------------------------------------------------------------------------
def fill(text: str, *, ticket: str | None, brand: str) -> str:
    """``text`` with ``{ticket}``, ``{order.NAME}``, ``{card.NAME}`` and ``{brand}`` filled."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        kind, _, key = name.partition(".")
        if name == "ticket":
            if ticket is None:
                raise ScenarioError("{ticket} is used before the bot showed any ticket number")
            return ticket
        if name == "brand":
            return brand
        table = {"order": DEMO_ORDER_NOS, "card": DEMO_CARD_KEYS}.get(kind)
        if table is None or not key:
            raise ScenarioError(
                f"unknown placeholder {{{name}}}: use {{ticket}}, {{brand}}, "
                "{order.NAME} or {card.NAME}"
            )
        if key not in table:
            raise ScenarioError(f"unknown {{{name}}}: {kind} names are {sorted(table)}")
        return table[key]

    return _PLACEHOLDER.sub(value, text)


# -- checks --------------------------------------------------------------------------------
def check(see: See, sent: Sequence[str]) -> list[str]:
    """What is wrong with ``sent`` (the texts shown on ``see.who``'s screen in a step)."""
    joined = "\n".join(sent)
    problems: list[str] = []
    if see.silent and sent:
        problems.append(f"{see.who}: expected silence, got {len(sent)} message(s)")
    problems += [f"{see.who}: missing {text!r}" for text in see.has if text not in joined]
    problems += [f"{see.who}: must not show {text!r}" for text in see.lacks if text in joined]
    return problems


# -- running -------------------------------------------------------------------------------
class Driver(Protocol):
    """One channel with the real bot behind it; each method returns once the bot is done."""

    brand: str

    async def say(self, actor: str, chat: Place, text: str) -> None: ...

    async def press(self, actor: str, chat: Place, fragment: str) -> None: ...

    async def join(self, actor: str, chat: Place) -> None: ...

    async def wait(self, minutes: float) -> None: ...

    def mark(self) -> int:
        """A position in what the bot has sent so far."""
        ...

    def sent_since(self, mark: int) -> list[tuple[str, str]]:
        """(screen, text) of each message shown since ``mark``, in order; a screen is named
        as in ``SCREENS`` (anyone else's as "other:<id>")."""
        ...

    def transcript(self) -> str:
        """The whole dialogue so far, for failure messages."""
        ...


def last_ticket(texts: Sequence[str], current: str | None) -> str | None:
    for text in texts:
        for number in TICKET_NUMBER.findall(text):
            current = number
    return current


async def run_scenario(scenario: Scenario, driver: Driver) -> None:
    """Perform every step on ``driver`` and check it; raises :class:`ScenarioFailure`."""
    ticket: str | None = None
    for step in scenario.steps:
        where = f"{scenario.where} step {step.number} ({step.action})"
        mark = driver.mark()
        try:
            if step.say is not None:
                text = fill(step.say, ticket=ticket, brand=driver.brand)
                await driver.say(step.actor, step.chat, text)
            elif step.press is not None:
                fragment = fill(step.press, ticket=ticket, brand=driver.brand)
                await driver.press(step.actor, step.chat, fragment)
            elif step.join:
                await driver.join(step.actor, step.chat)
            else:
                assert step.wait_minutes is not None
                await driver.wait(step.wait_minutes)
        except ScenarioError as exc:
            raise ScenarioFailure(f"{where}: {exc}\n\n{driver.transcript()}") from None
        sent = driver.sent_since(mark)
        # {ticket} is the newest number shown so far, this step included.
        ticket = last_ticket([text for _, text in sent], ticket)
        by_screen: dict[str, list[str]] = {}
        for who, text in sent:
            by_screen.setdefault(who, []).append(text)
        problems: list[str] = []
        for see in step.see:
            try:
                filled = See(
                    who=see.who,
                    has=tuple(fill(t, ticket=ticket, brand=driver.brand) for t in see.has),
                    lacks=tuple(fill(t, ticket=ticket, brand=driver.brand) for t in see.lacks),
                    silent=see.silent,
                )
            except ScenarioError as exc:
                raise ScenarioFailure(f"{where}: {exc}") from None
            problems += check(filled, by_screen.get(see.who, []))
        if problems:
            shown = "\n".join(f"  [{who}] " + text.replace("\n", "\n    ") for who, text in sent)
            raise ScenarioFailure(
                f"{where}:\n  - "
                + "\n  - ".join(problems)
                + f"\nsent during this step:\n{shown or '  (nothing)'}"
                + f"\n\ntranscript:\n{driver.transcript()}"
            )
