"""WeChat Pay API v3 payment notifications built with `wechatpayv3` (PyPI).

The envelope's headers are signed with the SDK's `wechatpayv3.utils.rsa_sign`
(SHA256withRSA over `"{ts}\\n{nonce}\\n{body}\\n"`) using the key the sandbox
"WeChat Pay" signs with, `<data dir>/sandbox/wechat_platform.pem`, loaded by
the SDK's `load_private_key`; `Wechatpay-Serial` is its key id. The SDK has no
AES-GCM encrypt (merchants only decrypt), so the resource is sealed with
`cryptography`'s AESGCM, exactly as WeChat Pay does: APIv3 key, 12-character
nonce, associated data "transaction", base64 of ciphertext‖tag.

Before keepsim sees a genuine notification, the SDK must take it as a merchant
would: `WeChatPay(...).callback(headers, body)` in public-key mode (the
platform key id and public key) verifies the signature and decrypts the
resource, and `wechatpayv3.utils.rsa_verify` / `aes_decrypt` agree.
"""

from __future__ import annotations

import json
import secrets
import string
import time
import uuid
from base64 import b64encode
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa as crypto_rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from wechatpayv3 import WeChatPay, WeChatPayType
from wechatpayv3.utils import aes_decrypt, load_private_key, load_public_key, rsa_sign, rsa_verify

PACKAGE = "JP-5GB-7D"
BEIJING = timezone(timedelta(hours=8))
SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"


def nonce(n: int) -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(n))


def rfc3339_beijing(t: float) -> str:
    return datetime.fromtimestamp(t, BEIJING).isoformat(timespec="seconds")


class Merchant:
    """What the test knows: the sandbox's WeChat Pay settings and keys."""

    def __init__(self, keepsim):
        s = keepsim.secrets
        self.mchid = s["wechat_mchid"]
        self.appid = s["wechat_appid"]
        self.apiv3_key = s["wechat_apiv3_key"]
        assert len(self.apiv3_key) == 32
        self.key_id = s["wechat_platform_key_id"]
        platform_pem = keepsim.pem("wechat_platform.pem")
        self.platform_key = load_private_key(platform_pem)  # the SDK's loader
        public_pem = self.platform_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()
        self.platform_public_key = load_public_key(public_pem)
        # The SDK as keepsim's merchant side would use it (public-key mode: no certificate download).
        self.sdk = WeChatPay(
            wechatpay_type=WeChatPayType.NATIVE,
            mchid=self.mchid,
            private_key=keepsim.pem("wechat_merchant.pem"),
            cert_serial_no=s["wechat_merchant_serial"],
            appid=self.appid,
            apiv3_key=self.apiv3_key,
            notify_url=keepsim.url("/webhooks/wechatpay"),
            public_key=public_pem,
            public_key_id=self.key_id,
        )


@pytest.fixture(scope="module")
def merchant(keepsim) -> Merchant:
    return Merchant(keepsim)


def transaction(order: dict, m: Merchant, *, total: int | None = None, mchid: str | None = None,
                appid: str | None = None, trade_state: str = "SUCCESS") -> dict:
    """The decrypted `transaction` resource of a notification."""
    total = order["amount_minor"] if total is None else total
    tx = {
        "mchid": mchid or m.mchid,
        "appid": appid or m.appid,
        "out_trade_no": order["payment"]["out_trade_no"],
        "transaction_id": "4200" + "".join(secrets.choice(string.digits) for _ in range(24)),
        "trade_type": "NATIVE",
        "trade_state": trade_state,
        "trade_state_desc": "支付成功" if trade_state == "SUCCESS" else "订单未支付",
        "bank_type": "OTHERS",
        "attach": "",
        "payer": {"openid": "o" + nonce(27)},
        "amount": {"total": total, "payer_total": total, "currency": "CNY", "payer_currency": "CNY"},
    }
    if trade_state == "SUCCESS":
        tx["success_time"] = rfc3339_beijing(time.time() - 3)
    return tx


def encrypt(resource: dict, key: str, resource_nonce: str, associated_data: str = "transaction") -> str:
    """AEAD_AES_256_GCM as WeChat Pay seals a resource: base64(ciphertext ‖ 16-byte tag)."""
    plaintext = json.dumps(resource, ensure_ascii=False).encode("utf-8")
    aead = AESGCM(key.encode("utf-8"))
    sealed = aead.encrypt(resource_nonce.encode("utf-8"), plaintext, associated_data.encode("utf-8"))
    return b64encode(sealed).decode("ascii")


def envelope(resource: dict, m: Merchant, *, apiv3_key: str | None = None, encrypted_with: str = "transaction",
             stated_associated_data: str | None = None) -> str:
    """The notification body: the envelope around the encrypted resource."""
    resource_nonce = nonce(12)
    body = {
        "id": str(uuid.uuid4()),
        "create_time": rfc3339_beijing(time.time()),
        "resource_type": "encrypt-resource",
        "event_type": "TRANSACTION.SUCCESS",
        "summary": "支付成功",
        "resource": {
            "original_type": "transaction",
            "algorithm": "AEAD_AES_256_GCM",
            "ciphertext": encrypt(resource, apiv3_key or m.apiv3_key, resource_nonce, encrypted_with),
            "associated_data": encrypted_with if stated_associated_data is None else stated_associated_data,
            "nonce": resource_nonce,
        },
    }
    return json.dumps(body, ensure_ascii=False)


def sign(body: str, m: Merchant, *, key=None, timestamp: int | None = None, serial: str | None = None) -> dict:
    """The `Wechatpay-*` headers of a notification, signed with the SDK's `rsa_sign`."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    header_nonce = nonce(32)
    signature = rsa_sign(key or m.platform_key, f"{ts}\n{header_nonce}\n{body}\n")
    return {
        "Wechatpay-Timestamp": ts,
        "Wechatpay-Nonce": header_nonce,
        "Wechatpay-Signature": signature,
        "Wechatpay-Serial": serial or m.key_id,
        "Wechatpay-Signature-Type": SIGNATURE_TYPE,
    }


def sdk_verifies(body: str, headers: dict, m: Merchant) -> bool:
    """Whether the SDK's `rsa_verify` accepts the signature with WeChat Pay's public key."""
    return rsa_verify(
        headers["Wechatpay-Timestamp"], headers["Wechatpay-Nonce"], body, headers["Wechatpay-Signature"],
        m.platform_public_key,
    )


def sdk_decrypts(body: str, m: Merchant) -> dict | None:
    r = json.loads(body)["resource"]
    plain = aes_decrypt(nonce=r["nonce"], ciphertext=r["ciphertext"], associated_data=r["associated_data"],
                        apiv3_key=m.apiv3_key)
    return None if plain is None else json.loads(plain)


def signed_notification(order: dict, m: Merchant, **kw) -> tuple[str, dict]:
    """A genuine notification, which the SDK's merchant-side `callback` accepts and decrypts."""
    resource = transaction(order, m, **kw)
    body = envelope(resource, m)
    headers = sign(body, m)
    assert sdk_verifies(body, headers, m)
    assert sdk_decrypts(body, m) == resource
    handled = m.sdk.callback(headers, body)
    assert handled is not None, "wechatpayv3's callback() refuses the notification"
    assert handled["resource"] == resource and handled["event_type"] == "TRANSACTION.SUCCESS"
    return body, headers


def test_wechat_order_exposes_out_trade_no_and_code_url(customer):
    order = customer.order("wechat", "CNY", PACKAGE)
    assert order["payment"]["out_trade_no"] and order["payment"]["code_url"], order


def test_wechatpay_notification_built_with_wechatpayv3_credits_the_order(keepsim, customer, merchant):
    order = customer.order("wechat", "CNY", PACKAGE)
    body, headers = signed_notification(order, merchant)

    r = keepsim.post_wechatpay(body, headers)

    assert r.status_code == 204, r.text
    customer.wait_for_status(order["id"], "fulfilled")
    assert len(customer.bundles_for(order["id"])) == 1


def test_wechatpay_notification_replayed_twenty_times_credits_once(keepsim, customer, merchant):
    order = customer.order("wechat", "CNY", PACKAGE)
    body, headers = signed_notification(order, merchant)
    assert keepsim.post_wechatpay(body, headers).status_code == 204
    customer.wait_for_status(order["id"], "fulfilled")

    for i in range(20):
        r = keepsim.post_wechatpay(body, headers)
        assert r.status_code == 204, f"replay {i + 1}: {r.status_code} {r.text}"

    keepsim.settle()
    assert customer.order_status(order["id"]) == "fulfilled"
    assert len(customer.bundles_for(order["id"])) == 1
    assert len(customer.bundles()) == 1


def test_wechatpay_notification_delivered_twenty_times_at_once_credits_once(keepsim, customer, merchant):
    order = customer.order("wechat", "CNY", "TH-5GB-8D")
    body, headers = signed_notification(order, merchant)

    answers = keepsim.concurrently(lambda: keepsim.post_wechatpay(body, headers), 20)

    assert [r.status_code for r in answers] == [204] * 20, [r.text for r in answers if r.status_code != 204]
    customer.wait_for_status(order["id"], "fulfilled")
    keepsim.settle()
    assert len(customer.bundles_for(order["id"])) == 1


def test_wechatpay_notpay_notification_is_acknowledged_and_credits_nothing(keepsim, customer, merchant):
    order = customer.order("wechat", "CNY", "TH-5GB-8D")
    body = envelope(transaction(order, merchant, trade_state="NOTPAY"), merchant)
    headers = sign(body, merchant)
    assert merchant.sdk.callback(headers, body) is not None

    r = keepsim.post_wechatpay(body, headers)

    assert r.status_code == 204, r.text
    keepsim.settle()
    customer.assert_untouched(order["id"], "NOTPAY")
    # The payment that follows is credited as usual.
    assert keepsim.post_wechatpay(*signed_notification(order, merchant)).status_code == 204
    customer.wait_for_status(order["id"], "fulfilled")


def test_wechatpay_tampered_notifications_are_refused_and_change_nothing(keepsim, customer, merchant):
    m = merchant
    order = customer.order("wechat", "CNY", PACKAGE)
    amount = order["amount_minor"]
    good_body, good_headers = signed_notification(order, m)
    other_key = crypto_rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other_mchid = "19" + "".join(secrets.choice(string.digits) for _ in range(8))
    while other_mchid == m.mchid:
        other_mchid = "19" + "".join(secrets.choice(string.digits) for _ in range(8))

    def signed(body: str, **kw) -> tuple[str, dict]:
        return body, sign(body, m, **kw)

    def resealed(**tx_changes) -> str:
        """A fresh envelope around a transaction with some fields changed."""
        return envelope(transaction(order, m, **tx_changes), m)

    changed_body = good_body.replace('"summary": "支付成功"', '"summary": "支付成功 "')
    assert changed_body != good_body
    wrong_ad_body = envelope(transaction(order, m), m, stated_associated_data="certificate")
    other_apiv3_body = envelope(transaction(order, m), m, apiv3_key=nonce(32))
    other_serial = "PUB_KEY_ID_0114000000000000000000000000000000"

    # name → (body, headers, does the SDK accept the signature, does the SDK decrypt the resource)
    cases = {
        "amount.total changed, re-encrypted and re-signed": (*signed(resealed(total=amount + 1)), True, True),
        "body changed after signing": (changed_body, good_headers, False, True),
        "associated_data changed, re-signed": (*signed(wrong_ad_body), True, False),
        "resource sealed with another APIv3 key, re-signed": (*signed(other_apiv3_body), True, False),
        "signed with another RSA key": (*signed(good_body, key=other_key), False, True),
        # Signed at the moment of sending, so that the time the other cases take does not count.
        "timestamp 301 s old, properly signed": lambda: (
            *signed(good_body, timestamp=int(time.time()) - 301), True, True
        ),
        # +302: the clock is read in whole seconds and the request takes a moment too.
        "timestamp over 300 s in the future, properly signed": lambda: (
            *signed(good_body, timestamp=int(time.time()) + 302), True, True
        ),
        "wrong Wechatpay-Serial": (*signed(good_body, serial=other_serial), True, True),
        "another mchid, re-encrypted and re-signed": (*signed(resealed(mchid=other_mchid)), True, True),
        "another appid, re-encrypted and re-signed": (*signed(resealed(appid="wx" + nonce(16).lower())), True, True),
        "signature headers missing": (good_body, {}, False, True),
    }
    # Each forgery is what the SDK says it is: an altered signature or resource is
    # refused by wechatpayv3 too; the rest are genuine and wrong in what they say.
    for what, case in cases.items():
        body, headers, sig_ok, decrypts = case() if callable(case) else case
        assert (bool(headers) and sdk_verifies(body, headers, m)) == sig_ok, what
        assert (sdk_decrypts(body, m) is not None) == decrypts, what

    customer.refused_without_change(
        order["id"],
        cases,
        send=lambda body, headers, *_expectations: keepsim.post_wechatpay(body, headers),
    )

    keepsim.settle()
    customer.assert_untouched(order["id"], "after all tampered notifications")

    # The genuine notification still works afterwards.
    assert keepsim.post_wechatpay(good_body, good_headers).status_code == 204
    customer.wait_for_status(order["id"], "fulfilled")
    assert len(customer.bundles_for(order["id"])) == 1
