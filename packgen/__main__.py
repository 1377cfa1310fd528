"""``python -m packgen``."""

from packgen.cli import main

raise SystemExit(main())
