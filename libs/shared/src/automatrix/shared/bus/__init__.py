"""The event bus: JetStream publish/consume with dead letters, idempotency and Redis fallback."""

from automatrix.shared.bus.bus import Bus
from automatrix.shared.bus.consumer import Consumer, Delivery
from automatrix.shared.bus.errors import BusError, PublishError, RejectMessage
from automatrix.shared.bus.topology import ConsumerSpec, StreamSpec, streams

__all__ = [
    "Bus",
    "BusError",
    "Consumer",
    "ConsumerSpec",
    "Delivery",
    "PublishError",
    "RejectMessage",
    "StreamSpec",
    "streams",
]
