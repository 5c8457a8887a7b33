"""Card webhooks built and signed by the official `stripe` Python SDK.

The `Stripe-Signature` header comes from the SDK's own
`stripe.WebhookSignature.generate_signature_header` (Stripe's helper "for
signing payloads in unit tests": `t=…,v1=HMAC-SHA256(secret, "{t}.{payload}")`),
and before anything is posted the SDK's `stripe.Webhook.construct_event`
must accept it with the same secret: keepsim is checked against what Stripe
itself makes and accepts.
"""

from __future__ import annotations

import json
import secrets
import time

import pytest
import stripe

PACKAGE = "JP-5GB-7D"


@pytest.fixture
def webhook_secret(keepsim) -> str:
    secret = keepsim.secrets["card_webhook_secret"]
    assert secret.startswith("whsec_")
    return secret


def payment_intent_succeeded(order: dict, amount: int | None = None) -> dict:
    """A `payment_intent.succeeded` event for a keepsim card order, as Stripe sends it."""
    amount = order["amount_minor"] if amount is None else amount
    now = int(time.time())
    return {
        "id": "evt_" + secrets.token_hex(12),
        "object": "event",
        "api_version": "2024-06-20",
        "created": now,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": "payment_intent.succeeded",
        "data": {
            "object": {
                "id": order["payment"]["provider_ref"],
                "object": "payment_intent",
                "amount": amount,
                "amount_received": amount,
                "currency": order["currency"].lower(),
                "created": now - 30,
                "livemode": False,
                "metadata": {"order_id": order["id"]},
                "status": "succeeded",
            }
        },
    }


def sign(payload: str, secret: str, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header, made by the stripe SDK."""
    return stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)


def stripe_accepts(payload: str, header: str, secret: str) -> bool:
    """Whether the stripe SDK's own webhook verification accepts this delivery."""
    try:
        stripe.Webhook.construct_event(payload, header, secret)
    except stripe.SignatureVerificationError:
        return False
    return True


def signed_event(order: dict, secret: str, **kw) -> tuple[str, str]:
    """A `payment_intent.succeeded` payload and its header, checked with the SDK first."""
    payload = json.dumps(payment_intent_succeeded(order, **kw))
    header = sign(payload, secret)
    event = stripe.Webhook.construct_event(payload, header, secret)
    assert event.type == "payment_intent.succeeded"
    assert event.data.object.metadata["order_id"] == order["id"]
    return payload, header


def test_card_order_exposes_a_payment_intent(customer):
    order = customer.order("card", "USD", PACKAGE)
    assert order["payment"]["provider_ref"].startswith("pi_"), order
    assert order["payment"]["client_secret"], order


def test_card_event_signed_with_stripe_sdk_credits_the_order(keepsim, customer, webhook_secret):
    order = customer.order("card", "USD", PACKAGE)
    payload, header = signed_event(order, webhook_secret)

    r = keepsim.post_card(payload, header)

    assert r.status_code == 200, r.text
    customer.wait_for_status(order["id"], "fulfilled")
    assert len(customer.bundles_for(order["id"])) == 1


def test_card_event_replayed_twenty_times_credits_once(keepsim, customer, webhook_secret):
    order = customer.order("card", "EUR", PACKAGE)
    payload, header = signed_event(order, webhook_secret)
    assert keepsim.post_card(payload, header).status_code == 200
    customer.wait_for_status(order["id"], "fulfilled")

    for i in range(20):
        r = keepsim.post_card(payload, header)
        assert r.status_code == 200, f"replay {i + 1}: {r.status_code} {r.text}"

    keepsim.settle()
    assert customer.order_status(order["id"]) == "fulfilled"
    assert len(customer.bundles_for(order["id"])) == 1
    assert len(customer.bundles()) == 1


def test_card_event_delivered_twenty_times_at_once_credits_once(keepsim, customer, webhook_secret):
    order = customer.order("card", "HKD", PACKAGE)
    payload, header = signed_event(order, webhook_secret)

    answers = keepsim.concurrently(lambda: keepsim.post_card(payload, header), 20)

    assert [r.status_code for r in answers] == [200] * 20, [r.text for r in answers if r.status_code != 200]
    customer.wait_for_status(order["id"], "fulfilled")
    keepsim.settle()
    assert len(customer.bundles_for(order["id"])) == 1


def test_card_tampered_events_are_refused_and_change_nothing(keepsim, customer, webhook_secret):
    # The first order is paid normally; the second one receives the tampered events.
    paid = customer.order("card", "USD", PACKAGE)
    payload, header = signed_event(paid, webhook_secret)
    assert keepsim.post_card(payload, header).status_code == 200
    customer.wait_for_status(paid["id"], "fulfilled")

    order = customer.order("card", "USD", "TH-5GB-8D")
    amount = order["amount_minor"]
    good_payload, good_header = signed_event(order, webhook_secret)
    other_secret = "whsec_" + secrets.token_urlsafe(24)
    wrong_amount_payload = json.dumps(payment_intent_succeeded(order, amount=amount - 1))

    assert f'"amount": {amount},' in good_payload and f'"amount_received": {amount},' in good_payload
    cases = {
        "amount changed after signing": (
            good_payload.replace(f'"amount": {amount},', f'"amount": {amount * 10},').replace(
                f'"amount_received": {amount},', f'"amount_received": {amount * 10},'
            ),
            good_header,
        ),
        "body changed after signing (another event id)": (
            good_payload.replace('"id": "evt_', '"id": "evt_x', 1),
            good_header,
        ),
        "body re-serialized after signing (same JSON, other bytes)": (
            json.dumps(json.loads(good_payload), separators=(",", ":")),
            good_header,
        ),
        "signed with another webhook secret": (good_payload, sign(good_payload, other_secret)),
        # Signed at the moment of sending, so that the time the other cases take does not count.
        "timestamp 301 s old": lambda: (good_payload, sign(good_payload, webhook_secret, int(time.time()) - 301)),
        "timestamp over 300 s in the future": lambda: (
            # +302: the clock is read in whole seconds and the request takes a moment too.
            good_payload,
            sign(good_payload, webhook_secret, int(time.time()) + 302),
        ),
        "signature mangled": (good_payload, good_header[:-2] + ("00" if not good_header.endswith("00") else "11")),
        "header without v1": (good_payload, f"t={int(time.time())}"),
        "no Stripe-Signature header": (good_payload, None),
        "properly signed, amount not the order's": (wrong_amount_payload, sign(wrong_amount_payload, webhook_secret)),
    }
    # The forgeries are ones Stripe's own library refuses too; the SDK accepts only
    # the properly signed wrong amount (wrong in meaning, not in authenticity) and
    # the future timestamp (it checks only the past; keepsim's 300 s go both ways).
    sdk_may_accept = {"properly signed, amount not the order's", "timestamp over 300 s in the future"}
    for what, case in cases.items():
        p, h = case() if callable(case) else case
        if what not in sdk_may_accept:
            assert not (h and stripe_accepts(p, h, webhook_secret)), f"{what}: the stripe SDK accepts it"

    customer.refused_without_change(order["id"], cases, send=keepsim.post_card)

    keepsim.settle()
    customer.assert_untouched(order["id"], "after all tampered events")

    # The genuine event still works afterwards.
    assert keepsim.post_card(good_payload, good_header).status_code == 200
    customer.wait_for_status(order["id"], "fulfilled")
    assert len(customer.bundles_for(order["id"])) == 1
    assert len(customer.bundles()) == 2
