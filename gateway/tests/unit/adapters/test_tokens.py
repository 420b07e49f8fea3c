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


class CountingKeys(StaticKeySource):
    """A fixed key set that counts the verifications that asked it for a key (cache misses)."""

    def __init__(self, keys: dict[str, Any]) -> None:
        super().__init__(keys)
        self.lookups = 0

    async def key_for(self, kid: str) -> Any:
        self.lookups += 1
        return await super().key_for(kid)


def counting_verifier(keys: CountingKeys, *, cache_size: int = 50_000) -> AccessTokenVerifier:
    return AccessTokenVerifier(
        issuer=ISSUER, audience=AUDIENCE, algorithms=["RS256"], keys=keys, cache_size=cache_size
    )


async def test_a_token_past_its_exp_is_never_served_from_the_cache() -> None:
    # Expired 10 s ago: inside the 30 s leeway, so the signature check still accepts it, but each
    # request must check it again rather than be answered from the cache.
    keys = CountingKeys({KID: KEY.public_key()})
    verifier = counting_verifier(keys)
    token = signed(claims(exp=int(time.time()) - 10, iat=int(time.time()) - 600))
    for _ in range(3):
        await verifier.verify(token)
    assert keys.lookups == 3
    assert verifier.cached(token) is None


async def test_a_cached_token_is_checked_again_when_its_key_is_replaced() -> None:
    keys = CountingKeys({KID: KEY.public_key()})
    verifier = counting_verifier(keys)
    token = signed()
    await verifier.verify(token)
    keys._keys[KID] = OTHER_KEY.public_key()  # rotated under the same kid
    assert verifier.cached(token) is None
    with pytest.raises(UnauthorizedError):
        await verifier.verify(token)


async def test_a_credential_remembered_as_its_header_is_found_by_the_header_only() -> None:
    keys = CountingKeys({KID: KEY.public_key()})
    verifier = counting_verifier(keys)
    token = signed()
    header = f"Bearer {token}".encode()
    principal = await verifier.verify(token, remember_as=header)
    assert verifier.cached(header) == principal
    assert verifier.cached(token) is None
    assert verifier.cached(b"Bearer " + token.encode() + b"x") is None


async def test_the_cache_keeps_at_most_its_size_dropping_the_oldest() -> None:
    keys = CountingKeys({KID: KEY.public_key()})
    verifier = counting_verifier(keys, cache_size=2)
    tokens = [signed(claims(sub=f"user-{n}")) for n in range(3)]
    for token in tokens:
        await verifier.verify(token)
    assert verifier.cached(tokens[0]) is None
    assert [verifier.cached(t).subject for t in tokens[1:]] == ["user-1", "user-2"]  # type: ignore[union-attr]
