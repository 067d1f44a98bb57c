"""Dead letters: messages the bus could not deliver or a handler refused, kept for operators."""

from __future__ import annotations

import base64
import binascii
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Self

from pydantic import Field, StringConstraints, ValidationError, model_validator

from automatrix.shared.contracts.base import Contract, Event, SubjectToken
from automatrix.shared.contracts.inference_types import FailedAttempt
from automatrix.shared.contracts.subject import Subject

DLQ = Subject(
    "ai.v1.dlq.{stream}",
    stream="AI_DLQ",
    description="Dead letters, one subject per source stream.",
)

MAX_PAYLOAD_CHARS = 12 * 1024 * 1024
MAX_FIELD_ERRORS = 64

HeaderName = Annotated[str, StringConstraints(min_length=1, max_length=256)]
HeaderValue = Annotated[str, StringConstraints(max_length=4096)]
LocItem = Annotated[str, StringConstraints(max_length=256)] | int


class DeadLetterReason(StrEnum):
    """Why a message was dead-lettered."""

    INVALID_JSON = "invalid_json"
    SCHEMA_INVALID = "schema_invalid"
    MAX_DELIVERIES = "max_deliveries"
    HANDLER_REJECTED = "handler_rejected"
    UNROUTABLE = "unroutable"
    ATTEMPTS_EXHAUSTED = "attempts_exhausted"


class PayloadEncoding(StrEnum):
    """How the original payload bytes are written into ``payload``."""

    UTF8 = "utf-8"
    BASE64 = "base64"


class FieldError(Contract):
    """One validation error of the original payload."""

    loc: list[LocItem] = Field(max_length=32, description="Path to the offending field.")
    msg: str = Field(max_length=1024, description="What is wrong with it.")
    type: str = Field(max_length=128, description="Pydantic error type, e.g. ``missing``.")

    @classmethod
    def from_validation_error(cls, exc: ValidationError) -> list[FieldError]:
        """The first errors of a pydantic ``ValidationError``, trimmed to this model's bounds."""
        return [
            cls(
                loc=[item if isinstance(item, int) else str(item)[:256] for item in e["loc"][:32]],
                msg=e["msg"][:1024],
                type=e["type"][:128],
            )
            for e in exc.errors(include_url=False)[:MAX_FIELD_ERRORS]
        ]


def encode_payload(data: bytes) -> tuple[str, PayloadEncoding]:
    """The payload as UTF-8 text when it decodes, else base64."""
    try:
        return data.decode("utf-8"), PayloadEncoding.UTF8
    except UnicodeDecodeError:
        return base64.b64encode(data).decode("ascii"), PayloadEncoding.BASE64


class DeadLetter(Event):
    """A message that was not processed, with the reason and the original bytes and headers."""

    SUBJECT: ClassVar[Subject] = DLQ
    EVENT_TYPE: ClassVar[str] = "dead_letter"

    stream: SubjectToken = Field(description="Stream the message came from, e.g. AI_REQUESTS.")
    original_subject: str = Field(
        pattern=r"^[^\s]{1,512}$", description="Subject the message was published on."
    )
    original_message_id: str | None = Field(
        default=None, max_length=128, description="Its message id, when it had one."
    )
    reason_kind: DeadLetterReason = Field(description="Why it was dead-lettered.")
    reason: str = Field(max_length=4096, description="Detail of the reason.")
    errors: list[FieldError] = Field(
        default_factory=list,
        max_length=MAX_FIELD_ERRORS,
        description="Validation errors, for invalid payloads.",
    )
    attempts: list[FailedAttempt] = Field(
        default_factory=list,
        max_length=16,
        description="For requests the router gave up on: every attempt made, in order.",
    )
    delivery_count: int = Field(ge=0, description="Deliveries attempted before giving up.")
    consumer: str | None = Field(
        default=None, max_length=256, description="Durable consumer that gave up on it."
    )
    payload: str = Field(
        max_length=MAX_PAYLOAD_CHARS, description="The original payload, encoded per encoding."
    )
    encoding: PayloadEncoding = Field(
        default=PayloadEncoding.UTF8, description="How payload encodes the original bytes."
    )
    headers: dict[HeaderName, HeaderValue] = Field(
        default_factory=dict, max_length=128, description="The original message headers."
    )

    @model_validator(mode="after")
    def _payload_decodes(self) -> Self:
        if self.encoding is PayloadEncoding.BASE64:
            try:
                base64.b64decode(self.payload, validate=True)
            except binascii.Error as exc:
                raise ValueError(f"payload is not valid base64: {exc}") from exc
        return self

    def payload_bytes(self) -> bytes:
        """The original payload bytes."""
        if self.encoding is PayloadEncoding.BASE64:
            return base64.b64decode(self.payload)
        return self.payload.encode("utf-8")

    @classmethod
    def _example_fields(cls) -> dict[str, Any]:
        return {
            "stream": "AI_REQUESTS",
            "original_subject": "ai.v1.requests.high",
            "original_message_id": "3b1f0c9e2d7a4c58a6e1f2b3c4d5e6f7",
            "reason_kind": DeadLetterReason.SCHEMA_INVALID,
            "reason": "payload does not match InferenceRequested",
            "errors": [{"loc": ["messages"], "msg": "Field required", "type": "missing"}],
            "delivery_count": 1,
            "consumer": "relaycore-requests",
            "payload": '{"request_id": "req-1", "requester": "app-7"}',
            "headers": {"Nats-Msg-Id": "3b1f0c9e2d7a4c58a6e1f2b3c4d5e6f7"},
        }
