# Sourced by Tools/fuzz.sh and Tools/sanitize.sh: compiles the runtime exactly as
# libmodelc_runtime builds it (Embedded Swift, -O, whole module) plus its C parts, with extra
# instrumentation, outside SwiftPM (which cannot build one target with different sanitizers).
#   runtime_objects DIR "SWIFTC FLAGS" "CLANG FLAGS" ["KERNEL CLANG FLAGS", default the same]
#     ->  DIR/runtime.o DIR/schema.o DIR/kernels.o (and DIR/mm: module maps of the C targets)
runtime_objects() {
  local dir=$1 swift_flags=$2 c_flags=$3 kernel_flags=${4-$3}
  mkdir -p "$dir/mm/CModelcSchema" "$dir/mm/CModelcKernels"
  echo "module CModelcSchema { header \"$PWD/Sources/CModelcSchema/include/modelc.pb-c.h\" header \"$PWD/Sources/CModelcSchema/include/modelc_checks.h\" export * }" \
    > "$dir/mm/CModelcSchema/module.modulemap"
  echo "module CModelcKernels { header \"$PWD/Sources/CModelcKernels/include/CModelcKernels.h\" export * }" \
    > "$dir/mm/CModelcKernels/module.modulemap"
  # shellcheck disable=SC2086
  swiftc -enable-experimental-feature Embedded -wmo -O -parse-as-library -module-name ModelcRuntimeEmbedded $swift_flags \
    -I "$dir/mm/CModelcSchema" -I "$dir/mm/CModelcKernels" -I Sources/CProtobufC -I Sources/CZstd \
    -Xcc -ISources/CModelcSchema/include -Xcc -ISources/CModelcKernels/include \
    -c $(find Sources/ModelcRuntime -name '*.swift' | sort) -o "$dir/runtime.o"
  # shellcheck disable=SC2086
  # The schema target's C files (generated code and the UTF-8 check), joined into one object.
  local schema=() src
  for src in Sources/CModelcSchema/*.c; do
    # shellcheck disable=SC2086
    clang -O2 -g -ffp-contract=off -fno-math-errno -Wno-psabi $c_flags -ISources/CModelcSchema/include -c "$src" \
      -o "$dir/schema-$(basename "$src" .c).o"
    schema+=("$dir/schema-$(basename "$src" .c).o")
  done
  ld -r "${schema[@]}" -o "$dir/schema.o"
  # Every C file of the kernels target, joined into one relocatable object.
  local parts=()
  # -Wno-pass-failed: under sanitizers the LSTM cell's requested vectorisation cannot apply.
  for src in Sources/CModelcKernels/*.c; do
    # shellcheck disable=SC2086
    clang -O3 -g -ffp-contract=off -fno-math-errno -Wno-psabi -Wno-pass-failed $kernel_flags -ISources/CModelcKernels/include -c "$src" \
      -o "$dir/kernel-$(basename "$src" .c).o"
    parts+=("$dir/kernel-$(basename "$src" .c).o")
  done
  ld -r "${parts[@]}" -o "$dir/kernels.o"
}
