#!/usr/bin/env bash
# Coverage-guided fuzzing of the runtime's untrusted inputs (artifacts and candles) with libFuzzer
# (Spec.md §6.1). The Embedded runtime is compiled with coverage, AddressSanitizer and the fuzzer's
# instrumentation and linked into Tools/fuzz/harness.c, which calls the C ABI as a host would.
#   Tools/fuzz.sh build            build .build-fuzz/fuzz-runtime
#   Tools/fuzz.sh run SECONDS      fuzz (nice'd) from the committed corpus plus fresh seeds;
#                                  new inputs go to .build-fuzz/corpus, crashes to .build-fuzz/crashes
#   Tools/fuzz.sh minimize         merge .build-fuzz/corpus into Tests/Fuzz/corpus (smallest set
#                                  with the same coverage)
#   Tools/fuzz.sh replay [BINARY]  run every committed input once (corpus and regressions);
#                                  Tools/sanitize.sh calls this; ends "fuzz replay: N passed, M failed"
#   Tools/fuzz.sh readers-build    build .build-fuzz/fuzz-readers: the differential target
#                                  (Tools/fuzz/readers.swift), the runtime's reader vs swift-protobuf
#   Tools/fuzz.sh readers-run SECONDS  fuzz it from the committed corpus; a disagreement stops
#                                  it (crash file in .build-fuzz/crashes); ReaderAgreementTests
#                                  replays the corpus and regressions in `swift test`
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build-fuzz
bin=$out/fuzz-runtime
export MODELC_FUZZ_MODEL=Tests/Fuzz/reference.modelc
mkdir -p "$out"
. Tools/lib/runtime-object.sh

build() {
  runtime_objects "$out" "-sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link" "-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
  clang -O1 -g -fuse-ld=lld -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -ffp-contract=off \
    -IBindings/c -ISources/CModelcSchema/include Tools/fuzz/harness.c "$out/runtime.o" "$out/schema.o" "$out/kernels.o" \
    -lprotobuf-c -lzstd -lm -o "$bin"
}

# The differential target, outside SwiftPM like the harness: swift-protobuf, the (non-Embedded)
# runtime, and the generated messages with ReaderAgreement, all with the fuzzer's coverage.
readers_build() {
  local d=$out/readers flags="-O -wmo -parse-as-library -sanitize=fuzzer"
  runtime_objects "$out/readers-c" "" "-fsanitize=fuzzer-no-link"
  mkdir -p "$d"
  # swift-protobuf is pinned (Package.swift): built once.
  # shellcheck disable=SC2086
  [ -f "$d/protobuf.o" ] || swiftc $flags -package-name swift_protobuf -module-name SwiftProtobuf -emit-module -emit-module-path "$d/SwiftProtobuf.swiftmodule" \
    -c $(find .build/checkouts/swift-protobuf/Sources/SwiftProtobuf -name '*.swift' | sort) -o "$d/protobuf.o"
  # shellcheck disable=SC2086
  swiftc $flags -module-name ModelcRuntime -emit-module -emit-module-path "$d/ModelcRuntime.swiftmodule" \
    -I "$out/readers-c/mm/CModelcSchema" -I "$out/readers-c/mm/CModelcKernels" -I Sources/CProtobufC -I Sources/CZstd \
    -Xcc -ISources/CModelcSchema/include -Xcc -ISources/CModelcKernels/include \
    -c $(find Sources/ModelcRuntime -name '*.swift' | sort) -o "$d/runtime.o"
  # shellcheck disable=SC2086
  swiftc $flags -module-name ReadersFuzz -I "$d" -I "$out/readers-c/mm/CModelcSchema" -I "$out/readers-c/mm/CModelcKernels" \
    -I Sources/CProtobufC -I Sources/CZstd -Xcc -ISources/CModelcSchema/include -Xcc -ISources/CModelcKernels/include \
    -c Sources/ModelcFormat/Generated/modelc.pb.swift Sources/ModelcFormat/ReaderAgreement.swift \
    Sources/ModelcFormat/Signing/UnsignedHeader.swift Tools/fuzz/readers.swift \
    -o "$d/readers.o"
  swiftc -sanitize=fuzzer "$d/readers.o" "$d/runtime.o" "$d/protobuf.o" "$out/readers-c/schema.o" "$out/readers-c/kernels.o" \
    -lprotobuf-c -lzstd -lm -o "$out/fuzz-readers"
}

# Seeds from real inputs: the reference (demo) artifact and its zstd twin, whole (mode 0) and as
# bare bodies (mode 1); real ETH candles encoded as harness records (mode 2).
seeds() {
  local s=$out/seeds modelc
  rm -rf "$s"; mkdir -p "$s"
  modelc=$(swift build --show-bin-path)/modelc
  cp Tests/Fuzz/reference.modelc "$s/demo.modelc"
  "$modelc" demo --seed 7 -o "$s/demo-z.modelc" >/dev/null
  python3 - "$s" ../shared/data/ohlcv/ETHUSDT_1h.csv <<'PY'
import math, pathlib, struct, subprocess, sys
s = pathlib.Path(sys.argv[1])
for name in ("demo.modelc", "demo-z.modelc"):
    b = (s / name).read_bytes()
    h = struct.unpack("<I", b[8:12])[0]
    body = b[12 + h:]
    if body[:4] == b"\x28\xb5\x2f\xfd":
        body = subprocess.run(["zstd", "-dc"], input=body, capture_output=True, check=True).stdout
    (s / f"{name}.m0").write_bytes(b"\x00" + b)
    (s / f"{name}.m1").write_bytes(b"\x01" + body)
    (s / name).unlink()
rows = [l.split(",") for l in open(sys.argv[2]).read().split("\n")[1:] if l]
def records(rs):
    out = bytearray(b"\x02")
    for r in rs:
        o, hi, lo, c, v = (float(x) for x in r[1:6])
        move = max(-127, min(127, round(1000 * (c / o - 1))))
        up = min(255, round(2000 * (hi / max(o, c) - 1)))
        down = min(255, round(2000 * (1 - lo / min(o, c))))
        vol = min(65535, round(16 * v / 100))
        out += bytes([0, move & 255, up, down, vol & 255, vol >> 8, 255, 0, 0, 0])
    return out
(s / "eth-200.m2").write_bytes(records(rows[-200:]))
bad = bytearray(records(rows[-150:]))
for i, (poke, value) in enumerate([(0, 0), (1, 1), (2, 2), (4, 4), (3, 3), (5, 1)]):
    bad[1 + 10 * (20 * i + 5) + 6:1 + 10 * (20 * i + 5) + 8] = bytes([poke, value])
for i, step in enumerate([250, 251, 252, 253]):
    bad[1 + 10 * (30 * i + 12)] = step
(s / "eth-abuse.m2").write_bytes(bad)
PY
}

case "${1:-}" in
  build) build ;;
  run)
    secs=${2:?seconds}
    [ -x "$bin" ] || build
    seeds
    mkdir -p "$out/corpus" "$out/crashes"
    # A copy, so that rebuilding during a long run does not change the binary under it; fork mode
    # with ignore_* keeps going after a crash (each one is written to crashes/).
    cp "$bin" "$out/fuzz-runtime.run"
    nice -n 10 "$out/fuzz-runtime.run" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 "$out/corpus" Tests/Fuzz/corpus "$out/seeds" -max_total_time="$secs" -max_len=32768 \
      -timeout=10 -rss_limit_mb=4096 -malloc_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/crashes/" ;;
  minimize)
    mkdir -p "$out/min"; rm -rf "$out/min"/*
    ASAN_OPTIONS=detect_leaks=0 "$bin" -merge=1 "$out/min" Tests/Fuzz/corpus "$out/corpus" -max_len=32768
    rm -f Tests/Fuzz/corpus/*; cp "$out/min"/* Tests/Fuzz/corpus/ ;;
  replay)
    # Any build of the harness replays; Tools/sanitize.sh passes one linked with its ASan objects.
    if [ -n "${2:-}" ]; then bin=$2; else [ -x "$bin" ] || build >/dev/null; fi
    passed=0; failed=0
    for f in Tests/Fuzz/corpus/* Tests/Fuzz/regressions/*; do
      [ -f "$f" ] || continue
      if ASAN_OPTIONS=detect_leaks=1 "$bin" -runs=1 -timeout=10 -rss_limit_mb=4096 -malloc_limit_mb=2048 "$f" \
        >"$out/replay.log" 2>&1; then passed=$((passed + 1))
      else failed=$((failed + 1)); echo "FAIL: $f"; grep -E "ERROR|SUMMARY|lied" "$out/replay.log" | head -3; fi
    done
    echo "fuzz replay: $passed passed, $failed failed"
    [ "$failed" -eq 0 ] ;;
  readers-build) readers_build ;;
  readers-run)
    secs=${2:?seconds}
    [ -x "$out/fuzz-readers" ] || readers_build
    mkdir -p "$out/readers-corpus" "$out/crashes"
    nice -n 10 "$out/fuzz-readers" "$out/readers-corpus" Tests/Fuzz/corpus -max_total_time="$secs" -max_len=32768 \
      -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$out/crashes/readers-" ;;
  *) sed -n 2,17p "$0"; exit 2 ;;
esac
