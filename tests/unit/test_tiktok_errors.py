from __future__ import annotations

import pytest

from daemon.connectors.tiktok.errors import (
    TikTokAuthError,
    TikTokBusinessError,
    TikTokFatalError,
    TikTokRetriableError,
    TokenExpiredError,
    classify,
)
from daemon.connectors.transport import worth_retrying
from daemon.errors import AuthError, FatalError, RetriableError, SkippableError


@pytest.mark.parametrize(
    ("status", "code", "message", "expected"),
    [
        (401, 105002, "Expired credentials.", TokenExpiredError),
        (401, 105005, "Access denied.", TikTokAuthError),
        (401, 101000, "Invalid query or header.", TikTokAuthError),
        (200, 36004004, "Invalid auth code.", TikTokAuthError),
        (200, 36004005, "can not find related auth record", TikTokAuthError),
        (429, 36009002, "Too many requests.", TikTokRetriableError),
        (200, 36009002, "Too many requests.", TikTokRetriableError),
        (500, 36009003, "Internal error.", TikTokRetriableError),
        (504, 36009007, "Request timeout.", TikTokRetriableError),
        (401, 106001, "Invalid credentials. The `sign` query parameter is invalid.", FatalError),
        (400, 106013, "Missing identifier.", FatalError),
        (404, 36009009, "Invalid path.", FatalError),
        (405, 36009010, "Invalid method.", FatalError),
        (404, 36009014, "Invalid API version.", FatalError),
        (400, 36009022, "Invalid request format.", FatalError),
        (400, 36009023, "must be multipart", FatalError),
        (403, 36009033, "IP not allowed", FatalError),
        (200, 12052038, "Product price locked due to ongoing promotion.", TikTokBusinessError),
        (200, 25001021, "cancel reason invalid", TikTokBusinessError),
    ],
)
def test_codes_map_to_the_error_tree(status, code, message, expected):
    error = classify(status, code, message, request_id="2022ABC")
    assert type(error) is expected or (expected is FatalError and type(error) is TikTokFatalError)
    assert getattr(error, "code", None) == code


def test_auth_errors_are_fatal_and_business_errors_skippable():
    assert isinstance(classify(401, 105005, "x"), AuthError)
    assert isinstance(classify(401, 105005, "x"), FatalError)
    assert isinstance(classify(401, 105002, "x"), AuthError)
    assert isinstance(classify(200, 12052038, "x"), SkippableError)
    assert isinstance(classify(429, 36009002, "x"), RetriableError)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Invalid timestamp. The request timestamp is more than 5 minutes old.", FatalError),
        ("Invalid credentials. The `x-tts-access-token` header is invalid.", AuthError),
        ("Invalid credentials. The `app_key` query parameter is invalid.", AuthError),
        ("Unexpected identifier. shop_cipher is not expected.", FatalError),
        ("invalid param error: page_size must be between 1 and 100", FatalError),
    ],
)
def test_the_overloaded_gateway_code_is_told_apart_by_message(message, expected):
    error = classify(401, 36009004, message)
    assert isinstance(error, expected)
    assert not isinstance(error, RetriableError)


def test_no_prefix_shortcut_codes_are_classified_one_by_one():
    # ECOMPHP treats every 105*/360* code as a token problem; a rate limit is not one.
    assert not isinstance(classify(429, 36009002, "x"), AuthError)
    assert not isinstance(classify(500, 36009003, "x"), AuthError)
    assert not isinstance(classify(200, 36009004, "invalid param error"), AuthError)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (429, RetriableError),
        (503, RetriableError),
        (502, RetriableError),
        (401, AuthError),
        (403, AuthError),
        (400, FatalError),
        (404, FatalError),
    ],
)
def test_bodies_without_an_envelope_fall_back_to_the_status(status, expected):
    error = classify(status, None, "<html>gateway</html>")
    assert isinstance(error, expected)


def test_unknown_code_on_an_error_status_uses_the_status():
    assert isinstance(classify(503, 99999999, "overloaded"), RetriableError)
    assert isinstance(classify(400, 99999999, "bad"), FatalError)
    assert not isinstance(classify(400, 99999999, "bad"), SkippableError)


def test_retry_after_is_carried_over():
    error = classify(429, 36009002, "slow down", headers={"Retry-After": "3"})
    assert isinstance(error, TikTokRetriableError)
    assert error.retry_after == 3.0
    assert error.throttled


def test_messages_name_code_message_and_request_id():
    error = classify(200, 12052038, "price locked", request_id="202203070749000101890810281E8C70B7")
    text = str(error)
    assert "12052038" in text
    assert "price locked" in text
    assert "202203070749000101890810281E8C70B7" in text


@pytest.mark.parametrize(
    ("status", "code", "idempotent", "expected"),
    [
        (429, 36009002, False, True),  # throttled: never acted on
        (503, None, False, True),  # overload: never acted on
        (500, 36009003, True, True),
        (500, 36009003, False, False),  # may have taken effect: only idempotent calls repeat
        (504, 36009007, False, False),
        (200, 21011044, True, False),  # on hold: retry later, not within the call
    ],
)
def test_worth_retrying(status, code, idempotent, expected):
    error = classify(status, code, "x")
    assert worth_retrying(error, idempotent=idempotent) is expected


def test_timeouts_repeat_only_for_idempotent_calls():
    timeout = TikTokRetriableError("timed out")
    assert worth_retrying(timeout, idempotent=True)
    assert not worth_retrying(timeout, idempotent=False)
    assert not worth_retrying(TikTokFatalError("bad"), idempotent=True)
    assert not worth_retrying(ValueError("bug"), idempotent=True)


def test_calls_that_never_reached_the_server_repeat_even_with_side_effects():
    refused = TikTokRetriableError("cannot connect", reached_server=False)
    assert worth_retrying(refused, idempotent=False)
