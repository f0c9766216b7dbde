"""Handlers, grouped by area; each is an adapter of a few lines (the wiring is ``server.py``)."""
