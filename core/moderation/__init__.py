"""Moderation cases: flagging impostors, audited and applied across every community."""
