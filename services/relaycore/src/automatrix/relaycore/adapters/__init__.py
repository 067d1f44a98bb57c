"""Clients relaycore talks to: the JetStream key-value registry and the Redis ledger."""
