#!/usr/bin/env python3
"""Set up and run ecomap with nothing but Python 3.11+.

    python3 dev.py run     # venv + pinned deps, migrate SQLite in ./data, demo agency, serve :8000
    python3 dev.py test    # venv + pinned dev deps, the whole suite on every core (args go to pytest)
    python3 dev.py lint    # ruff, the import layers (import-linter), and a check that no model
                           # change lacks its migration (CI runs it)

Only the standard library is used here, because this runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("ECOMAP_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_venv(lock: str) -> None:
    """Create the virtual environment and install the lock file, once per lock file change."""
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    lock_path = ROOT / lock
    digest = hashlib.sha256(lock_path.read_bytes() + (ROOT / "pyproject.toml").read_bytes())
    stamp = VENV / f".installed-{lock}"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    print(f"Installing pinned dependencies from {lock} ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-r", str(lock_path)], check=True)
    subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
    stamp.write_text(digest.hexdigest())


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs on whatever python3 is
        sys.exit("ecomap needs Python 3.11 or newer.")
    command = argv[0] if argv else "help"
    if command == "run":
        ensure_venv("requirements.lock")
        return subprocess.call([str(BIN / "ecomap"), "serve", "--demo", *argv[1:]], cwd=ROOT)
    if command == "test":
        ensure_venv("requirements-dev.lock")
        args = argv[1:]
        # One worker per core unless told otherwise (`-n 0` runs in this process, for pdb).
        if not any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args):
            args = ["-n", "auto", *args]
        return subprocess.call([str(PYTHON), "-m", "pytest", *args], cwd=ROOT)
    if command == "lint":
        ensure_venv("requirements-dev.lock")
        ruff = subprocess.call([str(BIN / "ruff"), "check", "."], cwd=ROOT)
        # The layers and no import cycles: the contracts are in .importlinter.
        layers = subprocess.call([str(BIN / "lint-imports"), "--no-cache"], cwd=ROOT)
        migrations = subprocess.call(
            [str(BIN / "ecomap"), "makemigrations", "--check", "--dry-run"], cwd=ROOT)
        return ruff or layers or migrations
    print(__doc__)
    return 0 if command in {"help", "-h", "--help"} else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
