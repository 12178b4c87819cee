"""Browser tests against a real production-style server.

Session set-up: a temporary SQLite file database, `migrate`, the demo data (`seed_demo`, or the
real Kota Blitar data alone while the demo command does not exist), `collectstatic` with
whitenoise's compressed manifest storage, and gunicorn with DEBUG off on a free loopback port.
The browser is Debian's Chromium (/usr/bin/chromium) driven by Playwright; Playwright's own
browser downloads are never used.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO_DIR = Path(__file__).resolve().parents[2]
RESULTS_DIR = REPO_DIR / "test-results"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "demo-Sakti-2026"


@dataclass
class LiveSite:
    base_url: str
    host: str
    data_kind: str  # "demo" (seed_demo) or "kota_blitar" (real institutions only)

    def url(self, path: str) -> str:
        return self.base_url + path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO_DIR, env=env, capture_output=True, text=True, check=False
    )


def _commands(env: dict[str, str]) -> str:
    return _manage(env, "help", "--commands").stdout


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}; see {RESULTS_DIR / 'e2e-server.log'}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer {url} within {timeout} s")


@pytest.fixture(scope="session")
def live_site() -> Iterator[LiveSite]:
    RESULTS_DIR.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="sinergi-e2e-"))
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'e2e.sqlite3'}",
        "SINERGI_VAR_DIR": str(workdir),
        "STATIC_ROOT": str(workdir / "static"),
        "DEBUG": "0",
        "SINERGI_PLAIN_STATIC": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SINERGI_SITE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    steps = [("migrate", "--noinput")]
    commands = _commands(env)
    if "seed_demo" in commands:
        data_kind = "demo"
        steps.append(("seed_demo",))
    elif "load_kota_blitar" in commands:
        data_kind = "kota_blitar"
        steps.append(("load_kota_blitar",))
    else:
        pytest.skip("neither `seed_demo` nor `load_kota_blitar` exists yet: there is no data to browse")
    steps.append(("collectstatic", "--noinput"))
    for step in steps:
        result = _manage(env, *step)
        if result.returncode != 0:
            pytest.fail(f"manage.py {' '.join(step)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")

    log = (RESULTS_DIR / "e2e-server.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--access-logfile",
            "-",
        ],
        cwd=REPO_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url + "/ping/", server)
        yield LiveSite(base_url=base_url, host=f"127.0.0.1:{port}", data_kind=data_kind)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing (.ci/run installs Debian's chromium package)")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
