from __future__ import annotations

import hashlib
import hmac

import pytest

from daemon.connectors.tiktok.signing import (
    body_for_signature,
    sign_request,
    sign_webhook,
    signature_base_string,
    verify_request,
    verify_webhook,
)

# Worked vectors: TikTok's signing guide and the EcomPHP SDK's tests (DOMAIN.md section 11.2).
T1_SECRET = "e59af819cc"
T1_PATH = "/authorization/202309/shops"
T1_QUERY = {"app_key": "29a39d", "timestamp": "1623812664"}
T1_SIGN = "b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8"

T4_PATH = "/event/202309/webhooks"
T4_QUERY = {
    "app_key": "68xu9ks5p4i8",
    "shop_cipher": "ROW_xkMbgAAAeVAQra0eZWebFQq5aIK",
    "timestamp": "1696909648",
}
T4_BODY = b'{"address":"https://partner.tiktokshop.com","event_type":"PACKAGE_UPDATE"}'
T4_SIGN = "cd0d6268252f4ba293bf7ea4c0a2873bf9beec600d22530638564ab301435f7a"

T5_SIGN = "d3cb7fe11ecae942802ceeca67e7cf10120cc12f1517d45fbc1c8cfe5413c80f"


def test_t1_official_worked_example():
    assert sign_request(T1_SECRET, T1_PATH, T1_QUERY, b"") == T1_SIGN


def test_t1_base_string_matches_the_documented_intermediate():
    expected = b"/authorization/202309/shopsapp_key29a39dtimestamp1623812664"
    assert signature_base_string(T1_PATH, T1_QUERY) == expected


def test_t4_body_is_appended_after_the_sorted_parameters():
    expected = (
        b"/event/202309/webhooksapp_key68xu9ks5p4i8shop_cipherROW_xkMbgAAAeVAQra0eZWebFQq5aIK"
        b"timestamp1696909648" + T4_BODY
    )
    assert signature_base_string(T4_PATH, T4_QUERY, T4_BODY) == expected
    assert sign_request(T1_SECRET, T4_PATH, T4_QUERY, T4_BODY) == T4_SIGN


def test_t5_ecomphp_vector():
    assert sign_request("app_secret", "/test-api", {"foo": "bar"}, b"") == T5_SIGN


def test_query_order_does_not_matter():
    reordered = {"timestamp": "1623812664", "app_key": "29a39d"}
    assert sign_request(T1_SECRET, T1_PATH, reordered, b"") == T1_SIGN


@pytest.mark.parametrize("excluded", ["sign", "access_token"])
def test_sign_and_access_token_are_excluded(excluded):
    query = {**T1_QUERY, excluded: "anything-at-all"}
    assert sign_request(T1_SECRET, T1_PATH, query, b"") == T1_SIGN


def test_other_parameters_are_included():
    query = {**T1_QUERY, "shop_cipher": "GCP_x"}
    assert sign_request(T1_SECRET, T1_PATH, query, b"") != T1_SIGN


def test_empty_value_still_contributes_its_key():
    query = {**T1_QUERY, "page_token": ""}
    assert sign_request(T1_SECRET, T1_PATH, query, b"") != T1_SIGN


def test_changed_body_byte_changes_the_signature():
    changed = T4_BODY.replace(b"PACKAGE", b"PACKAGF")
    assert sign_request(T1_SECRET, T4_PATH, T4_QUERY, changed) != T4_SIGN


def test_reserialised_body_changes_the_signature():
    spaced = b'{"address": "https://partner.tiktokshop.com", "event_type": "PACKAGE_UPDATE"}'
    assert sign_request(T1_SECRET, T4_PATH, T4_QUERY, spaced) != T4_SIGN


def test_verify_request_accepts_the_vector_and_rejects_upper_case():
    assert verify_request(T1_SECRET, T1_PATH, T1_QUERY, b"", T1_SIGN)
    assert not verify_request(T1_SECRET, T1_PATH, T1_QUERY, b"", T1_SIGN.upper())
    assert not verify_request(T1_SECRET, T1_PATH, T1_QUERY, b"", T1_SIGN[:-1])
    assert not verify_request("other", T1_PATH, T1_QUERY, b"", T1_SIGN)


def test_verify_request_rejects_a_changed_body():
    assert verify_request(T1_SECRET, T4_PATH, T4_QUERY, T4_BODY, T4_SIGN)
    assert not verify_request(T1_SECRET, T4_PATH, T4_QUERY, T4_BODY + b" ", T4_SIGN)


@pytest.mark.parametrize(
    ("content_type", "signed"),
    [
        ("application/json", b"{}"),
        (None, b"{}"),
        ("multipart/form-data; boundary=abc", b""),
        ("Multipart/Form-Data; boundary=abc", b""),
    ],
)
def test_multipart_bodies_are_not_signed(content_type, signed):
    assert body_for_signature(content_type, b"{}") == signed


def test_webhook_round_trip_and_negatives():
    body = b'{"type":1,"shop_id":"7494049642642441621","data":{"order_id":"1"}}'
    signature = sign_webhook("app-key", "app-secret", body)
    assert len(signature) == 64
    assert signature == signature.lower()
    assert verify_webhook("app-key", "app-secret", body, signature)
    assert not verify_webhook("app-key", "app-secret", body, signature.upper())
    assert not verify_webhook("app-key", "app-secret", body + b" ", signature)
    assert not verify_webhook("other-key", "app-secret", body, signature)
    assert not verify_webhook("app-key", "other-secret", body, signature)
    assert not verify_webhook("app-key", "app-secret", body, "")


def test_webhook_signature_is_hmac_of_key_then_body():
    # Independent recomputation of the webhook formula (DOMAIN.md section 11.2) with the stdlib.
    body = b'{"type":5}'
    expected = hmac.new(b"secret", b"key" + body, hashlib.sha256).hexdigest()
    assert sign_webhook("key", "secret", body) == expected
