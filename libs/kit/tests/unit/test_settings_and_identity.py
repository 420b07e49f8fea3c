import time
from datetime import date

import jwt
import pytest
from onematter_kit.errors import ConfigurationError, UnauthorizedError
from onematter_kit.identity import InternalTokenSigner, InternalTokenVerifier, Principal, Role
from onematter_kit.observability import redact
from onematter_kit.settings import DEVELOPMENT_INTERNAL_SECRET, ServiceSettings
from pydantic import ValidationError

SECRET = "x" * 40


def test_production_refuses_the_development_secret():
    with pytest.raises(ConfigurationError):
        ServiceSettings(environment="production", database_url="postgresql+asyncpg://db/x")


def test_production_refuses_sqlite():
    with pytest.raises(ConfigurationError):
        ServiceSettings(environment="production", internal_token_secret=SECRET)


def test_development_accepts_the_defaults():
    assert ServiceSettings().internal_token_secret == DEVELOPMENT_INTERNAL_SECRET


def test_production_refuses_a_clock_set_as_of_another_instant():
    with pytest.raises(ConfigurationError, match="CLOCK_AS_OF"):
        ServiceSettings(
            environment="production",
            internal_token_secret=SECRET,
            database_url="postgresql+asyncpg://db/x",
            clock_as_of="2026-11-30T20:04:52Z",
        )


def test_development_runs_as_of_an_instant_and_counts_dates_in_china():
    clock = ServiceSettings(clock_as_of="2026-11-30T20:04:52Z").build_clock()
    assert clock.today() == date(2026, 12, 1)


def test_a_clock_instant_without_an_offset_is_refused():
    with pytest.raises(ValidationError):
        ServiceSettings(clock_as_of="2026-11-30T20:04:52")


def _principal() -> Principal:
    return Principal(subject="zhangsan", roles=frozenset({Role.applicant}), applicant_kind="individual")


def test_an_internal_token_round_trips_the_principal():
    token = InternalTokenSigner(SECRET).sign(_principal(), audience="acceptance")
    assert InternalTokenVerifier(SECRET, audience="acceptance").verify(token) == _principal()


def test_a_token_for_another_service_is_refused():
    token = InternalTokenSigner(SECRET).sign(_principal(), audience="material")
    with pytest.raises(UnauthorizedError):
        InternalTokenVerifier(SECRET, audience="acceptance").verify(token)


def test_a_token_signed_with_another_secret_is_refused():
    token = InternalTokenSigner("y" * 40).sign(_principal(), audience="acceptance")
    with pytest.raises(UnauthorizedError):
        InternalTokenVerifier(SECRET, audience="acceptance").verify(token)


def test_an_expired_token_is_refused():
    claims = {
        **_principal().to_claims(),
        "iss": "onematter-gateway",
        "aud": "acceptance",
        "exp": int(time.time()) - 5,
    }
    with pytest.raises(UnauthorizedError):
        InternalTokenVerifier(SECRET, audience="acceptance").verify(
            jwt.encode(claims, SECRET, algorithm="HS256")
        )


def test_a_token_from_a_foreign_issuer_is_refused():
    claims = {
        **_principal().to_claims(),
        "iss": "someone-else",
        "aud": "acceptance",
        "exp": int(time.time()) + 60,
    }
    with pytest.raises(UnauthorizedError):
        InternalTokenVerifier(SECRET, audience="acceptance").verify(
            jwt.encode(claims, SECRET, algorithm="HS256")
        )


def test_no_token_is_refused():
    with pytest.raises(UnauthorizedError):
        InternalTokenVerifier(SECRET, audience="acceptance").verify(None)


def test_logs_never_carry_id_numbers_phones_or_tokens():
    line = "id 11010519491231002X phone 13812345678 Authorization: Bearer abc.def.ghi"
    cleaned = redact(line)
    assert "11010519491231002X" not in cleaned and "13812345678" not in cleaned and "abc.def" not in cleaned
