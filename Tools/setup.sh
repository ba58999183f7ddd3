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

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c "import numpy, pytest, xdist, pandas, pyarrow, tables, cryptography" 2>/dev/null; then
  echo "setup: creating .venv (numpy, pytest, pytest-xdist, pandas, pyarrow, tables, cryptography)"
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check numpy pytest pytest-xdist pandas pyarrow tables cryptography
fi
mkdir -p .build
.venv/bin/pip install -q --disable-pip-version-check ./Bindings/python
# freqtrade (PyPI) for Bindings/python/tests/test_freqtrade_strategy.py: ~770 MB with its
# dependencies (ccxt, pyarrow, scipy, TA-Lib wheels), 1 min 43 s into a fresh venv (README); pinned,
# the test drives its data handlers, strategy resolver and backtesting engine. Ray for
# `modelc build --executor ray` and its test (a head and a worker on loopback); PyYAML comes with
# it. Installed once, in one pip run while Swift builds (mostly download and unpacking, beside a
# compiler that keeps both cores busy).
extras=""
if ! .venv/bin/python -c "import freqtrade, ray, yaml" 2>/dev/null; then
  echo "setup: installing freqtrade and ray into .venv (beside the build)"
  .venv/bin/pip install -q --disable-pip-version-check freqtrade==2026.9 "ray>=2.40" pyyaml >.build/setup-extras.log 2>&1 &
  extras=$!
fi

echo "setup: building"
if ! swift build >.build/setup-build.log 2>&1; then
  cat .build/setup-build.log
  exit 1
fi
if [ -n "$extras" ] && ! wait "$extras"; then
  cat .build/setup-extras.log
  exit 1
fi
echo "setup: done"
