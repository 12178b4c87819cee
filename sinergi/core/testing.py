"""Test helpers shared by several apps (imported by tests only)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO_DIR = Path(__file__).resolve().parents[2]


def run_on_file_database(module: str, *args: str, name: str = "concurrent") -> dict[str, Any]:
    """Run `python -m module args…` in a child process on a temporary SQLite file database with the
    production connection settings, and return the JSON object it prints last.

    For tests of concurrent writers: pytest's in-memory SQLite database has one connection, so threads
    cannot race on it. The child migrates and seeds what it needs itself."""
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/{name}.sqlite3",
            "SINERGI_VAR_DIR": folder,
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        completed = subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", module, *args],
            cwd=REPO_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    assert completed.returncode == 0, completed.stderr[-3000:]
    summary: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return summary
