"""Feishu adapter tests: signed, encrypted callbacks to the real endpoint, a fake OpenAPI."""
