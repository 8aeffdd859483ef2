"""``python -m central``: the central server's command line."""

from central.cli import main

raise SystemExit(main())
