"""``python -m paperls``: the command line (``serve`` by default)."""

from .cli import main

if __name__ == "__main__":  # a spawned worker process imports its parent's main module
    raise SystemExit(main())
