"""Broadsheet: build a static news archive from raw articles. See README.md."""
import sys

from generator.cli import main

if __name__ == "__main__":
    sys.exit(main())
