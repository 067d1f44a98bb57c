"""``python -m automatrix.shared.launcher``, the same as the ``automatrix`` command."""

import sys

from automatrix.shared.launcher.cli import main

sys.exit(main())
