//! Fuzzes the share-link decoder: any text, and any bytes dressed as a v1 link, must decode to
//! a typed error or a state, never panic, and a decoded state must encode and decode to itself.
#![no_main]

use base64::Engine;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        check(text);
    }
    let dressed = format!(
        "v1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data)
    );
    check(&dressed);
});

fn check(link: &str) {
    if let Ok(state) = eda_sim::view::share::decode(link) {
        let again = eda_sim::view::share::decode(&eda_sim::view::share::encode(&state));
        assert_eq!(again.as_ref(), Ok(&state), "a decoded link must round-trip");
    }
}
