"""Alipay async notifies signed with Alipay's official Python SDK.

`alipay-sdk-python` (`alipay.aop.api.util.SignatureUtils`) builds the signing
string (`get_sign_content`: parameters sorted by key, `k=v&k=v`, raw values)
and signs it RSA2 (`sign_with_rsa2`: SHA256withRSA, base64) with the key the
sandbox "Alipay" signs with, `<data dir>/sandbox/alipay_platform.pem`; keepsim
verifies with its public half. As Alipay does for notifies, `sign` and
`sign_type` are left out of the signing string. The SDK's own `verify_with_rsa`
must accept each genuine notify before it is posted.

The SDK loads keys with `rsa.PrivateKey.load_pkcs1` after wrapping the string
it is given in `-----BEGIN RSA PRIVATE KEY-----` armour, so it wants the bare
base64 body of a PKCS#1 key (what Alipay's key tool hands out); keepsim writes
PKCS#8 PEM, so the key is converted with `cryptography` first.
"""

from __future__ import annotations

import secrets
import time
from datetime import datetime, timedelta, timezone

import pytest
import rsa
from alipay.aop.api.util.SignatureUtils import get_sign_content, sign_with_rsa2, verify_with_rsa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa as crypto_rsa

PACKAGE = "JP-5GB-7D"
BEIJING = timezone(timedelta(hours=8))
CHARSET = "utf-8"


def pem_body(pem: str) -> str:
    """The base64 body of a PEM block, on one line, without its armour."""
    return "".join(line.strip() for line in pem.splitlines() if line.strip() and not line.startswith("-----"))


def sdk_private_key(private_key) -> str:
    """A `cryptography` private key as alipay-sdk-python takes it: bare PKCS#1 base64."""
    pkcs1 = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode()
    return pem_body(pkcs1)


def sdk_public_key(private_key) -> str:
    """Its public half as the SDK verifies with: bare SPKI base64."""
    spki = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    return pem_body(spki)


@pytest.fixture(scope="module")
def alipay_key(keepsim):
    """The sandbox "Alipay platform" key (PKCS#8 PEM on disk)."""
    key = serialization.load_pem_private_key(keepsim.pem("alipay_platform.pem").encode(), password=None)
    return key


@pytest.fixture(scope="module")
def app_id(keepsim) -> str:
    return keepsim.secrets["alipay_app_id"]


def yuan(amount_minor: int) -> str:
    """Fen as Alipay's yuan string: 1250 → "12.50"."""
    assert amount_minor >= 0
    return f"{amount_minor // 100}.{amount_minor % 100:02d}"


def beijing(t: float) -> str:
    return datetime.fromtimestamp(t, BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def digits(n: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(n))


def notify_params(order: dict, app_id: str, *, trade_status: str = "TRADE_SUCCESS", total_amount: str | None = None,
                  out_trade_no: str | None = None) -> dict:
    """The parameters of a `trade_status_sync` async notify, unsigned."""
    now = time.time()
    amount = total_amount if total_amount is not None else yuan(order["amount_minor"])
    params = {
        "notify_time": beijing(now),
        "notify_type": "trade_status_sync",
        "notify_id": "2024" + digits(30),
        "app_id": app_id,
        "charset": CHARSET,
        "version": "1.0",
        "sign_type": "RSA2",
        "trade_no": beijing(now)[:10].replace("-", "") + "22001" + digits(15),
        "out_trade_no": out_trade_no or order["payment"]["out_trade_no"],
        "buyer_logon_id": "ana***@example.com",
        "total_amount": amount,
        "trade_status": trade_status,
        "gmt_create": beijing(now - 40),
        "subject": "keepsim 日本 5GB 7天",
    }
    if trade_status in ("TRADE_SUCCESS", "TRADE_FINISHED"):
        params.update(
            {
                "receipt_amount": amount,
                "buyer_pay_amount": amount,
                "invoice_amount": amount,
                "gmt_payment": beijing(now - 5),
            }
        )
    return params


def sign_notify(params: dict, private_key) -> dict:
    """Signs notify parameters as Alipay does, with the SDK: RSA2 over all but `sign` and `sign_type`."""
    content = get_sign_content({k: v for k, v in params.items() if k not in ("sign", "sign_type")})
    return {**params, "sign": sign_with_rsa2(sdk_private_key(private_key), content, CHARSET)}


def sdk_verifies(params: dict, public_key_of) -> bool:
    """Whether the SDK's own `verify_with_rsa` accepts the notify's `sign`."""
    if not params.get("sign"):
        return False
    content = get_sign_content({k: v for k, v in params.items() if k not in ("sign", "sign_type")})
    try:
        return verify_with_rsa(sdk_public_key(public_key_of), content.encode(CHARSET), params["sign"])
    except rsa.VerificationError:
        return False


def signed_notify(order: dict, app_id: str, key, **kw) -> dict:
    params = sign_notify(notify_params(order, app_id, **kw), key)
    assert sdk_verifies(params, key), "alipay-sdk-python does not verify its own signature"
    return params


def assert_success(r, what: str = "notify") -> None:
    assert r.status_code == 200 and r.text == "success", f"{what}: {r.status_code} {r.text!r}"


def test_alipay_order_exposes_out_trade_no_and_pay_url(customer):
    order = customer.order("alipay", "CNY", PACKAGE)
    assert order["payment"]["out_trade_no"] and order["payment"]["pay_url"], order


def test_alipay_notify_signed_with_alipay_sdk_credits_the_order(keepsim, customer, app_id, alipay_key):
    order = customer.order("alipay", "CNY", PACKAGE)
    params = signed_notify(order, app_id, alipay_key)

    assert_success(keepsim.post_alipay(params))

    customer.wait_for_status(order["id"], "fulfilled")
    assert len(customer.bundles_for(order["id"])) == 1


def test_alipay_notify_replayed_twenty_times_credits_once(keepsim, customer, app_id, alipay_key):
    order = customer.order("alipay", "CNY", PACKAGE)
    params = signed_notify(order, app_id, alipay_key)
    assert_success(keepsim.post_alipay(params))
    customer.wait_for_status(order["id"], "fulfilled")

    for i in range(20):
        assert_success(keepsim.post_alipay(params), f"replay {i + 1}")

    keepsim.settle()
    assert customer.order_status(order["id"]) == "fulfilled"
    assert len(customer.bundles_for(order["id"])) == 1
    assert len(customer.bundles()) == 1


def test_alipay_notify_delivered_twenty_times_at_once_credits_once(keepsim, customer, app_id, alipay_key):
    order = customer.order("alipay", "CNY", "TH-5GB-8D")
    params = signed_notify(order, app_id, alipay_key)

    for r in keepsim.concurrently(lambda: keepsim.post_alipay(params), 20):
        assert_success(r, "concurrent delivery")

    customer.wait_for_status(order["id"], "fulfilled")
    keepsim.settle()
    assert len(customer.bundles_for(order["id"])) == 1


def test_alipay_wait_buyer_pay_notify_is_acknowledged_and_credits_nothing(keepsim, customer, app_id, alipay_key):
    order = customer.order("alipay", "CNY", "TH-5GB-8D")
    waiting = signed_notify(order, app_id, alipay_key, trade_status="WAIT_BUYER_PAY")

    assert_success(keepsim.post_alipay(waiting))

    keepsim.settle()
    customer.assert_untouched(order["id"], "WAIT_BUYER_PAY")
    # The payment that follows is credited as usual.
    assert_success(keepsim.post_alipay(signed_notify(order, app_id, alipay_key)))
    customer.wait_for_status(order["id"], "fulfilled")
    assert len(customer.bundles_for(order["id"])) == 1


def test_alipay_tampered_notifies_are_refused_and_change_nothing(keepsim, customer, app_id, alipay_key):
    order = customer.order("alipay", "CNY", PACKAGE)
    amount = order["amount_minor"]
    good = signed_notify(order, app_id, alipay_key)
    other_key = crypto_rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other_app = "2021" + digits(12)
    while other_app == app_id:
        other_app = "2021" + digits(12)
    changed_amount = yuan(amount + 100)

    cases = {
        "total_amount changed after signing": (
            {**good, **{k: changed_amount for k in ("total_amount", "receipt_amount", "buyer_pay_amount")}},
            False,
        ),
        "subject changed after signing": ({**good, "subject": good["subject"] + "!"}, False),
        "app_id of another app, properly signed": (
            sign_notify({**notify_params(order, app_id), "app_id": other_app}, alipay_key),
            True,
        ),
        "signed with another RSA key": (sign_notify(notify_params(order, app_id), other_key), False),
        "unknown out_trade_no, properly signed": (
            sign_notify(notify_params(order, app_id, out_trade_no="ks" + digits(24)), alipay_key),
            True,
        ),
        "sign removed": ({k: v for k, v in good.items() if k != "sign"}, False),
        "properly signed, total_amount not the order's": (
            sign_notify(notify_params(order, app_id, total_amount=yuan(amount - 1)), alipay_key),
            True,
        ),
    }
    # The forgeries are ones the Alipay SDK's verification refuses too; the
    # properly signed ones it accepts, and keepsim must refuse them for what they say.
    for what, (params, properly_signed) in cases.items():
        assert sdk_verifies(params, alipay_key) == properly_signed, what

    customer.refused_without_change(
        order["id"],
        cases,
        send=lambda params, _properly_signed: keepsim.post_alipay(params),
        answered_success=lambda r: r.text.strip() == "success",
    )

    keepsim.settle()
    customer.assert_untouched(order["id"], "after all tampered notifies")

    # The genuine notify still works afterwards.
    assert_success(keepsim.post_alipay(good))
    customer.wait_for_status(order["id"], "fulfilled")
    assert len(customer.bundles_for(order["id"])) == 1
