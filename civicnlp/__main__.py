"""``python -m civicnlp``."""

import sys

from civicnlp.cli import main

sys.exit(main())
