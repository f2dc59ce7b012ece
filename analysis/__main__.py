"""Allow ``python -m analysis``, the same as the ``digiramme`` command."""

import sys

from analysis.cli import main

sys.exit(main())
