#!/usr/bin/env python3
"""Django's usual entry point; `ecomap` (ecomap/cli.py) is the same thing installed as a command."""

from ecomap.cli import main

if __name__ == "__main__":
    main()
