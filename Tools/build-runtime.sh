#!/usr/bin/env bash
# Builds the Embedded runtime in release mode (libmodelc_runtime.so and libmodelc_runtime_static.a)
# and checks its promises: only mc_* symbols exported, no Swift runtime needed (ldd), size under
# its ceiling.
# Prints the library paths on the last two lines.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=$(swift build -c release --show-bin-path)
so="$dir/libmodelc_runtime.so"
a="$dir/libmodelc_runtime_static.a"
# SwiftPM adds to an existing archive rather than rewriting it, so an object whose source was
# deleted would stay in it (and be linked): the archive is always made afresh (objects are reused).
rm -f "$a"
swift build -c release --product modelc_runtime >/dev/null
swift build -c release --product modelc_runtime_static >/dev/null

# Global (upper-case type) defined dynamic symbols other than mc_* would be a leak.
leaks=$(nm -D --defined-only "$so" | awk '$2 ~ /^[A-Z]$/ && $3 !~ /^mc_/ {print $3}')
if [ -n "$leaks" ]; then
  echo "libmodelc_runtime.so exports non-mc_ symbols:" >&2
  echo "$leaks" >&2
  exit 1
fi
# Anything undefined that libc, zstd and protobuf-c do not provide (e.g. Swift's Unicode tables,
# pulled in by String comparison) would fail at the user's link step.
undefined=$(nm -D --undefined-only "$so" | awk '{print $2}' | grep -iE 'swift' || true)
if [ -n "$undefined" ]; then
  echo "libmodelc_runtime.so references Swift runtime symbols it does not contain:" >&2
  echo "$undefined" >&2
  exit 1
fi
if ldd "$so" | grep -qi swift; then
  echo "libmodelc_runtime.so needs a Swift runtime library:" >&2
  ldd "$so" >&2
  exit 1
fi
# A ceiling on the shared library's size: today's plus 5% (Tools/runtime-size.sh says what costs
# the bytes), so that growth is a decision, not an accident.
ceiling=1100000
if [ "$(stat -c %s "$so")" -gt "$ceiling" ]; then
  echo "libmodelc_runtime.so is $(stat -c %s "$so") bytes, over its ceiling of $ceiling (Tools/runtime-size.sh)" >&2
  exit 1
fi
echo "runtime: $(stat -c %s "$so") bytes (.so, ceiling $ceiling), $(stat -c %s "$a") bytes (.a); exports: $(nm -D --defined-only "$so" | awk '$3 ~ /^mc_/' | wc -l) mc_* functions"
echo "runtime: needs $(ldd "$so" | awk '/=>/ {print $1}' | tr '\n' ' ')"
echo "$so"
echo "$a"
