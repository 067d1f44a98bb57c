"""``python -m automatrix.inference``: run the inference service."""

from automatrix.inference.app import create_app
from automatrix.inference.settings import Settings
from automatrix.shared.service import run

if __name__ == "__main__":
    run(create_app, Settings())
