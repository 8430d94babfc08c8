"""Prometheus metrics of one bot process (served at ``/metrics`` by the bot's HTTP server).

prometheus_client does the exposition format; counters are per process (Prometheus sums
them across processes), while ticket and outbox gauges are read from the shared database
at scrape time so every process reports the same truth.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from sqlalchemy import func, select

from core.storage.database import Database
from core.storage.tables import OutboxRow, TicketRow


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.events = Counter(
            "kameng_events_total", "Inbound events handled", ["platform", "kind"], registry=r
        )
        self.duplicates = Counter(
            "kameng_duplicate_events_total", "Redelivered events ignored", ["platform"], registry=r
        )
        self.handler_errors = Counter(
            "kameng_handler_errors_total", "Events whose handler failed", registry=r
        )
        self.actions = Counter(
            "kameng_actions_total", "Actions produced (replies, messages…)", ["type"], registry=r
        )
        self.faq_answers = Counter(
            "kameng_faq_answers_total", "FAQ answers given", ["intent"], registry=r
        )
        self.faq_feedback = Counter(
            "kameng_faq_feedback_total", "FAQ feedback", ["outcome"], registry=r
        )
        self.escalations = Counter(
            "kameng_escalations_total", "Ticket escalations", ["reason"], registry=r
        )
        self.impostor_alerts = Counter(
            "kameng_impostor_alerts_total", "Suspected impostors reported", registry=r
        )
        self.flags = Counter("kameng_flags_total", "Moderator flag actions", ["action"], registry=r)
        self.shop_errors = Counter(
            "kameng_shop_errors_total", "Failed shop calls", ["operation"], registry=r
        )
        self.tickets = Gauge("kameng_tickets", "Tickets by status", ["status"], registry=r)
        self.outbox_depth = Gauge(
            "kameng_outbox_depth", "Outbox items not yet delivered", registry=r
        )

    async def render(self, db: Database) -> bytes:
        """The exposition text, with the database-backed gauges refreshed first."""
        async with db.sessionmaker() as session:
            counts = (
                await session.execute(
                    select(TicketRow.status, func.count()).group_by(TicketRow.status)
                )
            ).all()
            depth = (
                await session.execute(
                    select(func.count()).where(
                        OutboxRow.sent_at.is_(None), OutboxRow.failed_at.is_(None)
                    )
                )
            ).scalar_one()
        self.tickets.clear()
        for status, count in counts:
            self.tickets.labels(status=status).set(count)
        self.outbox_depth.set(depth)
        return generate_latest(self.registry)
