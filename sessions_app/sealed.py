"""Check-ins saved without signal, sealed in the browser (docs/offline.md).

The browser encrypts the form with a fresh AES-256-GCM key and wraps that key
with the server's RSA-OAEP (SHA-256) public key; the tablet keeps only the
result. This module holds the private keys and opens what arrives:

    {"v": 1, "kid": "<key id>", "key": "<wrapped AES key>", "iv": "<12 bytes>", "data": "<ciphertext>"}

(base64 each), whose plaintext is {"v": 1, "author": <user id>, "captured_at":
"<ISO time>", "fields": [[name, value], ...]}. The key id is also the AES-GCM
additional data, so a ciphertext cannot be moved under another key's id.
"""

import base64
import binascii
import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.translation import gettext as _

# A sealed check-in: the note (10,000 characters, up to 4 bytes each in UTF-8),
# the goals and the other fields, then base64. Anything larger is not one of ours.
SEALED_MAX_BYTES = 128 * 1024
OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


class SealError(Exception):
    """Why a sealed check-in cannot be opened, in words for the answer (never its content)."""


@dataclass(frozen=True)
class OfflineKey:
    kid: str
    private: rsa.RSAPrivateKey
    spki: str  # the public half, base64 DER (SubjectPublicKeyInfo), for the page


def _key_from_pem(pem: bytes) -> OfflineKey:
    private = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(private, rsa.RSAPrivateKey) or private.key_size < 2048:
        raise ValueError("OFFLINE_PRIVATE_KEYS holds RSA keys of 2048 bits or more.")
    der = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    # Derived from the public key: nothing to configure, the same on every server.
    return OfflineKey(kid=hashlib.sha256(der).hexdigest()[:16], private=private, spki=base64.b64encode(der).decode())


def new_private_pem(bits: int = 3072) -> bytes:
    private = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _dev_key_pem(path: Path) -> bytes:
    """Development only: made on first use, so `make run` needs no set-up step."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as file:
        file.write(new_private_pem())
    return path.read_bytes()


@functools.lru_cache(maxsize=8)
def _load(sources: tuple[str, ...]) -> tuple[OfflineKey, ...]:
    pems = [s.encode() if s.lstrip().startswith("-----BEGIN") else Path(s).read_bytes() for s in sources]
    return tuple(_key_from_pem(pem) for pem in pems)


def offline_keys() -> tuple[OfflineKey, ...]:
    """The keys the server opens sealed check-ins with: the first is current (the
    browser seals to it), the rest are still accepted during a rotation."""
    sources = tuple(settings.OFFLINE_PRIVATE_KEYS)
    if not sources and settings.OFFLINE_DEV_KEY_FILE:
        sources = (_dev_key_pem(Path(settings.OFFLINE_DEV_KEY_FILE)).decode(),)
    return _load(sources)


def current_key() -> OfflineKey | None:
    """The key a page hands the browser; None (no offline capture) when none is configured."""
    keys = offline_keys()
    return keys[0] if keys else None


def _b64(envelope: dict, name: str) -> bytes:
    value = envelope.get(name)
    if not isinstance(value, str):
        raise SealError(_("The sealed check-in has no “%(name)s”.") % {"name": name})
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise SealError(_("The sealed check-in's “%(name)s” is not base64.") % {"name": name}) from None


def open_sealed(body: bytes) -> dict:
    """The plaintext of a sealed check-in, checked for shape; SealError if it was
    tampered with, truncated, sealed to a key we do not hold, or is not ours at all."""
    try:
        envelope = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise SealError(_("This is not a sealed check-in.")) from None
    if not isinstance(envelope, dict) or envelope.get("v") != 1:
        raise SealError(_("This is not a sealed check-in."))
    kid = envelope.get("kid")
    key = next((k for k in offline_keys() if k.kid == kid), None)
    if key is None:
        raise SealError(_("This check-in was sealed with a key this server does not hold."))
    wrapped, iv, data = _b64(envelope, "key"), _b64(envelope, "iv"), _b64(envelope, "data")
    try:
        aes_key = key.private.decrypt(wrapped, OAEP)
        if len(aes_key) != 32 or len(iv) != 12:
            raise ValueError
        plain = AESGCM(aes_key).decrypt(iv, data, kid.encode())
    except (ValueError, InvalidTag):
        raise SealError(_("This sealed check-in cannot be opened: it was changed, cut short or sealed "
                          "to another key.")) from None
    try:
        payload = json.loads(plain)
    except (ValueError, UnicodeDecodeError):
        raise SealError(_("This sealed check-in holds no check-in.")) from None
    if not isinstance(payload, dict):
        raise SealError(_("This sealed check-in holds no check-in."))
    fields = payload.get("fields")
    if (
        payload.get("v") != 1
        or type(payload.get("author")) is not int  # not a bool
        or not isinstance(fields, list)
        or not all(isinstance(f, list) and len(f) == 2 and all(isinstance(x, str) for x in f) for f in fields)
    ):
        raise SealError(_("This sealed check-in holds no check-in."))
    return payload
