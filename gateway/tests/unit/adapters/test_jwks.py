"""The external issuer's keys come only from the configured JWKS URL, cached, refetched sparingly."""

from __future__ import annotations

import json
import time

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from onematter_gateway.adapters.keys import JwksKeySource
from onematter_gateway.adapters.tokens import AccessTokenVerifier
from onematter_kit.errors import UnauthorizedError

JWKS_URL = "https://idp.example.gov.cn/realms/onematter/protocol/openid-connect/certs"
ISSUER = "https://idp.example.gov.cn/realms/onematter"


class FakeIssuer:
    """A JWKS endpoint whose keys can rotate; records every URL the gateway fetched."""

    def __init__(self) -> None:
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.fetched: list[str] = []

    def add_key(self, kid: str) -> rsa.RSAPrivateKey:
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return self.keys[kid]

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.fetched.append(str(request.url))
        if str(request.url) != JWKS_URL:
            return httpx.Response(404)
        jwks = [
            {
                **json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key())),
                "kid": kid,
                "use": "sig",
                "alg": "RS256",
            }
            for kid, key in self.keys.items()
        ]
        return httpx.Response(200, json={"keys": jwks})

    def token(self, kid: str, **headers: object) -> str:
        now = int(time.time())
        claims = {
            "sub": "zhangsan",
            "roles": ["applicant"],
            "iss": ISSUER,
            "aud": "onematter",
            "iat": now,
            "exp": now + 300,
        }
        return jwt.encode(claims, self.keys[kid], algorithm="RS256", headers={"kid": kid, **headers})


def verifier_for(issuer: FakeIssuer, *, min_refresh: float = 30) -> AccessTokenVerifier:
    source = JwksKeySource(
        JWKS_URL,
        algorithms=["RS256"],
        min_refresh_seconds=min_refresh,
        transport=httpx.MockTransport(issuer.handler),
    )
    return AccessTokenVerifier(issuer=ISSUER, audience="onematter", algorithms=["RS256"], keys=source)


async def test_a_token_signed_with_a_key_from_the_jwks_is_accepted() -> None:
    issuer = FakeIssuer()
    issuer.add_key("k1")
    assert (await verifier_for(issuer).verify(issuer.token("k1"))).subject == "zhangsan"
    assert issuer.fetched == [JWKS_URL]


async def test_a_rotated_key_is_picked_up_when_a_token_names_it() -> None:
    issuer = FakeIssuer()
    issuer.add_key("k1")
    verifier = verifier_for(issuer, min_refresh=0)
    await verifier.verify(issuer.token("k1"))
    issuer.add_key("k2")
    assert (await verifier.verify(issuer.token("k2"))).subject == "zhangsan"
    assert len(issuer.fetched) == 2


async def test_unknown_kids_refetch_the_jwks_at_most_once_per_interval() -> None:
    issuer = FakeIssuer()
    issuer.add_key("k1")
    forger = FakeIssuer()
    verifier = verifier_for(issuer, min_refresh=60)
    await verifier.verify(issuer.token("k1"))
    for n in range(5):
        forger.add_key(f"forged-{n}")
        with pytest.raises(UnauthorizedError):
            await verifier.verify(forger.token(f"forged-{n}"))
    assert issuer.fetched == [JWKS_URL]


async def test_a_key_url_named_by_the_token_is_never_fetched() -> None:
    issuer = FakeIssuer()
    issuer.add_key("k1")
    with pytest.raises(UnauthorizedError):
        await verifier_for(issuer).verify(issuer.token("k1", jku="https://evil.example/jwks.json"))
    assert all(url == JWKS_URL for url in issuer.fetched)


async def test_a_cached_token_is_refused_once_its_key_is_withdrawn_from_the_jwks() -> None:
    issuer = FakeIssuer()
    issuer.add_key("k1")
    source = JwksKeySource(
        JWKS_URL,
        algorithms=["RS256"],
        cache_seconds=0,  # every look is past the key set's freshness: the next request refetches
        min_refresh_seconds=0,
        transport=httpx.MockTransport(issuer.handler),
    )
    verifier = AccessTokenVerifier(issuer=ISSUER, audience="onematter", algorithms=["RS256"], keys=source)
    token = issuer.token("k1")
    await verifier.verify(token)
    del issuer.keys["k1"]
    issuer.add_key("k2")
    with pytest.raises(UnauthorizedError):
        await verifier.verify(token)
    assert len(issuer.fetched) == 2


async def test_a_cached_token_does_not_refetch_the_jwks_while_the_keys_are_fresh() -> None:
    issuer = FakeIssuer()
    issuer.add_key("k1")
    verifier = verifier_for(issuer)
    token = issuer.token("k1")
    for _ in range(5):
        assert (await verifier.verify(token)).subject == "zhangsan"
    assert verifier.cached(token) is not None
    assert issuer.fetched == [JWKS_URL]
