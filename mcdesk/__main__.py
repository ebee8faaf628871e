"""Entry point for `python -m mcdesk`."""

from mcdesk.cli import main

raise SystemExit(main())
