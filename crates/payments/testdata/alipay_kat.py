#!/usr/bin/env python3
"""Known-answer values for keepsim's Alipay RSA2 signing, from Alipay's official SDK.

Re-run with:

    python3 -m venv /tmp/alipay-venv
    /tmp/alipay-venv/bin/pip install alipay-sdk-python   # produced with 3.7.1411
    /tmp/alipay-venv/bin/python crates/payments/testdata/alipay_kat.py

and compare with the constants in `src/alipay.rs`
(`signature_is_byte_identical_to_the_official_sdk`,
`notify_signed_by_the_official_sdk_verifies`). The key is the committed
test-only key `keys_test_rsa_pkcs1.pem`.
"""
import os

from alipay.aop.api.util.SignatureUtils import get_sign_content, sign_with_rsa2, verify_with_rsa

HERE = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(HERE, "keys_test_rsa_pkcs1.pem")) as f:
    private_key = f.read()
with open(os.path.join(HERE, "keys_test_rsa_spki.pub")) as f:
    public_key = f.read()

# A request, as keepsim builds it (every non-empty parameter except `sign`).
request = {
    "app_id": "2021000000000001",
    "method": "alipay.trade.precreate",
    "format": "JSON",
    "charset": "utf-8",
    "sign_type": "RSA2",
    "timestamp": "2024-05-01 12:30:45",
    "version": "1.0",
    "notify_url": "https://keepsim.example/webhooks/alipay?x=1&y=2",
    "biz_content": '{"out_trade_no":"ks_20240501_0001","subject":"keepsim 日本 5GB 7天 eSIM","total_amount":"12.50"}',
}
content = get_sign_content(request)
sign = sign_with_rsa2(private_key, content, "utf-8")
print("REQUEST_SIGN_CONTENT =", repr(content))
print("REQUEST_SIGN =", repr(sign))

# An async notify (signed over everything except `sign` and `sign_type`).
notify = {
    "notify_time": "2024-05-01 12:31:02",
    "notify_type": "trade_status_sync",
    "notify_id": "2024050100222123102012345678901234",
    "app_id": "2021000000000001",
    "charset": "utf-8",
    "version": "1.0",
    "trade_no": "2024050122001412345678901234",
    "out_trade_no": "ks_20240501_0001",
    "trade_status": "TRADE_SUCCESS",
    "total_amount": "12.50",
    "receipt_amount": "12.50",
    "subject": "keepsim 日本 5GB 7天 eSIM",
    "gmt_payment": "2024-05-01 12:31:01",
}
notify_content = get_sign_content(notify)
notify_sign = sign_with_rsa2(private_key, notify_content, "utf-8")
assert verify_with_rsa(public_key, notify_content.encode("utf-8"), notify_sign)
print("NOTIFY_SIGN_CONTENT =", repr(notify_content))
print("NOTIFY_SIGN =", repr(notify_sign))
