//! EDA Playground's user interface (Yew). Only this crate touches the DOM; every rule of the
//! simulation lives in `eda-sim`, and every rule of the page's state in [`state`].

pub mod app;
pub mod components;
pub mod export;
pub mod human_time;
pub mod i18n;
pub mod motion;
pub mod playback;
pub mod shared;
pub mod state;

pub use app::App;

/// Keeps a panic's message (with its place in the source) for the page's crash panel (a script
/// in `index.html`), which appears when the program stops with a WebAssembly trap, as it does
/// after every panic, in the release build too. Set through Yew, whose renderer would otherwise
/// replace it with its own console hook.
pub fn install_panic_hook() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = info.to_string();
        if let Some(window) = web_sys::window() {
            let _ = js_sys::Reflect::set(&window, &"edaPanicMessage".into(), &message.into());
        }
    }));
}

/// Panics with `message`, as a bug would: the end-to-end tests call it (as
/// `window.wasmBindings.edaPanicForTests`) to check that a panic in the served release build
/// reaches the crash panel with its message. It changes nothing else.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = edaPanicForTests)]
pub fn panic_for_tests(message: String) {
    panic!("{message}");
}

/// The wasm's allocator: talc instead of the standard library's dlmalloc, about 2 KB gzip
/// smaller, with the same seek and frame times in the browser benchmark.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
