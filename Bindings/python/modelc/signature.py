"""Checks an artifact's ed25519 signature against trusted keys before it is scored (Spec.md §12.1,
§12.5). The runtime gives what the signature covers (mc_artifact_signature: the framing checked,
H' and the stored signature slot); SHA-256 is hashlib's and ed25519 the `cryptography` package's,
so the runtime stays free of cryptography. Refusals use `modelc verify`'s words."""
import base64
import ctypes
import hashlib
from pathlib import Path
from typing import Iterable, List, Union

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ._library import SignatureSlot, check, error_buffer, lib

# Spec.md §12.1: M = "modelc-signature-v1" || 0x00 || H' || SHA-256(B).
DOMAIN = b"modelc-signature-v1\x00"
ALGORITHM = "ed25519"
PUBLIC_KEY_TAG = "modelc-ed25519"
MAX_HEADER = 65536  # Spec.md §1: H' is never longer than the header

KeyLike = Union[str, Path, bytes]


class SignatureError(Exception):
    """A refused signature. `reason` is Spec.md §12.1's name for why: "not signed", "malformed
    signature", "untrusted key" or "changed after signing"; the message is `modelc verify`'s."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def key_id(public_key: bytes) -> str:
    """Hex of the first 8 bytes of SHA-256 of the 32 key bytes, as `Signature.key_id`."""
    return hashlib.sha256(public_key).digest()[:8].hex()


def read_public_key(path: Union[str, Path]) -> bytes:
    """The 32 bytes of a `NAME.pub` file from `modelc keys generate`:
    `modelc-ed25519 <base64 of the key> <key id>`; a key id that is not the key's is refused."""
    fields = Path(path).read_text().split()
    try:
        if len(fields) not in (2, 3) or fields[0] != PUBLIC_KEY_TAG:
            raise ValueError
        raw = base64.b64decode(fields[1], validate=True)
    except ValueError:
        raise ValueError(f"{path}: malformed key: expected one line '{PUBLIC_KEY_TAG} <base64 key> <key id>'") from None
    if len(raw) != 32:
        raise ValueError(f"{path}: malformed key: an ed25519 public key is 32 bytes, got {len(raw)}")
    if len(fields) == 3 and fields[2] != key_id(raw):
        raise ValueError(f"{path}: malformed key: the key id {fields[2]} written in the file is not the key's id {key_id(raw)}")
    return raw


def public_keys(keys: Union[KeyLike, Iterable[KeyLike]]) -> List[bytes]:
    """Trusted keys as raw 32-byte keys: each a `.pub` file's path or the 32 key bytes (one such
    key alone is a list of one)."""
    if isinstance(keys, (str, Path, bytes, bytearray)):
        keys = [keys]
    out = []
    for k in keys:
        raw = bytes(k) if isinstance(k, (bytes, bytearray)) else read_public_key(k)
        if len(raw) != 32:
            raise ValueError(f"a trusted ed25519 public key is 32 bytes, got {len(raw)}")
        out.append(raw)
    return out


def verify(data: bytes, trusted_keys: Union[KeyLike, Iterable[KeyLike]]) -> str:
    """Checks that `data` (an artifact's bytes) carries an intact signature by one of
    `trusted_keys` and returns the signer's key id; raises SignatureError, or ModelcError for an
    artifact whose framing is refused (Spec.md §1.2 steps 1-7). Does not load the model."""
    trusted = public_keys(trusted_keys)
    if not trusted:
        raise ValueError("give at least one trusted public key")
    slot, unsigned_header = _signature_parts(data)
    if not slot.present:
        raise SignatureError("not signed", "artifact is not signed")
    algorithm = slot.algorithm.decode("utf-8", "replace")
    if slot.algorithm_length != len(ALGORITHM) or algorithm != ALGORITHM:
        raise SignatureError("malformed signature", f"unsupported signature algorithm '{algorithm}' (expected {ALGORITHM})")
    if slot.value_length != 64:
        raise SignatureError("malformed signature",
                             f"malformed signature: value is {slot.value_length} bytes, ed25519 signatures are 64")
    if slot.public_key_length != 32:
        raise SignatureError("malformed signature",
                             f"malformed signature: public key is {slot.public_key_length} bytes, ed25519 keys are 32")
    public_key = bytes(slot.public_key)
    stored_id, actual_id = slot.key_id.decode("utf-8", "replace"), key_id(public_key)
    if slot.key_id_length != len(actual_id) or stored_id != actual_id:
        raise SignatureError("malformed signature",
                             f"malformed signature: key id {stored_id} is not the id {actual_id} of the public key it carries")
    if public_key not in trusted:
        raise SignatureError("untrusted key", f"signed by key {actual_id}, which is not a trusted key")
    message = DOMAIN + unsigned_header + hashlib.sha256(memoryview(data)[slot.body_offset:]).digest()
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(bytes(slot.value), message)
    except InvalidSignature:
        raise SignatureError("changed after signing", f"signature by key {actual_id} does not match the artifact: "
                             "its header or body was changed after signing") from None
    return actual_id


def _signature_parts(data: bytes):
    """The runtime's split: the stored signature slot and H'."""
    slot = SignatureSlot()
    header = ctypes.create_string_buffer(MAX_HEADER)
    length = ctypes.c_size_t()
    err = error_buffer()
    check(lib.mc_artifact_signature(bytes(data), len(data), ctypes.byref(slot), header, len(header),
                                    ctypes.byref(length), err, len(err)), err)
    return slot, header.raw[:length.value]
