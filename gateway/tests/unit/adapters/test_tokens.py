"""The access-token matrix (issue 7, point 1): every forged, stale or foreign token is a 401."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from onematter_gateway.adapters.keys import StaticKeySource
from onematter_gateway.adapters.tokens import AccessTokenVerifier
from onematter_kit.errors import UnauthorizedError
from onematter_kit.identity import Role

ISSUER, AUDIENCE, KID = "https://idp.example.gov.cn/realms/onematter", "onematter", "key-1"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = KEY.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
)


def verifier() -> AccessTokenVerifier:
    return AccessTokenVerifier(
        issuer=ISSUER, audience=AUDIENCE, algorithms=["RS256"], keys=StaticKeySource({KID: KEY.public_key()})
    )


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "sub": "zhangsan",
        "roles": ["applicant"],
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    }
    return {k: v for k, v in {**base, **overrides}.items() if v is not None}


def signed(
    payload: dict[str, Any] | None = None,
    *,
    key: Any = KEY,
    algorithm: str = "RS256",
    headers: dict[str, Any] | None = None,
) -> str:
    return jwt.encode(payload or claims(), key, algorithm=algorithm, headers={"kid": KID, **(headers or {})})


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def unsigned_none() -> str:
    return f"{b64({'alg': 'none', 'typ': 'JWT', 'kid': KID})}.{b64(claims())}."


def hs256_with_public_key() -> str:
    # The classic confusion attack: the RS public key (known to all) used as an HMAC secret.
    header, payload = b64({"alg": "HS256", "typ": "JWT", "kid": KID}), b64(claims())
    import hashlib
    import hmac

    signature = hmac.new(PUBLIC_PEM, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def tampered() -> str:
    header, _, signature = signed().split(".")
    return f"{header}.{b64(claims(roles=['admin']))}.{signature}"


def with_crit() -> str:
    return signed(headers={"crit": ["exp-ext"], "exp-ext": True})


BAD_TOKENS = {
    "alg none": unsigned_none,
    "HS256 signed with the RS public key": hs256_with_public_key,
    "unknown kid": lambda: signed(headers={"kid": "key-2"}),
    "injected kid (path traversal)": lambda: signed(headers={"kid": "../../../dev/null"}),
    "kid naming a key URL (jku)": lambda: signed(headers={"jku": "https://evil.example/jwks.json"}),
    "embedded jwk": lambda: signed(key=OTHER_KEY, headers={"jwk": {"kty": "RSA"}}),
    "signed by another key": lambda: signed(key=OTHER_KEY),
    "expired": lambda: signed(claims(exp=int(time.time()) - 120, iat=int(time.time()) - 900)),
    "not yet valid": lambda: signed(claims(nbf=int(time.time()) + 600)),
    "wrong issuer": lambda: signed(claims(iss="https://evil.example/realms/onematter")),
    "issuer is a prefix of ours": lambda: signed(claims(iss=ISSUER[:-4])),
    "issuer has ours as a prefix": lambda: signed(claims(iss=ISSUER + "-evil")),
    "issuer is a substring of ours": lambda: signed(claims(iss="idp.example.gov.cn")),
    "issuer as a list containing ours": lambda: jwt.PyJWS().encode(
        json.dumps(claims(iss=[ISSUER])).encode(), KEY, algorithm="RS256", headers={"kid": KID}
    ),
    "wrong audience": lambda: signed(claims(aud="another-app")),
    "no expiry": lambda: signed(claims(exp=None)),
    "no subject": lambda: signed(claims(sub=None)),
    "unknown crit extension": with_crit,
    "tampered payload": tampered,
    "not a JWT": lambda: "not-a-token",
}


@pytest.mark.parametrize("make_token", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
async def test_a_bad_token_is_refused_as_unauthorized(make_token) -> None:
    with pytest.raises(UnauthorizedError):
        await verifier().verify(make_token())


async def test_a_valid_token_yields_its_principal() -> None:
    principal = await verifier().verify(signed())
    assert principal.subject == "zhangsan" and principal.roles == {Role.applicant}


async def test_a_verified_token_is_served_from_the_cache_until_it_expires() -> None:
    class CountingKeys(StaticKeySource):
        lookups = 0

        async def key_for(self, kid: str) -> Any:
            CountingKeys.lookups += 1
            return await super().key_for(kid)

    cached = AccessTokenVerifier(
        issuer=ISSUER, audience=AUDIENCE, algorithms=["RS256"], keys=CountingKeys({KID: KEY.public_key()})
    )
    token = signed()
    for _ in range(3):
        await cached.verify(token)
    assert CountingKeys.lookups == 1
