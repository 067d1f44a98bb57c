"""AutoMatrix relaycore service."""
