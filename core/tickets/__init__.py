"""Tickets: numbering, SLA due times, status history, and the user's view of them."""
