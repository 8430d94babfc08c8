"""The staff desk: ticket cards in staff chats, claim / reply / close / escalate, the relay
between staff and users, ratings, and the SLA clock with its escalation chain."""
