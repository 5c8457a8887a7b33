"""keepsim's Diameter Gy server against an independent Diameter implementation.

The charging client is PyPI `python-diameter` (see `gy_client.py`): its `Node`
connects to keepsim over TCP and runs CER/CEA and DWR/DWA itself, its message
classes encode every Credit-Control-Request and decode every answer. One test
needs two requests in a single TCP write, which the Node cannot do: it uses a
plain socket with a manual CER (`RawGyConnection`), still with python-diameter
encoding and decoding every message.

keepsim runs once for this module (`keepsim serve`, sandbox payments, SQLite in
a temporary directory) with `KEEPSIM_DIAMETER_LISTEN` on a free port; every
test signs up its own customer, binds a device, takes a line and buys a package
through the JSON API and the sandbox checkout, then charges that line over Gy
and checks the answers and `GET /api/v1/lines/{id}/balance`.

Result codes are those of API.md "Network API": the command's Result-Code is
2001 when the request was processed and each Multiple-Services-Credit-Control
carries its own (2001 granted, 4012 no eligible balance, 5031 unknown
Rating-Group); command-level 5030 unknown subscriber, 5002 unknown session,
5005 / 5004 with Failed-AVP.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests
from conftest import (
    BANNER,
    DEFAULT_BIN,
    HTTP_TIMEOUT_S,
    START_TIMEOUT_S,
    Customer,
    Keepsim,
    _clean_env,
    _stop,
    free_port,
)
from diameter.message.constants import (
    AVP_ERROR_MESSAGE,
    AVP_SUBSCRIPTION_ID,
    AVP_SUBSCRIPTION_ID_DATA,
    AVP_SUBSCRIPTION_ID_TYPE,
    AVP_TGPP_3GPP_SGSN_MCC_MNC,
    E_FINAL_UNIT_ACTION_TERMINATE,
    VENDOR_TGPP,
)
from gy_client import (
    DIRECT_DEBITING,
    E164,
    EVENT,
    IMSI,
    INITIAL,
    TERMINATION,
    UPDATE,
    GyClient,
    RawGyConnection,
    final_unit_action,
    mscc,
    msccs_by_rating_group,
    rsu,
    usu,
)

OCS_HOST = "ocs.keepsim.local"  # keepsim's default Diameter identity
OCS_REALM = "keepsim.local"

# Visited networks (3GPP-SGSN-MCC-MNC).
JAPAN = "44010"
USA = "310260"
FRANCE = "20801"

# Rating-Groups keepsim maps to services.
RG_DATA, RG_VOICE, RG_SMS = 10, 20, 30
RG_UNKNOWN = 999

SUCCESS = 2001
CREDIT_LIMIT_REACHED = 4012
UNKNOWN_SESSION_ID = 5002
INVALID_AVP_VALUE = 5004
MISSING_AVP = 5005
USER_UNKNOWN = 5030
RATING_FAILED = 5031

GIB = 1 << 30


# --------------------------------------------------------------------------
# keepsim with a known Diameter port, and the python-diameter client
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keepsim():
    """`keepsim serve` for this module, like conftest's session fixture but with
    `KEEPSIM_DIAMETER_LISTEN` on a port we choose (conftest lets the OS pick one).

    Named `keepsim` on purpose: it overrides conftest's fixture for these tests, and
    conftest's report hook then shows the end of this keepsim's log on a failure."""
    binary = Path(os.environ.get("KEEPSIM_BIN", str(DEFAULT_BIN)))
    if not binary.is_file():
        pytest.fail(f"keepsim binary not found at {binary}: run `cargo build -p keepsim` first (or set KEEPSIM_BIN)")

    tmp = Path(tempfile.mkdtemp(prefix="keepsim-gy-interop-"))
    data_dir = tmp / "data"
    data_dir.mkdir()
    log_path = tmp / "keepsim.log"
    ports: set[int] = set()
    while len(ports) < 3:
        ports.add(free_port())
    http_port, metrics_port, diameter_port = sorted(ports)
    env = _clean_env(data_dir, http_port, metrics_port)
    env["KEEPSIM_DIAMETER_LISTEN"] = f"127.0.0.1:{diameter_port}"

    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(binary), "serve"], env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=tmp
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
        banner = log_path.read_text(errors="replace")
        assert re.search(rf"Diameter Gy: 127\.0\.0\.1:{diameter_port}\b", banner), (
            f"keepsim does not say it serves Gy on port {diameter_port}:\n{ks.log_tail()}"
        )
        ks.diameter_port = diameter_port
        yield ks
    finally:
        _stop(proc)
        if os.environ.get("KEEPSIM_INTEROP_KEEP_TMP"):
            print(f"keepsim Gy interop data kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def gy(keepsim):
    """One python-diameter client node, connected (CER/CEA done) for the whole module."""
    client = GyClient("127.0.0.1", keepsim.diameter_port, ocs_host=OCS_HOST, ocs_realm=OCS_REALM)
    yield client
    client.close()


# --------------------------------------------------------------------------
# A subscriber: a customer with a line and paid packages
# --------------------------------------------------------------------------


class Subscriber(Customer):
    """A signed-up customer with a device, a line and (optionally) a paid package."""

    def __init__(self, ks: Keepsim, *package_codes: str):
        super().__init__(ks)
        line = self._get(f"/api/v1/lines/{self.line_id}")
        self.msisdn: str = line["msisdn"]
        self.imsi: str = line["imsi"]
        assert self.msisdn.isdigit() and self.imsi.isdigit(), line
        for code in package_codes:
            self.buy(code)

    def buy(self, package_code: str) -> str:
        """Orders the package with Alipay and pays at the sandbox gateway; waits until fulfilled."""
        order = self.order("alipay", "CNY", package_code)
        pay = f"{self.ks.base_url}/sandbox/orders/{order['id']}/pay"
        r = requests.post(pay, allow_redirects=False, timeout=HTTP_TIMEOUT_S)
        assert r.status_code == 204, f"POST {pay}: {r.status_code} {r.text}"
        self.wait_for_status(order["id"], "fulfilled")
        return order["id"]

    def ident(self, id_type: int) -> tuple[int, str]:
        """(Subscription-Id-Type, Subscription-Id-Data) for E.164 (the MSISDN) or IMSI."""
        return (id_type, self.msisdn if id_type == E164 else self.imsi)

    def bundle(self, package_code: str) -> dict:
        found = [b for b in self.bundles() if b["package_code"] == package_code]
        assert len(found) == 1, f"bundles of {package_code}: {found}"
        return found[0]

    def counters(self, package_code: str, service: str) -> dict:
        """`{total, used, reserved, remaining}` of one service of one bundle."""
        return self.bundle(package_code)[service]


def package(ks: Keepsim, country: str, code: str) -> dict:
    r = requests.get(ks.url(f"/api/v1/packages?country={country}"), timeout=HTTP_TIMEOUT_S)
    assert r.status_code == 200, r.text
    found = [p for p in r.json() if p["code"] == code]
    assert found, f"{code} is not sold for {country}"
    return found[0]


# --------------------------------------------------------------------------
# Checking answers
# --------------------------------------------------------------------------


def error_message(answer) -> str | None:
    found = answer.find_avps((AVP_ERROR_MESSAGE, 0))
    return found[0].value if found else None


def describe(answer) -> str:
    """A one-line account of an answer, for assertion messages."""
    parts = [f"Result-Code {answer.result_code}"]
    if msg := error_message(answer):
        parts.append(f"Error-Message {msg!r}")
    for m in answer.multiple_services_credit_control:
        gsu = m.granted_service_unit
        granted = (
            None
            if gsu is None
            else {
                k: v
                for k, v in (
                    ("octets", gsu.cc_total_octets),
                    ("seconds", gsu.cc_time),
                    ("units", gsu.cc_service_specific_units),
                )
                if v is not None
            }
        )
        parts.append(
            f"MSCC(RG {m.rating_group}: {m.result_code}, granted {granted}, "
            f"validity {m.validity_time}, FUA {final_unit_action(m)})"
        )
    return "; ".join(parts)


def check_answer(answer, request, result_code: int):
    """The command-level part of a CCA: its Result-Code, and what it must echo."""
    assert answer.result_code == result_code, f"expected Result-Code {result_code}, got: {describe(answer)}"
    assert not answer.header.is_error, f"E bit set on a {result_code} answer"  # only 3xxx carry the E bit
    assert answer.header.end_to_end_identifier == request.header.end_to_end_identifier
    assert answer.session_id == request.session_id
    assert answer.origin_host == OCS_HOST.encode()
    assert answer.origin_realm == OCS_REALM.encode()
    assert answer.auth_application_id == 4
    assert answer.cc_request_type == request.cc_request_type
    assert answer.cc_request_number == request.cc_request_number


def granted_mscc(answer, rating_group: int):
    """The answer's MSCC for `rating_group`, which must be granted (2001) with a Validity-Time."""
    by_rg = msccs_by_rating_group(answer)
    assert rating_group in by_rg, f"no MSCC for Rating-Group {rating_group}: {describe(answer)}"
    m = by_rg[rating_group]
    assert m.result_code == SUCCESS, f"Rating-Group {rating_group} not granted: {describe(answer)}"
    assert m.granted_service_unit is not None, f"no Granted-Service-Unit: {describe(answer)}"
    assert m.validity_time is not None and m.validity_time > 0, f"no Validity-Time: {describe(answer)}"
    return m


def refused_mscc(answer, rating_group: int, result_code: int):
    """The answer's MSCC for `rating_group`, refused with `result_code` and granting nothing."""
    by_rg = msccs_by_rating_group(answer)
    assert rating_group in by_rg, f"no MSCC for Rating-Group {rating_group}: {describe(answer)}"
    m = by_rg[rating_group]
    assert m.result_code == result_code, (
        f"Rating-Group {rating_group}: expected {result_code}, got: {describe(answer)}"
    )
    assert m.granted_service_unit is None, f"a refused MSCC grants units: {describe(answer)}"
    return m


def unknown_msisdn() -> str:
    return "999" + "".join(secrets.choice("0123456789") for _ in range(9))


# --------------------------------------------------------------------------
# The peer connection
# --------------------------------------------------------------------------


def test_capabilities_exchange_and_watchdog(gy):
    """python-diameter's CER is accepted (CEA 2001 from ocs.keepsim.local offering
    credit control, app 4), and keepsim answers its DWR."""
    conn = gy.connection
    assert conn is not None, "python-diameter has no connection to keepsim"
    assert conn.host_identity == OCS_HOST
    assert 4 in conn.auth_application_ids, f"credit control not negotiated: {conn.auth_application_ids}"

    dwa_before = gy.peer.counters.dwa
    gy.node.send_dwr(conn)
    deadline = time.monotonic() + 5
    while conn.is_waiting_for_dwa or gy.peer.counters.dwa == dwa_before:
        assert time.monotonic() < deadline, "no DWA for python-diameter's DWR"
        time.sleep(0.05)


# --------------------------------------------------------------------------
# 1. A data session, by MSISDN and by IMSI
# --------------------------------------------------------------------------


@pytest.mark.parametrize("id_type", [E164, IMSI], ids=["e164", "imsi"])
def test_data_session_debits_exactly_the_reported_usage(keepsim, gy, id_type):
    sub = Subscriber(keepsim, "JP-1GB-3D")
    ident = sub.ident(id_type)
    sid = gy.new_session_id()

    # CCR-INITIAL from Japan, 3GPP-SGSN-MCC-MNC inside Service-Information / PS-Information.
    req = gy.ccr(sid, INITIAL, 0, subscription=ident, msccs=[mscc(RG_DATA, rsu(octets=1_000_000))], plmn=JAPAN)
    answer = gy.send(req)
    check_answer(answer, req, SUCCESS)
    m = granted_mscc(answer, RG_DATA)
    assert m.granted_service_unit.cc_total_octets == 1_000_000, describe(answer)
    assert final_unit_action(m) is None, f"1 MB of 1 GiB is not the last grant: {describe(answer)}"
    data = sub.counters("JP-1GB-3D", "data")
    assert (data["total"], data["used"], data["reserved"]) == (GIB, 0, 1_000_000), data

    # Two CCR-UPDATEs, each reporting usage and asking for more.
    for number, used, used_so_far in ((1, 800_000, 800_000), (2, 900_000, 1_700_000)):
        req = gy.ccr(
            sid,
            UPDATE,
            number,
            subscription=ident,
            msccs=[mscc(RG_DATA, rsu(octets=1_000_000), usu(octets=used))],
            plmn=JAPAN,
        )
        answer = gy.send(req)
        check_answer(answer, req, SUCCESS)
        m = granted_mscc(answer, RG_DATA)
        assert m.granted_service_unit.cc_total_octets == 1_000_000, describe(answer)
        data = sub.counters("JP-1GB-3D", "data")
        assert (data["used"], data["reserved"]) == (used_so_far, 1_000_000), f"after UPDATE {number}: {data}"

    # CCR-TERMINATE with the final usage.
    req = gy.ccr(sid, TERMINATION, 3, subscription=ident, msccs=[mscc(RG_DATA, used=usu(octets=300_000))])
    answer = gy.send(req)
    check_answer(answer, req, SUCCESS)
    by_rg = msccs_by_rating_group(answer)
    if RG_DATA in by_rg:
        assert by_rg[RG_DATA].result_code == SUCCESS, describe(answer)
        assert by_rg[RG_DATA].granted_service_unit is None, f"units granted on TERMINATE: {describe(answer)}"

    data = sub.counters("JP-1GB-3D", "data")
    assert data["used"] == 800_000 + 900_000 + 300_000, data
    assert data["reserved"] == 0, data
    assert data["remaining"] == GIB - 2_000_000, data


# --------------------------------------------------------------------------
# 2. Voice, 3. SMS
# --------------------------------------------------------------------------


def test_voice_session_debits_seconds(keepsim, gy):
    """RG 20 with CC-Time, in the US on US-10GB-30D-CALLS (3GPP-SGSN-MCC-MNC at the top level)."""
    voice_seconds = package(keepsim, "US", "US-10GB-30D-CALLS")["voice_seconds"]
    assert voice_seconds > 300
    sub = Subscriber(keepsim, "US-10GB-30D-CALLS")
    ident = sub.ident(E164)
    sid = gy.new_session_id()

    req = gy.ccr(
        sid,
        INITIAL,
        0,
        subscription=ident,
        msccs=[mscc(RG_VOICE, rsu(seconds=300))],
        plmn=USA,
        plmn_in_ps_information=False,
    )
    answer = gy.send(req)
    check_answer(answer, req, SUCCESS)
    assert granted_mscc(answer, RG_VOICE).granted_service_unit.cc_time == 300, describe(answer)
    voice = sub.counters("US-10GB-30D-CALLS", "voice")
    assert (voice["total"], voice["used"], voice["reserved"]) == (voice_seconds, 0, 300), voice

    req = gy.ccr(
        sid,
        UPDATE,
        1,
        subscription=ident,
        msccs=[mscc(RG_VOICE, rsu(seconds=300), usu(seconds=120))],
        plmn=USA,
        plmn_in_ps_information=False,
    )
    answer = gy.send(req)
    check_answer(answer, req, SUCCESS)
    assert granted_mscc(answer, RG_VOICE).granted_service_unit.cc_time == 300, describe(answer)

    req = gy.ccr(sid, TERMINATION, 2, subscription=ident, msccs=[mscc(RG_VOICE, used=usu(seconds=45))])
    answer = gy.send(req)
    check_answer(answer, req, SUCCESS)

    b = sub.bundle("US-10GB-30D-CALLS")
    assert (b["voice"]["used"], b["voice"]["reserved"]) == (165, 0), b["voice"]
    assert b["voice"]["remaining"] == voice_seconds - 165, b["voice"]
    assert (b["data"]["used"], b["data"]["reserved"]) == (0, 0), b["data"]
    assert (b["sms"]["used"], b["sms"]["reserved"]) == (0, 0), b["sms"]


def test_sms_event_direct_debit(keepsim, gy):
    """CC-Request-Type EVENT, Requested-Action DIRECT_DEBITING, RG 30, one service-specific unit."""
    sms_total = package(keepsim, "US", "US-10GB-30D-CALLS")["sms"]
    assert sms_total > 0
    sub = Subscriber(keepsim, "US-10GB-30D-CALLS")

    req = gy.ccr(
        gy.new_session_id(),
        EVENT,
        0,
        subscription=sub.ident(E164),
        requested_action=DIRECT_DEBITING,
        msccs=[mscc(RG_SMS, rsu(units=1))],
        plmn=USA,
        plmn_in_ps_information=False,
    )
    answer = gy.send(req)
    check_answer(answer, req, SUCCESS)
    m = msccs_by_rating_group(answer).get(RG_SMS)
    assert m is not None and m.result_code == SUCCESS, describe(answer)
    # The units debited come back in the MSCC's Granted-Service-Unit.
    assert m.granted_service_unit is not None, describe(answer)
    assert m.granted_service_unit.cc_service_specific_units == 1, describe(answer)

    b = sub.bundle("US-10GB-30D-CALLS")
    assert (b["sms"]["total"], b["sms"]["used"], b["sms"]["reserved"]) == (sms_total, 1, 0), b["sms"]
    assert (b["voice"]["used"], b["data"]["used"]) == (0, 0), b


# --------------------------------------------------------------------------
# 4. Exhaustion
# --------------------------------------------------------------------------


def test_exhaustion_final_unit_indication_then_4012(keepsim, gy):
    sub = Subscriber(keepsim, "JP-1GB-3D")
    ident = sub.ident(E164)
    sid = gy.new_session_id()

    # Asking for more than there is: the remaining 1 GiB, marked as the last units.
    req = gy.ccr(sid, INITIAL, 0, subscription=ident, msccs=[mscc(RG_DATA, rsu(octets=2 * GIB))], plmn=JAPAN)
    answer = gy.send(req)
    check_answer(answer, req, SUCCESS)
    m = granted_mscc(answer, RG_DATA)
    assert m.granted_service_unit.cc_total_octets == GIB, describe(answer)
    assert final_unit_action(m) == E_FINAL_UNIT_ACTION_TERMINATE, f"no Final-Unit-Action TERMINATE: {describe(answer)}"
    data = sub.counters("JP-1GB-3D", "data")
    assert (data["used"], data["reserved"], data["remaining"]) == (0, GIB, 0), data

    # All of it used, and more asked for: nothing left.
    req = gy.ccr(
        sid,
        UPDATE,
        1,
        subscription=ident,
        msccs=[mscc(RG_DATA, rsu(octets=1_000_000), usu(octets=GIB))],
        plmn=JAPAN,
    )
    answer = gy.send(req)
    check_answer(answer, req, SUCCESS)
    refused_mscc(answer, RG_DATA, CREDIT_LIMIT_REACHED)
    data = sub.counters("JP-1GB-3D", "data")
    assert (data["used"], data["reserved"], data["remaining"]) == (GIB, 0, 0), data

    req = gy.ccr(sid, TERMINATION, 2, subscription=ident)
    answer = gy.send(req)
    check_answer(answer, req, SUCCESS)
    data = sub.counters("JP-1GB-3D", "data")
    assert (data["used"], data["reserved"], data["remaining"]) == (GIB, 0, 0), data


# --------------------------------------------------------------------------
# 5. Unknown subscriber, 6. outside coverage
# --------------------------------------------------------------------------


@pytest.mark.parametrize("id_type", [E164, IMSI], ids=["e164", "imsi"])
def test_unknown_subscriber_is_5030(gy, id_type):
    data = unknown_msisdn() if id_type == E164 else "99999" + unknown_msisdn()[:10]
    req = gy.ccr(
        gy.new_session_id(),
        INITIAL,
        0,
        subscription=(id_type, data),
        msccs=[mscc(RG_DATA, rsu(octets=1_000_000))],
        plmn=JAPAN,
    )
    answer = gy.send(req)
    check_answer(answer, req, USER_UNKNOWN)
    assert not any(m.granted_service_unit for m in answer.multiple_services_credit_control), describe(answer)


def test_roaming_outside_coverage_is_4012_and_leaves_the_bundle_alone(keepsim, gy):
    """A line whose only bundle covers Japan asks for data from France."""
    sub = Subscriber(keepsim, "JP-1GB-3D")
    before = sub.bundle("JP-1GB-3D")
    sid = gy.new_session_id()

    req = gy.ccr(
        sid, INITIAL, 0, subscription=sub.ident(E164), msccs=[mscc(RG_DATA, rsu(octets=1_000_000))], plmn=FRANCE
    )
    answer = gy.send(req)
    check_answer(answer, req, SUCCESS)
    refused_mscc(answer, RG_DATA, CREDIT_LIMIT_REACHED)

    req = gy.ccr(sid, TERMINATION, 1, subscription=sub.ident(E164))
    check_answer(gy.send(req), req, SUCCESS)

    after = sub.bundle("JP-1GB-3D")
    assert (after["data"]["used"], after["data"]["reserved"]) == (0, 0), after["data"]
    assert after["data"]["remaining"] == GIB, after["data"]
    # Nothing was charged, so the first-use bundle has not started either.
    assert (after["state"], after["starts_at"], after["expires_at"]) == (
        before["state"],
        before["starts_at"],
        before["expires_at"],
    ), (before, after)


# --------------------------------------------------------------------------
# 7. Retransmission
# --------------------------------------------------------------------------


def test_retransmitted_requests_get_the_same_answer_and_count_once(keepsim, gy):
    sub = Subscriber(keepsim, "JP-1GB-3D")
    ident = sub.ident(E164)
    sid = gy.new_session_id()

    # A retransmitted CCR-INITIAL does not reserve twice.
    initial = gy.ccr(sid, INITIAL, 0, subscription=ident, msccs=[mscc(RG_DATA, rsu(octets=1_000_000))], plmn=JAPAN)
    first = gy.send(initial)
    check_answer(first, initial, SUCCESS)
    granted_mscc(first, RG_DATA)
    again = gy.retransmit(initial)
    check_answer(again, initial, SUCCESS)
    assert again.as_bytes()[20:] == first.as_bytes()[20:], f"{describe(first)} != {describe(again)}"
    assert sub.counters("JP-1GB-3D", "data")["reserved"] == 1_000_000

    # The same CCR-UPDATE twice: same Session-Id, CC-Request-Number and End-to-End
    # Identifier, the second with the T flag and a new Hop-by-Hop Identifier.
    update = gy.ccr(
        sid,
        UPDATE,
        1,
        subscription=ident,
        msccs=[mscc(RG_DATA, rsu(octets=1_000_000), usu(octets=800_000))],
        plmn=JAPAN,
    )
    first = gy.send(update)
    first_hop_by_hop = update.header.hop_by_hop_identifier
    check_answer(first, update, SUCCESS)
    granted_mscc(first, RG_DATA)
    again = gy.retransmit(update)
    assert update.header.is_retransmit and update.header.hop_by_hop_identifier != first_hop_by_hop
    check_answer(again, update, SUCCESS)
    assert again.header.hop_by_hop_identifier == update.header.hop_by_hop_identifier
    assert again.as_bytes()[20:] == first.as_bytes()[20:], f"{describe(first)} != {describe(again)}"

    data = sub.counters("JP-1GB-3D", "data")
    assert (data["used"], data["reserved"]) == (800_000, 1_000_000), f"the retransmission was counted: {data}"

    req = gy.ccr(sid, TERMINATION, 2, subscription=ident, msccs=[mscc(RG_DATA, used=usu(octets=0))])
    check_answer(gy.send(req), req, SUCCESS)
    data = sub.counters("JP-1GB-3D", "data")
    assert (data["used"], data["reserved"]) == (800_000, 0), data


def test_retransmission_arriving_while_the_original_is_processed_gets_the_same_answer(keepsim, gy):
    """A PCEF whose Tx timer fires retransmits while keepsim may still be committing the
    original. Both copies are written in one TCP write over a raw connection (see
    `RawGyConnection`: python-diameter's Node cannot pipeline two requests), so keepsim
    reads them together. Both must get the original's answer; the usage counts once."""
    sub = Subscriber(keepsim, "JP-1GB-3D")
    ident = sub.ident(E164)
    sid = gy.new_session_id()
    raw = RawGyConnection("127.0.0.1", keepsim.diameter_port)
    try:
        initial = raw.stamp(
            gy.ccr(sid, INITIAL, 0, subscription=ident, msccs=[mscc(RG_DATA, rsu(octets=1_000_000))], plmn=JAPAN)
        )
        raw.write(initial.as_bytes())
        answer = raw.read()
        check_answer(answer, initial, SUCCESS)
        granted_mscc(answer, RG_DATA)

        update = raw.stamp(
            gy.ccr(
                sid,
                UPDATE,
                1,
                subscription=ident,
                msccs=[mscc(RG_DATA, rsu(octets=1_000_000), usu(octets=800_000))],
                plmn=JAPAN,
            )
        )
        original = update.as_bytes()
        original_hop_by_hop = update.header.hop_by_hop_identifier
        raw.stamp(update, end_to_end=update.header.end_to_end_identifier)
        update.header.is_retransmit = True
        retransmission = update.as_bytes()
        raw.write(original, retransmission)
        answers = {}
        for _ in range(2):
            a = raw.read()
            answers[a.header.hop_by_hop_identifier] = a
        assert set(answers) == {original_hop_by_hop, update.header.hop_by_hop_identifier}, answers
        first, again = answers[original_hop_by_hop], answers[update.header.hop_by_hop_identifier]
        described = f"original: {describe(first)} | retransmission: {describe(again)}"
        assert first.result_code == again.result_code == SUCCESS, described
        assert first.as_bytes()[20:] == again.as_bytes()[20:], described
        granted_mscc(first, RG_DATA)

        data = sub.counters("JP-1GB-3D", "data")
        assert (data["used"], data["reserved"]) == (800_000, 1_000_000), f"the retransmission was counted: {data}"

        term = raw.stamp(gy.ccr(sid, TERMINATION, 2, subscription=ident, msccs=[mscc(RG_DATA, used=usu(octets=0))]))
        raw.write(term.as_bytes())
        check_answer(raw.read(), term, SUCCESS)
    finally:
        raw.close()


# --------------------------------------------------------------------------
# 8. Bad input
# --------------------------------------------------------------------------


def test_update_for_unknown_session_is_5002(keepsim, gy):
    sub = Subscriber(keepsim, "JP-1GB-3D")
    req = gy.ccr(
        gy.new_session_id(),
        UPDATE,
        1,
        subscription=sub.ident(E164),
        msccs=[mscc(RG_DATA, rsu(octets=1_000_000), usu(octets=1_000))],
        plmn=JAPAN,
    )
    answer = gy.send(req)
    check_answer(answer, req, UNKNOWN_SESSION_ID)
    data = sub.counters("JP-1GB-3D", "data")
    assert (data["used"], data["reserved"]) == (0, 0), data


def test_unknown_rating_group_is_refused_alone(keepsim, gy):
    """Rating-Group 999 gets 5031 in its MSCC; RG 10 in the same CCR is granted."""
    sub = Subscriber(keepsim, "JP-1GB-3D")
    ident = sub.ident(E164)
    sid = gy.new_session_id()

    req = gy.ccr(
        sid,
        INITIAL,
        0,
        subscription=ident,
        msccs=[mscc(RG_UNKNOWN, rsu(octets=5_000)), mscc(RG_DATA, rsu(octets=1_000_000))],
        plmn=JAPAN,
    )
    answer = gy.send(req)
    check_answer(answer, req, SUCCESS)
    refused_mscc(answer, RG_UNKNOWN, RATING_FAILED)
    assert granted_mscc(answer, RG_DATA).granted_service_unit.cc_total_octets == 1_000_000, describe(answer)
    assert sub.counters("JP-1GB-3D", "data")["reserved"] == 1_000_000

    req = gy.ccr(sid, TERMINATION, 1, subscription=ident, msccs=[mscc(RG_DATA, used=usu(octets=5_000))])
    check_answer(gy.send(req), req, SUCCESS)
    data = sub.counters("JP-1GB-3D", "data")
    assert (data["used"], data["reserved"]) == (5_000, 0), data


def test_missing_subscription_id_is_5005_with_failed_avp(gy):
    sid = gy.new_session_id()
    req = gy.ccr(sid, INITIAL, 0, msccs=[mscc(RG_DATA, rsu(octets=1_000_000))], plmn=JAPAN)
    answer = gy.send(req)
    check_answer(answer, req, MISSING_AVP)
    assert answer.failed_avp, f"no Failed-AVP: {describe(answer)}"
    failed = [a for f in answer.failed_avp for a in f.additional_avps]
    assert [a.code for a in failed] == [AVP_SUBSCRIPTION_ID], [str(a) for a in failed]
    # RFC 6733 §7.5: an example of the missing AVP; for the grouped Subscription-Id, with its two members.
    inner = sorted(a.code for a in failed[0].value)
    assert inner == [AVP_SUBSCRIPTION_ID_DATA, AVP_SUBSCRIPTION_ID_TYPE], [str(a) for a in failed[0].value]

    # The refused CCR-INITIAL opened no session.
    req = gy.ccr(sid, UPDATE, 1, msccs=[mscc(RG_DATA, rsu(octets=1_000), usu(octets=1_000))])
    check_answer(gy.send(req), req, UNKNOWN_SESSION_ID)


def test_malformed_sgsn_mcc_mnc_is_5004_with_failed_avp(keepsim, gy):
    sub = Subscriber(keepsim, "JP-1GB-3D")
    req = gy.ccr(
        gy.new_session_id(),
        INITIAL,
        0,
        subscription=sub.ident(E164),
        msccs=[mscc(RG_DATA, rsu(octets=1_000_000))],
        plmn="JAPAN",
        plmn_in_ps_information=False,
    )
    answer = gy.send(req)
    check_answer(answer, req, INVALID_AVP_VALUE)
    failed = [a for f in answer.failed_avp for a in f.additional_avps]
    assert [(a.code, a.vendor_id, a.value) for a in failed] == [(AVP_TGPP_3GPP_SGSN_MCC_MNC, VENDOR_TGPP, "JAPAN")], [
        str(a) for a in failed
    ]
    data = sub.counters("JP-1GB-3D", "data")
    assert (data["used"], data["reserved"]) == (0, 0), data
