"""Fake external systems on 127.0.0.1 that the real clients are pointed at in tests."""
