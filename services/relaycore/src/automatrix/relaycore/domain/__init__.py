"""Relaycore's routing logic: pure functions and small state machines, no I/O."""
