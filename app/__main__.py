"""``python -m app``: the same as the ``nunet-onboard`` command."""

import sys

from app.cli import main

sys.exit(main())
