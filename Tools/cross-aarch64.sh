#!/usr/bin/env bash
# Cross-builds the Embedded runtime for aarch64 Linux (libmodelc_runtime_static.a, position-
# independent so that Tools/build-wheel.sh can link a shared library from it) and links a C
# program against it: Tools/cross-aarch64.sh PROGRAM.c OUTPUT. Run the result with
#   qemu-aarch64 -L /usr/aarch64-linux-gnu OUTPUT ...
# Without arguments it only builds the archive. The arm64 libzstd and libprotobuf-c come from
# Debian's arm64 packages, unpacked into .build-aarch64/deps without touching the system's apt
# configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
program=${1:-}
output=${2:-}

deps=.build-aarch64/deps
if [ ! -f "$deps/usr/lib/aarch64-linux-gnu/libzstd.a" ] || [ ! -f "$deps/usr/lib/aarch64-linux-gnu/libprotobuf-c.a" ]; then
  mkdir -p "$deps/debs" "$deps/lists/partial"
  o=(-oAPT::Architecture=arm64 -oAPT::Architectures=arm64 "-oDir::State::Lists=$PWD/$deps/lists")
  apt-get "${o[@]}" update -qq
  (cd "$deps/debs" && apt-get "${o[@]}" download -qq libzstd-dev:arm64 libprotobuf-c-dev:arm64 2>/dev/null)
  for f in "$deps"/debs/*.deb; do dpkg -x "$f" "$deps"; done
fi

# SwiftPM adds to an existing archive: made afresh, so no object of a deleted source stays in it.
rm -f .build-aarch64/aarch64-none-none-elf/release/libmodelc_runtime_static.a
swift build -c release --scratch-path .build-aarch64 --triple aarch64-none-none-elf --product modelc_runtime_static \
  -Xcc -fPIC -Xcc --sysroot=/usr/aarch64-linux-gnu -Xcc -isystem -Xcc /usr/aarch64-linux-gnu/include \
  -Xcc -idirafter -Xcc /usr/include >/dev/null
[ -n "$program" ] || exit 0
# sqrt is the only libm function the runtime calls; IEEE 754 requires it correctly rounded.
aarch64-linux-gnu-gcc -std=c11 -O1 -ffp-contract=off -IBindings/c "$program" \
  .build-aarch64/aarch64-none-none-elf/release/libmodelc_runtime_static.a \
  "$deps/usr/lib/aarch64-linux-gnu/libzstd.a" "$deps/usr/lib/aarch64-linux-gnu/libprotobuf-c.a" -lm -o "$output"
