#!/usr/bin/env bash
# Prepares a fresh machine for modelc, idempotently and quietly: the Debian packages the build
# and tests need (C libraries, protoc/protoc-c, qemu-user and the aarch64 cross gcc for the
# cross-host check, chromium for the report's screenshot), a Python venv in .venv for the
# binding tests, NumPy cross-checks, pandas/pyarrow/PyTables-written candle files, signature checks
# (cryptography) and the freqtrade example strategy, then builds the package. (Tools/gen-arrow.sh
# also needs Debian's flatbuffers-compiler; the build needs only its headers.)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libprotobuf-c-dev protobuf-c-compiler protobuf-compiler libopenblas-dev libhdf5-dev
          libzstd-dev zlib1g-dev libsqlite3-dev libflatbuffers-dev liblz4-dev pkg-config qemu-user gcc-aarch64-linux-gnu libc6-dev-arm64-cross
          python3-venv chromium iproute2)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The Python side installs while Swift builds (mostly download and unpacking, beside a compiler that
# keeps both cores busy), in one background job: the venv with NumPy, pytest (and pytest-xdist),
# pandas, pyarrow and PyTables (candle files the real tools write) and cryptography (signature
# checks); the binding; then, once, freqtrade (PyPI) for
# Bindings/python/tests/test_freqtrade_strategy.py — ~770 MB with its dependencies (ccxt, pyarrow,
# scipy, TA-Lib wheels), 1 min 43 s into a fresh venv (README); pinned, the test drives its data
# handlers, strategy resolver and backtesting engine — and Ray for `modelc build --executor ray`
# and its test (a head and a worker on loopback; PyYAML comes with it).
mkdir -p .build
python_setup() {
  local pip=(.venv/bin/pip install -q --disable-pip-version-check)
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c "import numpy, pytest, xdist, pandas, pyarrow, tables, cryptography" 2>/dev/null; then
    echo "setup: creating .venv (numpy, pytest, pytest-xdist, pandas, pyarrow, tables, cryptography)"
    python3 -m venv .venv
    "${pip[@]}" numpy pytest pytest-xdist pandas pyarrow tables cryptography
  fi
  "${pip[@]}" ./Bindings/python
  if ! .venv/bin/python -c "import freqtrade, ray, yaml" 2>/dev/null; then
    echo "setup: installing freqtrade and ray into .venv"
    "${pip[@]}" freqtrade==2026.9 "ray>=2.40" pyyaml
  fi
}
echo "setup: the Python venv installs beside the build (.build/setup-python.log)"
python_setup >.build/setup-python.log 2>&1 &
python=$!

echo "setup: building"
if ! swift build >.build/setup-build.log 2>&1; then
  cat .build/setup-build.log
  exit 1
fi
if ! wait "$python"; then
  cat .build/setup-python.log
  exit 1
fi
echo "setup: done"
