"""Dead-lettering: poison and exhausted messages are copied to AI_DLQ with their reason."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from nats.aio.msg import Msg
from pydantic import ValidationError

from automatrix.shared.bus import metrics
from automatrix.shared.bus.headers import MSG_ID
from automatrix.shared.contracts import DeadLetter, DeadLetterReason, FieldError
from automatrix.shared.contracts.dlq import encode_payload

log = logging.getLogger(__name__)

MAX_DELIVERIES_ADVISORY = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{stream}.*"


def reason_for(exc: ValidationError) -> DeadLetterReason:
    """``invalid_json`` when the bytes were not JSON at all, else ``schema_invalid``."""
    if any(err["type"] == "json_invalid" for err in exc.errors(include_url=False)):
        return DeadLetterReason.INVALID_JSON
    return DeadLetterReason.SCHEMA_INVALID


def build_dead_letter(
    *,
    stream: str,
    subject: str,
    data: bytes,
    headers: dict[str, str] | None,
    reason: DeadLetterReason,
    detail: str,
    consumer: str,
    delivery_count: int,
    stream_seq: int,
    errors: list[FieldError] | None = None,
) -> DeadLetter:
    """A dead letter whose message id is fixed by stream and sequence, so copies collapse."""
    payload, encoding = encode_payload(data)
    return DeadLetter(
        # One dead letter per stream message and consumer: the consumer's own copy and the
        # advisory watcher's collapse; another consumer's stays its own.
        message_id=f"dlq-{stream_seq}-{hashlib.sha256(f'{stream}/{consumer}'.encode()).hexdigest()[:16]}",
        stream=stream,
        original_subject=subject,
        original_message_id=(headers or {}).get(MSG_ID),
        reason_kind=reason,
        reason=detail[:4096],
        errors=errors or [],
        delivery_count=delivery_count,
        consumer=consumer or None,
        payload=payload,
        encoding=encoding,
        headers={k: v[:4096] for k, v in list((headers or {}).items())[:128] if 0 < len(k) <= 256},
    )


def from_message(
    msg: Msg, *, reason: DeadLetterReason, detail: str, errors: list[FieldError] | None = None
) -> DeadLetter:
    """A dead letter for a delivered message."""
    meta = msg.metadata
    return build_dead_letter(
        stream=meta.stream,
        subject=msg.subject,
        data=msg.data,
        headers=msg.headers,
        reason=reason,
        detail=detail,
        consumer=meta.consumer or "",
        delivery_count=meta.num_delivered or 1,
        stream_seq=meta.sequence.stream,
        errors=errors,
    )


PublishDeadLetter = Callable[[DeadLetter], Awaitable[Any]]


class MaxDeliveriesWatcher:
    """Turns the server's max-deliveries advisories into dead letters.

    The consumer dead-letters a message itself when its last attempt fails; this covers
    the attempts that never returned (a crashed or hung worker whose ack wait ran out).
    """

    def __init__(self, js: Any, publish: PublishDeadLetter, *, delete_from_work_queues: set[str]):
        self.js = js
        self.publish = publish
        self.work_queues = delete_from_work_queues

    async def on_advisory(self, advisory: Msg) -> None:
        info = json.loads(advisory.data)
        stream, seq = info["stream"], int(info["stream_seq"])
        try:
            raw = await self.js.get_msg(stream, seq=seq, direct=True)
        except Exception as exc:
            log.warning("max-deliveries advisory for %s/%d: message gone: %s", stream, seq, exc)
            return
        letter = build_dead_letter(
            stream=stream,
            subject=raw.subject,
            data=raw.data or b"",
            headers=raw.headers,
            reason=DeadLetterReason.MAX_DELIVERIES,
            detail=f"consumer {info.get('consumer')} reached {info.get('deliveries')} deliveries",
            consumer=str(info.get("consumer", "")),
            delivery_count=int(info.get("deliveries", 0)),
            stream_seq=seq,
        )
        await self.publish(letter)
        metrics.DEAD_LETTERS.labels(stream, letter.reason_kind.value).inc()
        if stream in self.work_queues:
            await self.js.delete_msg(stream, seq)
