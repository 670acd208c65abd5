"""Allow ``python -m kazsim``."""

from kazsim.cli import main

raise SystemExit(main())
