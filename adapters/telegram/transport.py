"""Transport concerns: the health of long polling, and keeping the bot token out of logs.

* :class:`PollWatch` follows every ``getUpdates`` round trip (through :class:`WatchedRequest`,
  the HTTP client PTB uses for ``getUpdates`` only): it logs "polling error, retrying" when a
  round trip fails, "polling recovered" when one succeeds again, and says whether polling is
  healthy. PTB's updater keeps retrying on its own (with back-off up to 30 s); only a rejected
  token stops it for good, which is reported as such.
* :class:`TokenRedactor` rewrites any log record of PTB, httpx, this adapter and the runtime
  that contains the token (PTB logs the API URL, which embeds it, at DEBUG); httpx is also
  kept at WARNING, since it logs every request URL at INFO.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.error import Conflict, TelegramError, TimedOut
from telegram.request import HTTPXRequest, RequestData

log = logging.getLogger(__name__)

# Consecutive failed getUpdates round trips before /healthz reports the channel degraded.
UNHEALTHY_AFTER = 3

_LIBRARY_LOGGERS = (
    "telegram",
    "telegram.Bot",
    "telegram.ext",
    "telegram.ext.ExtBot",
    "telegram.ext.Updater",
    "telegram.ext.Application",
    "telegram.ext.AIORateLimiter",
    "telegram.request.BaseRequest",
    "telegram.request.HTTPXRequest",
    "httpx",
    "httpcore",
    # Ours and the callers that log our exceptions (an HTTP error text could hold the URL).
    "adapters.telegram.adapter",
    "adapters.telegram.outbound",
    "adapters.telegram.commands",
    "adapters.telegram.transport",
    "core.runtime",
    "bots.run",
)


class PollWatch:
    """Counts failed ``getUpdates`` round trips and logs failure and recovery once each."""

    def __init__(self) -> None:
        self.failures = 0
        self.rejected = False
        self.succeeded_once = False

    @property
    def healthy(self) -> bool:
        return not self.rejected and self.failures < UNHEALTHY_AFTER

    def succeeded(self) -> None:
        if self.failures:
            log.info("Telegram polling recovered after %d failed attempt(s)", self.failures)
        self.failures = 0
        self.succeeded_once = True

    def failed(self, reason: str = "") -> None:
        """A round trip failed; with ``reason``, log it here (PTB's error callback will not)."""
        self.failures += 1
        if reason:
            log.warning("Telegram polling error, retrying: %s", reason)

    def token_rejected(self, status: int) -> None:
        self.rejected = True
        log.error(
            "Telegram rejected the bot token (HTTP %d); polling stopped. Fix the token (see "
            "telegram.token_env) and restart the bot.",
            status,
        )

    def error_callback(self, error: TelegramError) -> None:
        """PTB's polling error callback: log and let the updater retry with back-off."""
        hint = ""
        if isinstance(error, Conflict):
            hint = " (another process polls with this token, or a webhook is set)"
        log.warning("Telegram polling error, retrying: %s%s", error.message, hint)


class WatchedRequest(HTTPXRequest):
    """The ``getUpdates`` HTTP client, reporting each round trip to a :class:`PollWatch`."""

    __slots__ = ("_watch",)

    def __init__(self, watch: PollWatch, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._watch = watch

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        write_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: Any = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        try:
            code, payload = await super().do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        except TimedOut:
            self._watch.failed("timed out")  # PTB retries at once without calling back
            raise
        except Exception:
            self._watch.failed()  # a NetworkError: PTB's error callback logs it
            raise
        if 200 <= code < 300:
            self._watch.succeeded()
        elif code in (401, 404):
            self._watch.token_rejected(code)
        else:
            # 429 never reaches the error callback; 409 and 5xx do.
            self._watch.failed("rate limited by Telegram" if code == 429 else "")
        return code, payload


class TokenRedactor(logging.Filter):
    """Replaces the bot token in log records of the Telegram libraries (and keeps httpx quiet)."""

    REPLACEMENT = "<telegram-token>"

    def __init__(self, token: str, loggers: tuple[str, ...] = _LIBRARY_LOGGERS) -> None:
        super().__init__()
        self._token = token
        self._loggers = loggers

    def install(self) -> None:
        for name in self._loggers:
            logging.getLogger(name).addFilter(self)
        for noisy in ("httpx", "httpcore"):
            logger = logging.getLogger(noisy)
            if logger.getEffectiveLevel() < logging.WARNING:
                logger.setLevel(logging.WARNING)

    def uninstall(self) -> None:
        for name in self._loggers:
            logging.getLogger(name).removeFilter(self)

    def filter(self, record: logging.LogRecord) -> bool:
        token = self._token
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler to report
            return True
        if token in message:
            record.msg = message.replace(token, self.REPLACEMENT)
            record.args = None
        if record.exc_info and not record.exc_text:
            text = logging.Formatter().formatException(record.exc_info)
            if token in text:
                record.exc_text = text.replace(token, self.REPLACEMENT)
        return True
