"""The wheels from Tools/build-wheel.sh. This machine's, installed into a fresh venv outside the
repository with no MODELC_RUNTIME_LIB, imports modelc with its own runtime library, scores candles
and a DataFrame with the same bits as this checkout's binding, and checks a signature with its
declared dependency. The aarch64 wheel's library, under qemu, scores the golden vectors to the same
bits as every other build."""
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import cryptography
import numpy as np
import pandas as pd


ROOT = Path(__file__).resolve().parents[3]
MODELC = os.environ.get("MODELC_BIN", str(ROOT / ".build" / "debug" / "modelc"))
CANDLES = ROOT / "Models" / "data" / "BTCUSDT_1h_recent.csv"
LSTM_FIXTURES = ROOT.parent / "shared" / "fixtures" / "lstm"


def build_wheel(*args):
    built = subprocess.run([str(ROOT / "Tools" / "build-wheel.sh"), *args], cwd=ROOT, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-3000:]
    return Path(built.stdout.strip().splitlines()[-1])


def needed_libraries(library):
    """The DT_NEEDED entries of an ELF shared library, by readelf (binutils)."""
    dynamic = subprocess.run(["readelf", "-d", str(library)], check=True, capture_output=True, text=True).stdout
    return sorted(line.split("[")[1].rstrip("]") for line in dynamic.splitlines() if "(NEEDED)" in line)

# Runs in the fresh venv: where modelc came from, then the signer's key id, push-by-push scores and
# score_frame's frame.
SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    import pandas as pd
    import modelc
    artifact, candles, pub, out = sys.argv[1:]
    print(modelc.__file__)
    signer = modelc.verify_signature(Path(artifact).read_bytes(), [pub])
    model = modelc.Model(artifact)
    frame = pd.read_csv(candles).tail(600).reset_index(drop=True)
    stream = model.stream()
    pushed = [stream.push((int(pd.Timestamp(r.timestamp).timestamp()), r.open, r.high, r.low, r.close, r.volume))
              for r in frame.itertuples()]
    pd.to_pickle({"signer": signer, "pushed": [(s.timestamp, s.p_long, s.p_short, s.p_up, s.confidence, s.size, s.signal, s.ready)
                             for s in pushed],
                  "frame": model.score_frame(frame)}, out)
""")


def test_wheel_installs_and_scores_like_the_checkout(tmp_path):
    wheel = build_wheel()
    assert wheel.name.startswith("modelc-") and wheel.name.endswith(f"-py3-none-linux_{os.uname().machine}.whl")

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    env = {k: v for k, v in os.environ.items()
           if k not in ("MODELC_RUNTIME_LIB", "LD_LIBRARY_PATH", "PYTHONPATH", "VIRTUAL_ENV")}
    # The same numpy, pandas and cryptography (the wheel's one dependency) as this venv, so pip takes
    # them from its cache when it has them.
    subprocess.run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel),
                    f"numpy=={np.__version__}", f"pandas=={pd.__version__}", f"cryptography=={cryptography.__version__}"],
                   check=True, env=env, cwd=tmp_path)

    artifact = tmp_path / "demo.modelc"
    subprocess.run([MODELC, "demo", "-o", str(artifact)], check=True, capture_output=True)
    keys = subprocess.run([MODELC, "keys", "generate", "--out", str(tmp_path / "keys")], check=True, capture_output=True, text=True)
    subprocess.run([MODELC, "sign", str(artifact), "--key", str(tmp_path / "keys" / "modelc.key")], check=True, capture_output=True)
    pub = tmp_path / "keys" / "modelc.pub"
    out = tmp_path / "scores.pkl"
    ran = subprocess.run([python, "-c", SCRIPT, str(artifact), str(CANDLES), str(pub), str(out)],
                         env=env, cwd=tmp_path, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr[-3000:]
    installed = Path(ran.stdout.strip().splitlines()[-1])
    assert installed.is_relative_to(venv), f"modelc imported from {installed}, not the fresh venv"
    assert (installed.parent / "libmodelc_runtime.so").is_file()
    # Nothing beyond the C library: zstd and protobuf-c are inside.
    assert needed_libraries(installed.parent / "libmodelc_runtime.so") == ["libc.so.6", "libm.so.6"]

    # The reference: this checkout's binding source on the release runtime, in the test's Python.
    lib = os.environ.get("MODELC_RUNTIME_LIB") or str(ROOT / ".build" / "release" / "libmodelc_runtime.so")
    ref = tmp_path / "reference.pkl"
    subprocess.run([sys.executable, "-c", SCRIPT, str(artifact), str(CANDLES), str(pub), str(ref)], check=True, cwd=tmp_path,
                   env={**env, "PYTHONPATH": str(ROOT / "Bindings" / "python"), "MODELC_RUNTIME_LIB": lib})
    got, want = pd.read_pickle(out), pd.read_pickle(ref)

    assert got["signer"] == want["signer"] == keys.stdout.split("key id ")[-1].strip()

    assert sum(s[-1] for s in want["pushed"]) > 100  # scored candles, not only warm-up
    bits = lambda rows: np.array([r[:6] for r in rows], dtype=np.float64).view(np.int64)
    assert np.array_equal(bits(got["pushed"]), bits(want["pushed"]))
    assert [r[6:] for r in got["pushed"]] == [r[6:] for r in want["pushed"]]
    assert list(got["frame"].columns) == list(want["frame"].columns)
    for column in want["frame"].columns:
        a, b = got["frame"][column].to_numpy(), want["frame"][column].to_numpy()
        if a.dtype.kind == "f":
            assert np.array_equal(a.view(np.int64), b.view(np.int64)), column
        else:
            assert (a == b).all(), column


def test_aarch64_wheel_library_scores_the_golden_vectors(tmp_path):
    wheel = build_wheel("--arch", "aarch64")
    assert wheel.name.startswith("modelc-") and wheel.name.endswith("-py3-none-linux_aarch64.whl")
    with zipfile.ZipFile(wheel) as z:
        z.extract("modelc/libmodelc_runtime.so", tmp_path)
    lib = tmp_path / "modelc" / "libmodelc_runtime.so"
    header = lib.read_bytes()[:20]
    assert header[:4] == b"\x7fELF" and int.from_bytes(header[18:20], "little") == 183  # EM_AARCH64
    assert needed_libraries(lib) == ["ld-linux-aarch64.so.1", "libc.so.6", "libm.so.6"]

    # A C host linked against the wheel's library, run under qemu-user: the golden bits.
    host = tmp_path / "score-inputs"
    subprocess.run(["aarch64-linux-gnu-gcc", "-std=c11", "-O1", f"-I{ROOT / 'Bindings' / 'c'}", str(ROOT / "Tests" / "C" / "score_inputs.c"),
                    str(lib), "-o", str(host)], check=True)
    inputs = tmp_path / "inputs.f64"
    np.load(LSTM_FIXTURES / "inputs_f19.npy")[0::17].astype("<f8").tofile(inputs)  # Tools/golden.sh's 32 windows
    for precision in ("f32", "int8-dynamic"):
        artifact = tmp_path / f"seed-long-{precision}.modelc"
        subprocess.run([MODELC, "import", "pytorch", "--arch", str(ROOT / "Models" / "pytorch" / "seed-long.yaml"),
                        str(LSTM_FIXTURES / "seed_trained_long_f19.safetensors"), "--precision", precision, "-o", str(artifact)],
                       check=True, capture_output=True)
        ran = subprocess.run(["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu", "-E", f"LD_LIBRARY_PATH={lib.parent}", str(host),
                              str(artifact), "long", str(inputs)], capture_output=True, text=True)
        assert ran.returncode == 0, ran.stderr
        assert ran.stdout == (ROOT / "Tests" / "Golden" / f"seed-long-{precision}.bits").read_text(), precision
