#!/usr/bin/env bash
# Builds the Python wheel with the release runtime inside: dist/modelc-<version>-py3-none-linux_<arch>.whl,
# so that `pip install` of that one file gives `import modelc` with no Swift, no MODELC_RUNTIME_LIB
# and no other library: the wheel's libmodelc_runtime.so is linked from the runtime's static archive
# with zstd and protobuf-c inside (Debian's static libraries), and needs only libc and libm.
#   Tools/build-wheel.sh                  this machine's platform (x86_64)
#   Tools/build-wheel.sh --arch aarch64   from the aarch64 cross build (Tools/cross-aarch64.sh)
# The package is copied to a temporary folder with the library beside _library.py, built there
# with `pip wheel` (setuptools, tagged by Bindings/python/setup.py), checked, then moved into
# dist/. Prints the wheel's path on the last line.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
arch=$(uname -m)
if [ "${1:-}" = --arch ]; then arch=${2:?--arch needs x86_64 or aarch64}; fi

case "$arch" in
  "$(uname -m)")
    archive=$(./Tools/build-runtime.sh | tail -1)
    cc=cc; deps=/usr/lib/$(uname -m)-linux-gnu ;;
  aarch64)
    ./Tools/cross-aarch64.sh
    archive=.build-aarch64/aarch64-none-none-elf/release/libmodelc_runtime_static.a
    cc=aarch64-linux-gnu-gcc; deps=.build-aarch64/deps/usr/lib/aarch64-linux-gnu ;;
  *) echo "build-wheel: --arch $arch: this machine builds x86_64 and aarch64 wheels" >&2; exit 1 ;;
esac
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir "$work/src"
cp Bindings/python/pyproject.toml Bindings/python/setup.py "$work/src/"
cp -r Bindings/python/modelc "$work/src/modelc"
find "$work/src" -name __pycache__ -prune -exec rm -rf {} +
# Every object of the archive, only mc_* exported (as the SwiftPM-built library), stripped.
so=$work/src/modelc/libmodelc_runtime.so
"$cc" -shared -o "$so" -Wl,--whole-archive "$archive" -Wl,--no-whole-archive \
  -Wl,--version-script=Bindings/c/modelc.map -Wl,--strip-all "$deps/libzstd.a" "$deps/libprotobuf-c.a" -lm
needed=$(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | grep -vE '^(libc|libm|ld-linux-[a-z0-9-]+)\.so' || true)
if [ -n "$needed" ]; then
  echo "build-wheel: the wheel's library needs more than libc and libm: $needed" >&2
  exit 1
fi
cp "$so" "$work/library.so"
"$python" -m pip wheel -q --disable-pip-version-check --no-deps -w "$work/out" \
  -C--build-option=--plat-name -C--build-option="linux_$arch" "$work/src" >&2

# The wheel must carry this very library, be tagged for its platform and have a valid RECORD.
"$python" - "$work/out" "$work/library.so" "linux_$arch" <<'PY'
import base64, csv, hashlib, io, pathlib, sys, zipfile
out, so, platform = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
wheels = list(out.glob("*.whl"))
if len(wheels) != 1:
    sys.exit(f"build-wheel: expected one wheel in {out}, found {[w.name for w in wheels]}")
wheel = wheels[0]
if not wheel.name.endswith(f"-py3-none-{platform}.whl"):
    sys.exit(f"build-wheel: {wheel.name} is not tagged py3-none-{platform}")
def digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
with zipfile.ZipFile(wheel) as z:
    names = set(z.namelist())
    if "modelc/libmodelc_runtime.so" not in names:
        sys.exit(f"build-wheel: {wheel.name} has no modelc/libmodelc_runtime.so")
    if z.read("modelc/libmodelc_runtime.so") != so.read_bytes():
        sys.exit(f"build-wheel: the library in {wheel.name} is not {so}")
    info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/RECORD"))
    if "Root-Is-Purelib: false" not in z.read(f"{info}/WHEEL").decode():
        sys.exit(f"build-wheel: {info}/WHEEL does not say Root-Is-Purelib: false")
    recorded = {}
    for path, hash_, size in csv.reader(io.StringIO(z.read(f"{info}/RECORD").decode())):
        recorded[path] = hash_
        if path == f"{info}/RECORD":
            continue
        data = z.read(path)
        if hash_ != digest(data) or int(size) != len(data):
            sys.exit(f"build-wheel: RECORD's hash or size of {path} does not match the file")
    if set(recorded) != names:
        sys.exit(f"build-wheel: RECORD and the archive list different files: {sorted(set(recorded) ^ names)}")
PY

mkdir -p dist
name=$(basename "$work"/out/*.whl)
cp "$work/out/$name" "dist/.$name.partial"
mv -f "dist/.$name.partial" "dist/$name"
echo "wheel: $name, $(stat -c %s "dist/$name") bytes"
echo "$PWD/dist/$name"
