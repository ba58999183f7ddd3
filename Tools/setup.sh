#!/usr/bin/env bash
# Prepares a fresh machine for modelc, idempotently and quietly: the Debian packages the build
# and tests need (C libraries, protoc/protoc-c, qemu-user and the aarch64 cross gcc for the
# cross-host check, chromium for the report's screenshot), a Python venv in .venv for the
# binding tests, NumPy cross-checks and pandas-written candle files, then builds the package.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libprotobuf-c-dev protobuf-c-compiler protobuf-compiler libopenblas-dev libhdf5-dev
          libzstd-dev zlib1g-dev libsqlite3-dev pkg-config qemu-user gcc-aarch64-linux-gnu libc6-dev-arm64-cross
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

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c "import numpy, pytest, pandas" 2>/dev/null; then
  echo "setup: creating .venv (numpy, pytest, pandas)"
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check numpy pytest pandas
fi
# Ray: `modelc build --executor ray` and its test (a head and a worker on loopback); PyYAML comes with it.
if ! .venv/bin/python -c "import ray, yaml" 2>/dev/null; then
  echo "setup: installing ray into .venv"
  .venv/bin/pip install -q --disable-pip-version-check "ray>=2.40" pyyaml
fi
.venv/bin/pip install -q --disable-pip-version-check ./Bindings/python

echo "setup: building"
mkdir -p .build
if ! swift build >.build/setup-build.log 2>&1; then
  cat .build/setup-build.log
  exit 1
fi
echo "setup: done"
