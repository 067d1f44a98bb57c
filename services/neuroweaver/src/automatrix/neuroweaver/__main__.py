"""``python -m automatrix.neuroweaver``: run the neuroweaver service."""

from automatrix.neuroweaver.app import create_app
from automatrix.neuroweaver.settings import Settings
from automatrix.shared.service import run

if __name__ == "__main__":
    run(create_app, Settings())
