"""The envelope every event shares: schema version, message id, timestamp, tenant, deadline."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from automatrix.shared.contracts.subject import Subject

DEFAULT_TENANT = "default"
TENANT_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,62}$"
SUBJECT_TOKEN_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"

SubjectToken = Annotated[str, StringConstraints(pattern=SUBJECT_TOKEN_PATTERN)]
"""A string safe to place in one subject token: no dots, wildcards or whitespace."""


def new_message_id() -> str:
    """A fresh, globally unique message id (also the JetStream ``Nats-Msg-Id``)."""
    return uuid.uuid4().hex


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class Contract(BaseModel):
    """Strict base for every payload model: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Event(Contract):
    """Base of every bus event; subclasses set ``SUBJECT`` and ``EVENT_TYPE``."""

    SUBJECT: ClassVar[Subject]
    EVENT_TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int] = 1

    schema_version: int = Field(default=1, ge=1, description="Version of this event's schema.")
    message_id: str = Field(
        default_factory=new_message_id,
        min_length=8,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="Unique id; the bus de-duplicates on it (Nats-Msg-Id).",
    )
    timestamp: AwareDatetime = Field(
        default_factory=utcnow, description="When the event was created (UTC)."
    )
    tenant: str = Field(
        default=DEFAULT_TENANT, pattern=TENANT_PATTERN, description="Tenant that owns the event."
    )

    def subject(self) -> str:
        """The concrete subject this event is published on."""
        return self.SUBJECT.format(**self.subject_values())

    def subject_values(self) -> dict[str, str]:
        """Values for the subject template's parameters, read from this event's fields."""
        return {name: str(getattr(self, name)) for name in self.SUBJECT.params}

    @classmethod
    def parse(cls, data: bytes | str) -> Self:
        """Validate a JSON payload into this event."""
        return cls.model_validate_json(data)

    def to_bytes(self) -> bytes:
        """Serialize to the JSON bytes sent on the bus."""
        return self.model_dump_json().encode()

    @classmethod
    def example(cls, **overrides: Any) -> Self:
        """A valid instance for docs and tests; subclasses override ``_example_fields``."""
        return cls(**{**cls._example_fields(), **overrides})

    @classmethod
    def _example_fields(cls) -> dict[str, Any]:
        return {}


class Deadlined(Event):
    """An event that stops being worth serving after its deadline."""

    deadline: AwareDatetime | None = Field(
        default=None, description="After this instant the work is abandoned with a deadline error."
    )

    def expired(self, now: datetime | None = None) -> bool:
        """True when the deadline has passed."""
        return self.deadline is not None and (now or utcnow()) >= self.deadline
