# Sourced by the scripts that make the release build (serve.sh, test.sh, bench-browser.sh): the
# environment Trunk's `cargo build --release` runs in. Not executable on its own.
#
# The release .wasm is built with the nightly toolchain (the same one cargo-fuzz uses) so that
# the standard library is compiled with the app instead of taken prebuilt:
# - build-std with `optimize_for_size` compiles std for size, with its small sort and formatting
#   code (about 10 KB gzip less than the prebuilt std, which is optimised for speed);
# - `-Zlocation-detail=none` leaves the file/line/column of every possible panic out of the
#   binary (about 9 KB gzip);
# - `-Cpanic=immediate-abort` stops at a panic with a trap, without formatting its message or
#   running the panic hook (about 12 KB gzip: the panic machinery and every call site's message
#   arguments). The page's crash panel (index.html) still appears, naming the trap; debug builds
#   and the tests keep full panic messages.
# Everything else (clippy, the native and wasm-bindgen tests) uses the stable toolchain.
export PATH="$PWD/tools/node_modules/binaryen/bin:$PATH"
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"
export RUSTUP_TOOLCHAIN=nightly
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zlocation-detail=none -Zunstable-options -Cpanic=immediate-abort"
