"""Wiring of the inference service."""

from __future__ import annotations

from automatrix.inference.settings import Settings
from automatrix.shared.service import Service, base_service


def create_app(settings: Settings | None = None) -> Service:
    """Build the service: bus, readiness checks and HTTP app."""
    settings = settings or Settings()
    return base_service("inference", settings)
