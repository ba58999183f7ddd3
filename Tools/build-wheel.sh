#!/usr/bin/env bash
# Builds the Python wheel with the release runtime inside: dist/modelc-<version>-py3-none-<platform>.whl,
# so that `pip install` of that one file gives `import modelc` with no Swift and no MODELC_RUNTIME_LIB.
# The package is copied to a temporary folder with libmodelc_runtime.so beside _library.py, built
# there with `pip wheel` (setuptools, tagged by Bindings/python/setup.py), checked, then moved into
# dist/. Prints the wheel's path on the last line.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}

so=$(./Tools/build-runtime.sh | tail -2 | head -1)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir "$work/src"
cp Bindings/python/pyproject.toml Bindings/python/setup.py "$work/src/"
cp -r Bindings/python/modelc "$work/src/modelc"
find "$work/src" -name __pycache__ -prune -exec rm -rf {} +
cp "$so" "$work/src/modelc/libmodelc_runtime.so"
"$python" -m pip wheel -q --disable-pip-version-check --no-deps -w "$work/out" "$work/src" >&2

# The wheel must carry this very library, be tagged for this platform and have a valid RECORD.
"$python" - "$work/out" "$so" <<'PY'
import base64, csv, hashlib, io, pathlib, sys, sysconfig, zipfile
out, so = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
wheels = list(out.glob("*.whl"))
if len(wheels) != 1:
    sys.exit(f"build-wheel: expected one wheel in {out}, found {[w.name for w in wheels]}")
wheel = wheels[0]
platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
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
