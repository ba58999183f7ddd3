#!/usr/bin/env bash
# Prints the release libmodelc_runtime.so's size and what costs its bytes: its sections, then its
# symbols grouped by family (C kernels by instruction-set variant, the C ABI, protobuf-c's
# descriptors, each Swift type or stdlib specialisation), read from an unstripped relink of the
# static library with the same export list and section garbage collection (within 1% of the
# shipped size). Tools/build-runtime.sh checks the size against its ceiling.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(./Tools/build-runtime.sh)
so=$(tail -2 <<<"$out" | head -1); a=$(tail -1 <<<"$out")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cc -shared -Wl,--gc-sections -Wl,--version-script=Bindings/c/modelc.map -Wl,--whole-archive "$a" -Wl,--no-whole-archive \
  -lzstd -lprotobuf-c -lm -o "$work/unstripped.so"
echo "libmodelc_runtime.so: $(stat -c %s "$so") bytes; sections over 1 KB:"
size -A "$so" | awk 'NR > 2 && $2 > 1024 { printf "  %-16s %9d\n", $1, $2 }' | sort -k2 -nr
nm -S -t d "$work/unstripped.so" | awk 'NF == 4 { print $2, $4 }' > "$work/symbols"
cut -d' ' -f2 "$work/symbols" | swift demangle --simplified > "$work/demangled"
.venv/bin/python - "$work/symbols" "$work/demangled" <<'PY'
import re, sys, collections
sizes = [int(line.split()[0]) for line in open(sys.argv[1])]
names = [line.rstrip("\n") for line in open(sys.argv[2])]
groups = collections.Counter()
for size, name in zip(sizes, names):
    m = re.search(r"_(avx2|avx512|portable|vnni512|vnni)$", name)
    if name.startswith("mc_"): family = "C ABI entry points (mc_*)"
    elif name.startswith("modelc__") or "descriptor" in name: family = "protobuf-c descriptors and checks"
    elif m: family = f"C kernels, {m.group(1)} variants"
    elif name.startswith("mck_") or re.match(r"(bin_rows|add_trees|margins|walk|quantize|tile)_", name): family = "C kernels, dispatch and portable"
    else:
        # "specialized static NetworkLoader.load(...)", "generic specialization <...> of Array.append(...)"
        t = re.match(r"(?:.*? of )?(?:specialized )?(?:static )?(?:\(extension in \w+\):)?(?:\w+\.)?([A-Z]\w*)\.", name)
        family = "Swift: " + (t.group(1) if t else "other (closures, thunks, globals)")
    groups[family] += size
total = sum(groups.values())
print(f"symbols by family ({total} bytes in named symbols):")
for family, size in groups.most_common(25):
    print(f"  {size:9d}  {family}")
PY
