#!/usr/bin/env python3
"""Regenerates the WeChat Pay known-answer values used by tests/wechat_known_answers.rs.

Independent of the Rust code: AES-256-GCM from Python's `cryptography`
package, SHA256withRSA from the `openssl` command line. Run from
crates/payments:  python3 testdata/wechat_kat_generate.py
"""
import base64
import json
import subprocess

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

APIV3_KEY = b"keepsimWechatApiV3KeyForTests!!!"  # 32 bytes, test only
assert len(APIV3_KEY) == 32


def sign(key_file: str, message: bytes) -> str:
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key_file], input=message, capture_output=True, check=True).stdout
    return base64.b64encode(sig).decode()


# 1. AES-256-GCM of a fixed resource.
nonce = "46fd0ef9bc74"
aad = "transaction"
plaintext = b'{"mchid":"1900000001","out_trade_no":"ks20240520000001","amount":{"total":1250,"currency":"CNY"}}'
ct = base64.b64encode(AESGCM(APIV3_KEY).encrypt(nonce.encode(), plaintext, aad.encode())).decode()
print("AES-GCM ciphertext:", ct)

# 2. A request signature with the merchant test key.
req = b"GET\n/v3/pay/transactions/out-trade-no/ks20240520000001?mchid=1900000001\n1716182975\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\n\n"
print("request signature:", sign("testdata/keys_test_rsa_pkcs8.pem", req))

# 3. A whole TRANSACTION.SUCCESS notification signed with the "platform" test key.
tx = {
    "mchid": "1900000001",
    "appid": "wxd678efh567hg6787",
    "out_trade_no": "ks20240520000001",
    "transaction_id": "4200002024052012345678901234",
    "trade_type": "NATIVE",
    "trade_state": "SUCCESS",
    "trade_state_desc": "支付成功",
    "bank_type": "OTHERS",
    "attach": "",
    "success_time": "2024-05-20T13:29:35+08:00",
    "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
    "amount": {"total": 1250, "payer_total": 1250, "currency": "CNY", "payer_currency": "CNY"},
}
res_nonce = "fdasflkja484"
res_ct = base64.b64encode(AESGCM(APIV3_KEY).encrypt(res_nonce.encode(), json.dumps(tx, ensure_ascii=False, separators=(",", ":")).encode(), b"transaction")).decode()
envelope = {
    "id": "EV-2024052013293500001",
    "create_time": "2024-05-20T13:29:35+08:00",
    "resource_type": "encrypt-resource",
    "event_type": "TRANSACTION.SUCCESS",
    "summary": "支付成功",
    "resource": {
        "original_type": "transaction",
        "algorithm": "AEAD_AES_256_GCM",
        "ciphertext": res_ct,
        "associated_data": "transaction",
        "nonce": res_nonce,
    },
}
body = json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()
with open("testdata/wechat_kat_notification.json", "wb") as f:
    f.write(body)
ts, hnonce = "1716182975", "593BEC0C930BF1AFEB40B4A08C8FB242"
print("notification signature:", sign("testdata/keys_test_rsa2_pkcs8.pem", f"{ts}\n{hnonce}\n".encode() + body + b"\n"))
