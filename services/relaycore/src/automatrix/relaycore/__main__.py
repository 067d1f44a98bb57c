"""``python -m automatrix.relaycore``: run the relaycore service."""

from automatrix.relaycore.app import create_app
from automatrix.relaycore.settings import Settings
from automatrix.shared.service import run

if __name__ == "__main__":
    run(create_app, Settings())
