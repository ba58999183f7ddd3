"""A bot opens `NAME@production` from a registry folder made by the real CLI, without the CLI
(modelc.Model.open_registry), and the signature is checked before the model is handed out. The
references are the CLI itself: `modelc registry export` for what a reference names and its
refusals, `modelc verify` for every signature verdict (on the same files)."""
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

import modelc
from modelc import registry
from test_stream import MODELC


def cli(*args, ok=True):
    r = subprocess.run([MODELC, *map(str, args)], capture_output=True, text=True)
    assert (r.returncode == 0) == ok, f"modelc {' '.join(map(str, args))}: rc {r.returncode}: {r.stderr}"
    return r.stdout if ok else r.stderr


def split(data: bytes):
    """The header and the stored body of an artifact (Spec.md §1)."""
    length = struct.unpack_from("<I", data, 8)[0]
    return data[12:12 + length], data[12 + length:]


def frame(header: bytes, body: bytes) -> bytes:
    return b"\x89MODELC\n" + struct.pack("<I", len(header)) + header + body


# Fields a newer minor version might add to the Header: 15 = 1, then 14 = 2 (not in field order, so
# that keeping unknown fields "in their original order" is checked).
UNKNOWN_FIELD = b"\x78\x01\x70\x02"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Keys, artifacts and two registries, all made by the CLI: `open` trusts no key, `trusted`
    trusts the release key. Versions of demo: 1 signed by release (production), 2 unsigned,
    3 signed by a stranger (canary)."""
    d = tmp_path_factory.mktemp("alias")
    cli("demo", "-o", d / "demo.modelc")
    ids = {}
    for name in ("release", "stranger"):
        out = cli("keys", "generate", "--out", d / "keys", "--name", name)
        ids[name] = out.split("key id ")[-1].strip()
        cli("sign", d / "demo.modelc", "--key", d / "keys" / f"{name}.key", "-o", d / f"{name}.modelc")
    for reg in ("open", "trusted"):
        cli("registry", "push", d / "release.modelc", d / "demo.modelc", d / "stranger.modelc", "--name", "demo",
            "--registry", d / reg)
        cli("registry", "alias", "set", "demo", 1, "production", "--registry", d / reg)
        cli("registry", "alias", "set", "demo", 3, "canary", "--registry", d / reg)
    cli("registry", "trust", "add", d / "keys" / "release.pub", "--registry", d / "trusted")
    return d, ids


def test_a_bot_opens_production_by_alias_with_its_trusted_key(made):
    d, ids = made
    model = modelc.Model.open_registry(d / "trusted", "demo@production", trusted_keys=[d / "keys" / "release.pub"])
    v = model.registry_version
    assert (v.name, v.version, v.signed_by) == ("demo", 1, ids["release"])
    data, _ = registry.load(d / "trusted", "demo@production")
    cli("registry", "export", "demo@production", d / "exported.modelc", "--registry", d / "trusted")
    assert data == (d / "exported.modelc").read_bytes() == (d / "release.modelc").read_bytes()
    assert model.name == modelc.Model(d / "exported.modelc").name and model.components


def test_a_moved_alias_is_followed_and_every_reference_form_resolves_as_the_cli(made):
    d, _ = made
    reg = d / "open"
    cli("registry", "alias", "set", "demo", 2, "staging", "--registry", reg)
    for ref in ("demo", "demo@latest", "demo@2", "demo@staging", "demo@canary"):
        cli("registry", "export", ref, d / "ref.modelc", "--registry", reg)
        data, version = registry.load(reg, ref)
        assert data == (d / "ref.modelc").read_bytes(), ref
        assert version.signed_by is None  # the open registry requires no signature, and the bot gave no keys
    assert registry.load(reg, "demo@staging")[1].version == 2
    cli("registry", "alias", "set", "demo", 1, "staging", "--registry", reg)
    assert registry.load(reg, "demo@staging")[1].version == 1


@pytest.mark.parametrize("ref", ["demo@staging-eu", "nothere@production", "demo@9", "nothere"])
def test_an_unknown_alias_name_or_version_is_refused_as_the_cli_refuses_it(made, ref):
    d, _ = made
    with pytest.raises(modelc.RegistryError) as e:
        modelc.Model.open_registry(d / "open", ref)
    assert "not found" in str(e.value) and ref.split("@")[0] in str(e.value)
    assert str(e.value) in cli("registry", "export", ref, d / "x.modelc", "--registry", d / "open", ok=False)


@pytest.mark.parametrize("ref", ["demo@0", "demo@", "-demo@production", "@production", "demo@1x", "demo@pro/duction"])
def test_a_malformed_reference_is_refused_as_the_cli_refuses_it(made, ref):
    d, _ = made
    with pytest.raises(modelc.RegistryError, match=f"invalid reference '{ref}': "):
        registry.load(d / "open", ref)
    # The CLI's argument parser refuses it too, without the reason.
    assert f"The value '{ref}' is invalid" in cli("registry", "export", "--registry", d / "open", "--", ref, d / "x.modelc",
                                                   ok=False)


def test_a_folder_that_is_not_a_registry_is_refused_and_left_alone(made, tmp_path):
    with pytest.raises(modelc.RegistryError, match=f"no registry at {tmp_path}"):
        modelc.Model.open_registry(tmp_path, "demo@production")
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "index.sqlite").write_text("not a database\n")
    with pytest.raises(modelc.RegistryError, match="index.sqlite: cannot .* the registry index"):
        registry.load(tmp_path, "demo@production")
    assert (tmp_path / "index.sqlite").read_text() == "not a database\n"


def test_a_blob_changed_on_disk_is_refused_naming_it_as_the_cli_does(made, tmp_path):
    d, _ = made
    reg = tmp_path / "reg"
    shutil.copytree(d / "open", reg)
    _, version = registry.load(reg, "demo@production")
    version.blob.chmod(0o644)
    data = bytearray(version.blob.read_bytes())
    data[-1] ^= 1
    version.blob.write_bytes(bytes(data))
    with pytest.raises(modelc.RegistryError, match=f"blob sha256:{version.sha256} .* is corrupt: its bytes hash to") as e:
        modelc.Model.open_registry(reg, "demo@production")
    assert str(e.value) in cli("registry", "export", "demo@production", tmp_path / "x.modelc", "--registry", reg, ok=False)
    version.blob.unlink()
    with pytest.raises(modelc.RegistryError, match="is corrupt: missing or unreadable"):
        registry.load(reg, "demo@production")


def test_the_registry_policy_refuses_unsigned_and_untrusted_versions_with_the_cli_export_message(made):
    d, ids = made
    for ref, reason in (("demo@2", "not signed"), ("demo@canary", "untrusted key")):
        with pytest.raises(modelc.SignatureError) as e:
            modelc.Model.open_registry(d / "trusted", ref)
        assert e.value.reason == reason
        assert str(e.value) in cli("registry", "export", ref, d / "x.modelc", "--registry", d / "trusted", ok=False)
    assert registry.load(d / "trusted", "demo@production")[1].signed_by == ids["release"]


def test_the_bots_keys_decide_whatever_the_registry_trusts(made):
    d, ids = made
    stranger = [d / "keys" / "stranger.pub"]
    assert modelc.Model.open_registry(d / "trusted", "demo@canary", trusted_keys=stranger).registry_version.signed_by \
        == ids["stranger"]
    for reg in ("open", "trusted"):
        with pytest.raises(modelc.SignatureError, match=f"demo@1: refused, .*signed by key {ids['release']}") as e:
            modelc.Model.open_registry(d / reg, "demo@production", trusted_keys=stranger)
        assert e.value.reason == "untrusted key"
        with pytest.raises(modelc.SignatureError, match="demo@2: refused, .*artifact is not signed"):
            modelc.Model.open_registry(d / reg, "demo@2", trusted_keys=stranger)
    with pytest.raises(ValueError, match="trusted_keys is empty"):  # never read as "check nothing"
        modelc.Model.open_registry(d / "open", "demo@2", trusted_keys=[])


def test_a_version_changed_after_signing_is_refused(made):
    d, _ = made
    header, body = split((d / "release.modelc").read_bytes())
    (d / "changed.modelc").write_bytes(frame(header + UNKNOWN_FIELD, body))
    cli("registry", "push", d / "changed.modelc", "--name", "changed", "--registry", d / "open")
    with pytest.raises(modelc.SignatureError, match="changed@1: refused, .*changed after signing") as e:
        modelc.Model.open_registry(d / "open", "changed", trusted_keys=[d / "keys" / "release.pub"])
    assert e.value.reason == "changed after signing"


def variants(d: Path):
    """Artifacts whose signatures `modelc verify` and the binding must judge alike."""
    signed = (d / "release.modelc").read_bytes()
    header, body = split(signed)
    key_id = header.index(b"ed25519") + len(b"ed25519") + 2  # the key id string follows the algorithm's
    flipped = bytearray(body)
    flipped[len(body) // 2] ^= 0x10
    plain_header, plain_body = split((d / "demo.modelc").read_bytes())
    (d / "with-unknown.modelc").write_bytes(frame(plain_header + UNKNOWN_FIELD, plain_body))
    cli("sign", d / "with-unknown.modelc", "--key", d / "keys" / "release.key", "-o", d / "unknown-signed.modelc")
    unknown_header, unknown_body = split((d / "unknown-signed.modelc").read_bytes())
    assert unknown_header.endswith(UNKNOWN_FIELD)  # the CLI kept the unknown fields, after the known ones
    return {
        "signed": signed,
        "unsigned": (d / "demo.modelc").read_bytes(),
        "stranger": (d / "stranger.modelc").read_bytes(),
        "body byte flipped": frame(header, bytes(flipped)),
        "unknown header fields added after signing": frame(header + UNKNOWN_FIELD, body),
        "unknown header fields signed": frame(unknown_header, unknown_body),
        # The same fields in another order: H' is the deterministic re-encoding, so still valid.
        "unknown header fields moved first": frame(UNKNOWN_FIELD + unknown_header[:-len(UNKNOWN_FIELD)], unknown_body),
        # ... but unknown fields in another order are another header.
        "unknown header fields swapped": frame(unknown_header[:-len(UNKNOWN_FIELD)] + UNKNOWN_FIELD[2:] + UNKNOWN_FIELD[:2],
                                               unknown_body),
        # A padded tag (field 15 in two bytes): refused as a header by both readers (Spec.md §1.2).
        "padded unknown tag": frame(header + b"\xf8\x00\x01", body),
        "algorithm renamed": frame(header.replace(b"ed25519", b"ed25518"), body),
        "key id edited": frame(header[:key_id] + (b"0" if header[key_id:key_id + 1] != b"0" else b"1")
                               + header[key_id + 1:], body),
        "truncated": signed[:len(signed) - 7],
    }


EXPECTED = {"signed": None, "unsigned": "not signed", "stranger": "untrusted key",
            "body byte flipped": "changed after signing", "unknown header fields added after signing": "changed after signing",
            "unknown header fields signed": None, "unknown header fields moved first": None,
            "unknown header fields swapped": "changed after signing", "padded unknown tag": "framing",
            "algorithm renamed": "malformed signature", "key id edited": "malformed signature", "truncated": "framing"}


def test_every_signature_verdict_agrees_with_modelc_verify(made):
    d, ids = made
    trusted = d / "keys" / "release.pub"
    for name, data in variants(d).items():
        path = d / f"variant-{name.replace(' ', '-')}.modelc"
        path.write_bytes(data)
        r = subprocess.run([MODELC, "verify", str(path), "--pub", str(trusted)], capture_output=True, text=True)
        try:
            got = modelc.verify_signature(data, [trusted])
        except modelc.SignatureError as e:
            assert (e.reason, r.returncode) == (EXPECTED[name], 1), name
            assert f"{path}: {e}\n" in r.stderr, (name, str(e), r.stderr)
        except modelc.ModelcError as e:
            assert (EXPECTED[name], r.returncode) == ("framing", 1), name
            assert f"{path}: {e}\n" in r.stderr, (name, str(e), r.stderr)
        else:
            assert (EXPECTED[name], r.returncode, got) == (None, 0, ids["release"]), name
            assert f"valid signature by key {got}" in r.stdout


def test_a_public_key_file_is_read_as_the_cli_writes_it(made, tmp_path):
    d, ids = made
    raw = modelc.signature.read_public_key(d / "keys" / "release.pub")
    assert modelc.signature.key_id(raw) == ids["release"]
    assert modelc.verify_signature((d / "release.modelc").read_bytes(), [raw]) == ids["release"]
    assert modelc.verify_signature((d / "release.modelc").read_bytes(), d / "keys" / "release.pub") == ids["release"]
    bad = tmp_path / "bad.pub"
    bad.write_text((d / "keys" / "release.pub").read_text().replace(ids["release"], ids["stranger"]))
    with pytest.raises(ValueError, match=f"{bad}: malformed key: the key id {ids['stranger']}"):
        modelc.Model.open_registry(d / "open", "demo@production", trusted_keys=[bad])
