#!/usr/bin/env bash
# One line to print beside every benchmark figure: the CPU (lscpu), whether it has each
# instruction set the runtime's kernels dispatch on, and the variant they pick on it (the rules of
# Sources/CModelcKernels/isa.c: avx512-vnni, avx512, avx2-vnni, avx2, portable).
set -euo pipefail
info=$(lscpu)
field() { awk -F: -v k="$1" '$1 == k { sub(/^[ \t]+/, "", $2); print $2; exit }' <<<"$info"; }
flags=" $(field Flags) "
has() { [[ $flags == *" $1 "* ]]; }
list=""
for f in avx2 avx512f avx512vl avx512_vnni avx_vnni avx512_bf16 amx_bf16; do
  if has "$f"; then list+=" $f"; else list+=" no-$f"; fi
done
variant=portable
if has avx2; then variant=avx2; has avx_vnni && variant=avx2-vnni; fi
if has avx2 && has avx512f; then variant=avx512; has avx512vl && has avx512_vnni && variant=avx512-vnni; fi
echo "cpu: $(field 'Model name') (family $(field 'CPU family') model $(field 'Model')), $(nproc) CPUs;$list; kernels: $variant"
