"""Handlers: each module turns one kind of request into actions on the :class:`Context`."""
