"""A Gy (Diameter credit-control) charging client built on PyPI `python-diameter`.

Everything on the wire is python-diameter's: its `Node` opens the TCP
connection to keepsim and runs CER/CEA (and DWR/DWA, DPR/DPA) itself, its
`CreditControlRequest` and grouped-AVP classes encode the CCRs, and its
`Message.from_bytes` decodes the CCAs. Nothing here uses keepsim's own codec.
"""

from __future__ import annotations

import itertools
import logging
import socket
import struct

from diameter.message import Message
from diameter.message.avp.grouped import (
    FinalUnitIndication,
    GrantedServiceUnit,
    MultipleServicesCreditControl,
    PsInformation,
    RequestedServiceUnit,
    ServiceInformation,
    SubscriptionId,
    UsedServiceUnit,
)
from diameter.message.commands.capabilities_exchange import CapabilitiesExchangeRequest
from diameter.message.commands.credit_control import CreditControlAnswer, CreditControlRequest
from diameter.message.constants import (
    APP_DIAMETER_CREDIT_CONTROL_APPLICATION,
    E_CC_REQUEST_TYPE_EVENT_REQUEST,
    E_CC_REQUEST_TYPE_INITIAL_REQUEST,
    E_CC_REQUEST_TYPE_TERMINATION_REQUEST,
    E_CC_REQUEST_TYPE_UPDATE_REQUEST,
    E_REQUESTED_ACTION_DIRECT_DEBITING,
    E_SUBSCRIPTION_ID_TYPE_END_USER_E164,
    E_SUBSCRIPTION_ID_TYPE_END_USER_IMSI,
    E_TERMINATION_CAUSE_DIAMETER_LOGOUT,
    VENDOR_TGPP,
)
from diameter.node import Node
from diameter.node.application import SimpleThreadingApplication

__all__ = [
    "INITIAL",
    "UPDATE",
    "TERMINATION",
    "EVENT",
    "E164",
    "IMSI",
    "DIRECT_DEBITING",
    "GyClient",
    "RawGyConnection",
    "mscc",
    "rsu",
    "usu",
    "msccs_by_rating_group",
    "granted",
    "final_unit_action",
]

INITIAL = E_CC_REQUEST_TYPE_INITIAL_REQUEST
UPDATE = E_CC_REQUEST_TYPE_UPDATE_REQUEST
TERMINATION = E_CC_REQUEST_TYPE_TERMINATION_REQUEST
EVENT = E_CC_REQUEST_TYPE_EVENT_REQUEST
E164 = E_SUBSCRIPTION_ID_TYPE_END_USER_E164
IMSI = E_SUBSCRIPTION_ID_TYPE_END_USER_IMSI
DIRECT_DEBITING = E_REQUESTED_ACTION_DIRECT_DEBITING

PS_SERVICE_CONTEXT_ID = "32251@3gpp.org"  # TS 32.299 PS charging (Gy)
ANSWER_TIMEOUT_S = 10

# python-diameter logs every connection step at INFO and routing hiccups at WARNING.
logging.getLogger("diameter").setLevel(logging.ERROR)


# --------------------------------------------------------------------------
# Building blocks of a CCR (python-diameter's own grouped-AVP classes)
# --------------------------------------------------------------------------


def rsu(octets: int | None = None, seconds: int | None = None, units: int | None = None) -> RequestedServiceUnit:
    """A Requested-Service-Unit: CC-Total-Octets, CC-Time and/or CC-Service-Specific-Units
    (all None: an empty RSU, asking for the server's default quota)."""
    return RequestedServiceUnit(cc_total_octets=octets, cc_time=seconds, cc_service_specific_units=units)


def usu(octets: int | None = None, seconds: int | None = None, units: int | None = None) -> UsedServiceUnit:
    """A Used-Service-Unit reporting CC-Total-Octets, CC-Time and/or CC-Service-Specific-Units."""
    return UsedServiceUnit(cc_total_octets=octets, cc_time=seconds, cc_service_specific_units=units)


def mscc(
    rating_group: int | None,
    requested: RequestedServiceUnit | None = None,
    used: UsedServiceUnit | list[UsedServiceUnit] | None = None,
) -> MultipleServicesCreditControl:
    """A request's Multiple-Services-Credit-Control for one Rating-Group."""
    if used is None:
        used = []
    elif not isinstance(used, list):
        used = [used]
    return MultipleServicesCreditControl(
        rating_group=rating_group, requested_service_unit=requested, used_service_unit=used
    )


# --------------------------------------------------------------------------
# Reading a CCA (as decoded by python-diameter)
# --------------------------------------------------------------------------


def msccs_by_rating_group(answer: CreditControlAnswer) -> dict[int | None, MultipleServicesCreditControl]:
    """The answer's MSCCs keyed by Rating-Group (each Rating-Group must appear once)."""
    out: dict[int | None, MultipleServicesCreditControl] = {}
    for m in answer.multiple_services_credit_control:
        assert m.rating_group not in out, f"Rating-Group {m.rating_group} answered twice"
        out[m.rating_group] = m
    return out


def granted(m: MultipleServicesCreditControl) -> GrantedServiceUnit | None:
    return m.granted_service_unit


def final_unit_action(m: MultipleServicesCreditControl) -> int | None:
    fui: FinalUnitIndication | None = m.final_unit_indication
    return None if fui is None else fui.final_unit_action


# --------------------------------------------------------------------------
# The client node
# --------------------------------------------------------------------------


class GyClient:
    """A python-diameter node acting as a charging client (a PGW/PCEF) with one peer: keepsim.

    `Node.start` connects and sends CER; `wait_for_ready` returns once keepsim's
    CEA accepted the credit-control application. `close` sends DPR."""

    def __init__(
        self,
        ip: str,
        port: int,
        ocs_host: str = "ocs.keepsim.local",
        ocs_realm: str = "keepsim.local",
        origin_host: str = "pgw.interop.test",
        origin_realm: str = "interop.test",
        ready_timeout: float = 15,
    ):
        self.ocs_host = ocs_host
        self.ocs_realm = ocs_realm
        self.node = Node(origin_host, origin_realm, vendor_ids=[VENDOR_TGPP])
        # How often the node's connection thread wakes up on its own; the default 6 s
        # only makes `stop()` slow.
        self.node.wakeup_interval = 1
        self.peer = self.node.add_peer(
            f"aaa://{ocs_host}:{port};transport=tcp", ocs_realm, ip_addresses=[ip], is_persistent=True
        )
        self.app = SimpleThreadingApplication(APP_DIAMETER_CREDIT_CONTROL_APPLICATION, is_auth_application=True)
        self.node.add_application(self.app, [self.peer])
        self.node.start()
        try:
            self.app.wait_for_ready(ready_timeout)
        except Exception:
            self.close()
            raise

    @property
    def connection(self):
        """python-diameter's PeerConnection to keepsim (None when not connected)."""
        return self.peer.connection

    def new_session_id(self) -> str:
        return self.node.session_generator.next_id()

    def ccr(
        self,
        session_id: str,
        request_type: int,
        request_number: int,
        *,
        subscription: list[tuple[int, str]] | tuple[int, str] | None = None,
        msccs: list[MultipleServicesCreditControl] | None = None,
        plmn: str | None = None,
        plmn_in_ps_information: bool = True,
        requested_action: int | None = None,
    ) -> CreditControlRequest:
        """A Credit-Control-Request as a PGW would send it.

        `subscription`: (Subscription-Id-Type, Subscription-Id-Data) pairs.
        `plmn`: the visited network's MCC+MNC as 3GPP-SGSN-MCC-MNC, inside
        Service-Information / PS-Information (TS 32.299) or, with
        `plmn_in_ps_information=False`, at the top level of the request."""
        msg = CreditControlRequest()
        msg.session_id = session_id
        msg.origin_host = self.node.origin_host.encode()
        msg.origin_realm = self.node.realm_name.encode()
        msg.destination_realm = self.ocs_realm.encode()
        msg.auth_application_id = APP_DIAMETER_CREDIT_CONTROL_APPLICATION
        msg.service_context_id = PS_SERVICE_CONTEXT_ID
        msg.cc_request_type = request_type
        msg.cc_request_number = request_number
        if subscription is not None:
            if isinstance(subscription, tuple):
                subscription = [subscription]
            for id_type, data in subscription:
                msg.subscription_id.append(SubscriptionId(subscription_id_type=id_type, subscription_id_data=data))
        if requested_action is not None:
            msg.requested_action = requested_action
        if request_type == TERMINATION:
            msg.termination_cause = E_TERMINATION_CAUSE_DIAMETER_LOGOUT
        if msccs:
            msg.multiple_services_indicator = 1  # MULTIPLE_SERVICES_SUPPORTED
            msg.multiple_services_credit_control = list(msccs)
        if plmn is not None:
            if plmn_in_ps_information:
                msg.service_information = ServiceInformation(ps_information=PsInformation(tgpp_sgsn_mcc_mnc=plmn))
            else:
                msg.sgsn_mcc_mnc = plmn
        return msg

    def send(self, request: CreditControlRequest, timeout: float = ANSWER_TIMEOUT_S) -> CreditControlAnswer:
        """Sends a request through the node and waits for its answer (python-diameter
        matches it by Hop-by-Hop Identifier)."""
        answer = self.app.send_request(request, timeout=timeout)
        assert isinstance(answer, CreditControlAnswer), f"not a CCA: {answer}"
        return answer

    def retransmit(self, request: CreditControlRequest, timeout: float = ANSWER_TIMEOUT_S) -> CreditControlAnswer:
        """Sends `request` again as a retransmission (RFC 6733 §5.5.4): the T flag set,
        the same End-to-End Identifier and AVPs, a fresh Hop-by-Hop Identifier.
        python-diameter exposes the T flag as `MessageHeader.is_retransmit`, so no raw
        bytes are needed."""
        request.header.is_retransmit = True
        request.header.hop_by_hop_identifier = 0  # the node assigns the next one on routing
        return self.send(request, timeout)

    def close(self) -> None:
        """DPR/DPA, then the node's threads stop."""
        try:
            self.node.stop(wait_timeout=5)
        except RuntimeError:
            pass


class RawGyConnection:
    """A second, hand-driven connection to keepsim: a plain TCP socket, a manual CER,
    then requests written exactly when and how the test says.

    python-diameter's `Node` writes each request as soon as it is handed one and
    offers no way to put two requests into a single write, which a test of a
    retransmission that arrives while the original is still being processed
    needs. The messages themselves are still python-diameter's: they are encoded
    with `Message.as_bytes()` and the answers decoded with `Message.from_bytes()`;
    only the transport is raw."""

    def __init__(
        self,
        ip: str,
        port: int,
        origin_host: str = "raw.interop.test",
        origin_realm: str = "interop.test",
        timeout: float = ANSWER_TIMEOUT_S,
    ):
        self.origin_host = origin_host
        self.origin_realm = origin_realm
        self._ids = itertools.count(0x5A000001)
        self.sock = socket.create_connection((ip, port), timeout=timeout)
        self.sock.settimeout(timeout)
        cer = CapabilitiesExchangeRequest()
        cer.origin_host = origin_host.encode()
        cer.origin_realm = origin_realm.encode()
        cer.host_ip_address = [self.sock.getsockname()[0]]
        cer.vendor_id = 0
        cer.product_name = "python-diameter (raw socket)"
        cer.auth_application_id = [APP_DIAMETER_CREDIT_CONTROL_APPLICATION]
        self.stamp(cer)
        self.sock.sendall(cer.as_bytes())
        cea = self.read()
        if getattr(cea, "result_code", None) != 2001:
            self.close()
            raise ConnectionError(f"CER refused: {cea}")

    def stamp(self, msg: Message, end_to_end: int | None = None) -> Message:
        """Gives `msg` a fresh Hop-by-Hop Identifier (and End-to-End, unless given)."""
        msg.header.hop_by_hop_identifier = next(self._ids)
        msg.header.end_to_end_identifier = end_to_end if end_to_end is not None else next(self._ids)
        if isinstance(msg, CreditControlRequest):
            msg.header.application_id = APP_DIAMETER_CREDIT_CONTROL_APPLICATION
        return msg

    def write(self, *encoded: bytes) -> None:
        """Writes the encoded messages back to back, in one `sendall`."""
        self.sock.sendall(b"".join(encoded))

    def read(self) -> Message:
        """The next message keepsim sends, decoded by python-diameter."""
        header = self._exactly(4)
        length = struct.unpack(">I", header)[0] & 0xFFFFFF
        return Message.from_bytes(header + self._exactly(length - 4))

    def _exactly(self, n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise ConnectionError("keepsim closed the connection")
            buf += chunk
        return buf

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
