"""The ecosystem tests: a whole platform of their own (the gateway tests' fixture), and the
in-process relaycore world for its request-reply methods."""

from __future__ import annotations

from tests.gateway.conftest import platform
from tests.relaycore.conftest import world

__all__ = ["platform", "world"]
