"""``python -m paperls``: the command line (``serve`` by default)."""

from .cli import main

raise SystemExit(main())
