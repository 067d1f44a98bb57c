"""AutoMatrix shared library: contracts, bus, telemetry, settings."""
