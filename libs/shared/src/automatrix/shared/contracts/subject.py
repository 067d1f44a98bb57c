"""Subject templates: the one place a subject string is written."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")


class SubjectError(ValueError):
    """A subject template was filled with a token NATS would misread."""


@dataclass(frozen=True, slots=True)
class Subject:
    """A NATS subject template such as ``ai.v1.requests.{priority}`` and the stream it feeds."""

    template: str
    stream: str | None
    description: str = ""
    params: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        names = tuple(
            name for _, name, _, _ in string.Formatter().parse(self.template) if name is not None
        )
        object.__setattr__(self, "params", names)

    def format(self, **values: str) -> str:
        """Fill the template; every value must be one valid subject token."""
        missing = set(self.params) - values.keys()
        if missing:
            raise SubjectError(f"{self.template}: missing {sorted(missing)}")
        for name, value in values.items():
            if not _TOKEN.match(value):
                raise SubjectError(f"{self.template}: {name}={value!r} is not a subject token")
        return self.template.format(**values)

    @property
    def wildcard(self) -> str:
        """The template with every parameter replaced by ``*``."""
        return self.template.format(**dict.fromkeys(self.params, "*"))

    @property
    def prefix(self) -> str:
        """The literal part before the first parameter."""
        return self.template.split("{", 1)[0]

    def filter(self, **values: str) -> str:
        """A subscription filter: given parameters filled, the rest ``*``."""
        return self.template.format(**{name: values.get(name, "*") for name in self.params})
