"""Header names the bus sets on every JetStream message."""

from __future__ import annotations

MSG_ID = "Nats-Msg-Id"
EVENT_TYPE = "Am-Event"
REPLAYED = "Am-Replayed"
