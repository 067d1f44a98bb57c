"""``python -m automatrix.orchestrator``: run the orchestrator service."""

from automatrix.orchestrator.app import create_app
from automatrix.orchestrator.settings import Settings
from automatrix.shared.service import run

if __name__ == "__main__":
    run(create_app, Settings())
