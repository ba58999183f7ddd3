"""Finds a model version in a modelc registry folder without the CLI (Spec.md §12.2, §12.5): the
SQLite index is read with Python's sqlite3, read-only, and the blob's SHA-256 and signature are
checked before the bytes are handed out. `Model.open_registry` opens the model from them."""
import hashlib
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Tuple, Union

from .signature import KeyLike, SignatureError, public_keys, verify

SCHEMA_VERSIONS = (1, 2)  # PRAGMA user_version of registries this reader understands (1 differs only in alias_moves)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_ALIAS = re.compile(r"[A-Za-z][A-Za-z0-9._-]{0,63}")
_DIGEST = re.compile(r"[0-9a-f]{64}")


class RegistryError(Exception):
    """A registry folder, reference, index row or blob that cannot be used; the message names it."""


@dataclass(frozen=True)
class Version:
    """One version of a model in the registry, and what was checked when it was opened."""
    name: str
    version: int
    sha256: str
    size: int
    blob: Path
    signed_by: Optional[str]  # key id of the signature checked when it was loaded; None when none was required

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"


def parse_ref(text: str) -> Tuple[str, Union[int, str, None]]:
    """`NAME` or `NAME@latest` (None: the newest version), `NAME@VERSION` (an int), `NAME@ALIAS`."""
    name, at, tail = text.partition("@")
    if not name or len(name.encode()) > 128:
        raise RegistryError(f"invalid reference '{text}': invalid name '{name}': a model name has 1 to 128 characters")
    if not _NAME.fullmatch(name):
        raise RegistryError(f"invalid reference '{text}': invalid name '{name}': use letters, digits, '.', '_' and '-', "
                            "starting with a letter or digit")
    if not at or tail == "latest":
        return name, None
    if re.fullmatch(r"[0-9]+", tail):
        if int(tail) < 1:
            raise RegistryError(f"invalid reference '{text}': versions start at 1")
        return name, int(tail)
    if not _ALIAS.fullmatch(tail):
        raise RegistryError(f"invalid reference '{text}': expected NAME, NAME@VERSION or NAME@ALIAS")
    return name, tail


def load(folder: Union[str, Path], ref: str, trusted_keys: Optional[Iterable[KeyLike]] = None) -> Tuple[bytes, Version]:
    """The artifact bytes `ref` names now, and their version.

    Refused, naming what is wrong: a folder with no registry index, an unknown name, version or
    alias, a blob whose SHA-256 is not its index record's, and a signature that does not pass:

    - `trusted_keys` given (`.pub` paths or 32-byte keys): a signature by one of them is required,
      whatever the registry's `trusted_keys` table holds — the bot's own keys decide, since anyone
      who can write the folder can also write that table;
    - `trusted_keys` None: the registry's own policy, as `modelc registry export` applies it: while
      its `trusted_keys` table is not empty, a signature by one of those keys is required.
    """
    folder = Path(folder)
    required = None if trusted_keys is None else public_keys(trusted_keys)
    if required == []:
        raise ValueError("trusted_keys is empty: give at least one trusted public key, or None for the registry's policy")
    name, selector = parse_ref(ref)
    row, table_keys = _lookup(folder, ref, name, selector)
    version, sha256, size = row
    if not _DIGEST.fullmatch(str(sha256)):
        raise RegistryError(f"{folder / 'index.sqlite'}: {name}@{version} records sha256 '{sha256}', not a SHA-256 digest")
    blob = folder / "blobs" / sha256[:2] / sha256[2:]
    try:
        data = blob.read_bytes()
    except OSError:
        raise RegistryError(f"blob sha256:{sha256} ({blob}) is corrupt: missing or unreadable; "
                            "run 'modelc registry verify', then push the artifact again to repair it") from None
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        raise RegistryError(f"blob sha256:{sha256} ({blob}) is corrupt: its bytes hash to sha256:{actual}; "
                            "run 'modelc registry verify', then push the artifact again to repair it")
    keys, policy = ((required, "a signature by one of the given trusted keys is required") if required is not None
                    else (table_keys, "this registry requires a signature by a trusted key"))
    signed_by = None
    if keys:
        try:
            signed_by = verify(data, keys)
        except SignatureError as e:
            raise SignatureError(e.reason, f"{name}@{version}: refused, {policy}: {e}") from None
    return data, Version(name, version, sha256, size, blob, signed_by)


def _lookup(folder: Path, ref: str, name: str, selector):
    """The (version, sha256, size) row `ref` names and the registry's trusted keys, read in one
    read transaction so that both belong to the same state of the index."""
    index = folder / "index.sqlite"
    if not index.is_file():
        raise RegistryError(f"no registry at {folder}: it has no index.sqlite")
    try:
        db = sqlite3.connect(f"{index.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as e:
        raise RegistryError(f"{index}: cannot open the registry index: {e}") from None
    try:
        db.execute("BEGIN")
        schema = db.execute("PRAGMA user_version").fetchone()[0]
        if schema not in SCHEMA_VERSIONS:
            raise RegistryError(f"{index}: registry schema {schema} is newer than this reader understands (2); upgrade modelc"
                                if schema > 2 else f"no registry at {folder}: {index} holds no registry index")
        if selector is None:
            version = db.execute("SELECT MAX(version) FROM versions WHERE name = ?", (name,)).fetchone()[0]
            missing = f"model '{name}' not found"
        elif isinstance(selector, int):
            version, missing = selector, f"version '{ref}' not found"
        else:
            found = db.execute("SELECT version FROM aliases WHERE name = ? AND alias = ?", (name, selector)).fetchone()
            if found is None:
                raise RegistryError(f"alias '{ref}' not found")
            version, missing = found[0], f"version '{ref}' not found"
        row = db.execute("SELECT version, sha256, size FROM versions WHERE name = ? AND version = ?", (name, version)).fetchone()
        if row is None:
            raise RegistryError(missing)
        keys = [bytes(k) for (k,) in db.execute("SELECT public_key FROM trusted_keys")]
        db.execute("COMMIT")
    except sqlite3.Error as e:
        raise RegistryError(f"{index}: cannot read the registry index: {e}") from None
    finally:
        db.close()
    for k in keys:
        if len(k) != 32:
            raise RegistryError(f"{index}: a trusted key is {len(k)} bytes, an ed25519 public key is 32")
    return row, keys
