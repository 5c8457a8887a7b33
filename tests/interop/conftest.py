"""Shared fixtures for the payment interop tests.

One keepsim (`keepsim serve`, sandbox payment mode, SQLite in a temporary
directory) runs for the whole session; every test signs up its own customer
with its own device and line, so tests never see each other's orders.

The binary is `$KEEPSIM_BIN`, by default `<repo>/target/debug/keepsim`; it is
built beforehand (`cargo build -p keepsim`).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BIN = REPO_ROOT / "target" / "debug" / "keepsim"

START_TIMEOUT_S = 120  # the first start generates four RSA keys
FULFIL_TIMEOUT_S = 10
HTTP_TIMEOUT_S = 30
BANNER = "keepsim is running at"


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def luhn_check_digit(payload: str) -> str:
    """The Luhn check digit for a string of digits (as for IMEIs)."""
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:  # every second digit from the right, starting with the rightmost payload digit
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def random_imei() -> str:
    """A valid, random 15-digit IMEI: 14 digits and their Luhn check digit."""
    payload = "35" + "".join(secrets.choice("0123456789") for _ in range(12))
    return payload + luhn_check_digit(payload)


# The README's example IMEI keeps the helper honest.
assert luhn_check_digit("49015420323751") == "8"


def fresh(case):
    """A tamper case's arguments: the tuple itself, or made now by calling it."""
    return case() if callable(case) else case


# --------------------------------------------------------------------------
# The running keepsim
# --------------------------------------------------------------------------


@dataclass
class Keepsim:
    base_url: str
    data_dir: Path
    secrets: dict
    log_path: Path

    @property
    def sandbox_dir(self) -> Path:
        return self.data_dir / "sandbox"

    def pem(self, name: str) -> str:
        """The text of a sandbox key file (`alipay_platform.pem`, …)."""
        return (self.sandbox_dir / name).read_text()

    def url(self, path: str) -> str:
        return self.base_url + path

    @staticmethod
    def concurrently(send, times: int) -> list:
        """Calls `send()` `times` times at once; returns the responses."""
        with ThreadPoolExecutor(max_workers=times) as pool:
            return list(pool.map(lambda _: send(), range(times)))

    @staticmethod
    def settle() -> None:
        """Gives a (wrongly) started payment or fulfilment time to show before counting bundles."""
        time.sleep(0.5)

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    # The three notification endpoints, posting raw bytes exactly as given.

    def post_card(self, payload: str | bytes, signature_header: str | None) -> requests.Response:
        headers = {"Content-Type": "application/json"}
        if signature_header is not None:
            headers["Stripe-Signature"] = signature_header
        body = payload.encode("utf-8") if isinstance(payload, str) else payload
        return requests.post(self.url("/webhooks/card"), data=body, headers=headers, timeout=HTTP_TIMEOUT_S)

    def post_alipay(self, params: dict | str) -> requests.Response:
        """Posts an async notify form-encoded (a dict is encoded by requests, a str is sent as is)."""
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        data = params.encode("utf-8") if isinstance(params, str) else params
        return requests.post(self.url("/webhooks/alipay"), data=data, headers=headers, timeout=HTTP_TIMEOUT_S)

    def post_wechatpay(self, body: str | bytes, headers: dict) -> requests.Response:
        all_headers = {"Content-Type": "application/json", **headers}
        data = body.encode("utf-8") if isinstance(body, str) else body
        return requests.post(self.url("/webhooks/wechatpay"), data=data, headers=all_headers, timeout=HTTP_TIMEOUT_S)


def _clean_env(data_dir: Path, http_port: int, metrics_port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEEPSIM_") and k != "DATABASE_URL"}
    env.update(
        {
            "KEEPSIM_DATA_DIR": str(data_dir),
            "DATABASE_URL": f"sqlite://{data_dir}/keepsim.db",
            "KEEPSIM_HTTP_LISTEN": f"127.0.0.1:{http_port}",
            "KEEPSIM_METRICS_LISTEN": f"127.0.0.1:{metrics_port}",
            "KEEPSIM_DIAMETER_LISTEN": "127.0.0.1:0",
            "KEEPSIM_PUBLIC_URL": f"http://127.0.0.1:{http_port}",
        }
    )
    return env


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


@pytest.fixture(scope="session")
def keepsim():
    binary = Path(os.environ.get("KEEPSIM_BIN", str(DEFAULT_BIN)))
    if not binary.is_file():
        pytest.fail(f"keepsim binary not found at {binary}: run `cargo build -p keepsim` first (or set KEEPSIM_BIN)")

    tmp = Path(tempfile.mkdtemp(prefix="keepsim-interop-"))
    data_dir = tmp / "data"
    data_dir.mkdir()
    log_path = tmp / "keepsim.log"
    http_port, metrics_port = free_port(), free_port()
    while metrics_port == http_port:
        metrics_port = free_port()

    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(binary), "serve"],
            env=_clean_env(data_dir, http_port, metrics_port),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=tmp,
        )
    ks = Keepsim(base_url=f"http://127.0.0.1:{http_port}", data_dir=data_dir, secrets={}, log_path=log_path)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while BANNER not in log_path.read_text(errors="replace"):
            if proc.poll() is not None:
                pytest.fail(f"keepsim exited with {proc.returncode} before it was ready:\n{ks.log_tail()}")
            if time.monotonic() > deadline:
                pytest.fail(f"keepsim did not print {BANNER!r} within {START_TIMEOUT_S} s:\n{ks.log_tail()}")
            time.sleep(0.1)
        ks.secrets = json.loads((ks.sandbox_dir / "secrets.json").read_text())
        yield ks
    finally:
        _stop(proc)
        if os.environ.get("KEEPSIM_INTEROP_KEEP_TMP"):
            print(f"keepsim interop data kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------
# A customer with a device and a line
# --------------------------------------------------------------------------


class Customer:
    """A signed-up customer with one device and one eSIM line, speaking the JSON API."""

    def __init__(self, ks: Keepsim):
        self.ks = ks
        self.email = f"interop-{uuid.uuid4().hex[:12]}@example.com"
        password = "correct horse battery " + secrets.token_hex(4)
        r = requests.post(
            ks.url("/api/v1/auth/register"), json={"email": self.email, "password": password}, timeout=HTTP_TIMEOUT_S
        )
        assert r.status_code == 201, f"register: {r.status_code} {r.text}"
        r = requests.post(
            ks.url("/api/v1/auth/login"), json={"email": self.email, "password": password}, timeout=HTTP_TIMEOUT_S
        )
        assert r.status_code == 200, f"login: {r.status_code} {r.text}"
        self.token = r.json()["token"]
        device = self._post("/api/v1/devices", {"imei": random_imei()}, want=201)
        line = self._post("/api/v1/lines", {"device_id": device["id"]}, want=201)
        self.line_id = line["id"]

    @property
    def _auth(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    def _post(self, path: str, body: dict, want: int, headers: dict | None = None) -> dict:
        r = requests.post(
            self.ks.url(path), json=body, headers={**self._auth, **(headers or {})}, timeout=HTTP_TIMEOUT_S
        )
        assert r.status_code == want, f"POST {path}: {r.status_code} {r.text}"
        return r.json()

    def _get(self, path: str) -> dict:
        r = requests.get(self.ks.url(path), headers=self._auth, timeout=HTTP_TIMEOUT_S)
        assert r.status_code == 200, f"GET {path}: {r.status_code} {r.text}"
        return r.json()

    def order(self, payment_method: str, currency: str, package_code: str) -> dict:
        """A new order awaiting payment (its own Idempotency-Key)."""
        o = self._post(
            "/api/v1/orders",
            {
                "line_id": self.line_id,
                "package_code": package_code,
                "payment_method": payment_method,
                "currency": currency,
            },
            want=201,
            headers={"Idempotency-Key": f"interop-{uuid.uuid4()}"},
        )
        assert o["status"] == "awaiting_payment", o
        assert o["currency"] == currency, o
        assert isinstance(o["amount_minor"], int) and o["amount_minor"] > 0, o
        return o

    def order_status(self, order_id: str) -> str:
        return self._get(f"/api/v1/orders/{order_id}")["status"]

    def bundles(self) -> list:
        return self._get(f"/api/v1/lines/{self.line_id}/balance")["bundles"]

    def bundles_for(self, order_id: str) -> list:
        return [b for b in self.bundles() if b["order_id"] == order_id]

    def wait_for_status(self, order_id: str, want: str, timeout: float = FULFIL_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        status = self.order_status(order_id)
        while status != want:
            if time.monotonic() > deadline:
                pytest.fail(f"order {order_id} is {status!r}, never became {want!r} within {timeout} s")
            time.sleep(0.1)
            status = self.order_status(order_id)

    def change(self, order_id: str) -> str | None:
        """What happened to an order that should still be unpaid, or None when nothing did."""
        status = self.order_status(order_id)
        if status != "awaiting_payment":
            return f"the order became {status!r}"
        if self.bundles_for(order_id):
            return "a bundle was credited"
        return None

    def assert_untouched(self, order_id: str, what: str = "") -> None:
        """The order is still unpaid and has credited nothing."""
        change = self.change(order_id)
        assert change is None, f"{what}: {change}"

    def refused_without_change(self, order_id: str, cases: dict, send, answered_success=lambda r: False) -> None:
        """Sends each case and checks that keepsim answers 4xx (not its success answer)
        and the order stays unpaid, reporting every failure.

        `cases` maps a name to a tuple of arguments for `send`, or to a function
        making that tuple at the moment of sending (for time-sensitive cases)."""
        failures = []
        for what, case in cases.items():
            r = send(*fresh(case))
            if not 400 <= r.status_code < 500 or answered_success(r):
                failures.append(f"{what}: answered {r.status_code} {r.text!r}")
            change = self.change(order_id)
            if change:
                failures.append(f"{what}: {change}")
                break  # later cases would only see the same change
        assert not failures, "tampered notifications were not refused cleanly:\n" + "\n".join(failures)


@pytest.fixture
def customer(keepsim) -> Customer:
    return Customer(keepsim)




@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test shows the end of keepsim's log next to its own output."""
    outcome = yield
    report = outcome.get_result()
    ks = getattr(item, "funcargs", {}).get("keepsim")
    if report.when == "call" and report.failed and isinstance(ks, Keepsim):
        report.sections.append(("keepsim log (last 40 lines)", ks.log_tail()))
