"""Wiring of the neuroweaver service."""

from __future__ import annotations

from automatrix.neuroweaver.settings import Settings
from automatrix.shared.service import Service, base_service


def create_app(settings: Settings | None = None) -> Service:
    """Build the service: bus, readiness checks and HTTP app."""
    settings = settings or Settings()
    return base_service("neuroweaver", settings)
