"""Composition root and command-line interface: builds the core and the enabled adapters."""
