//! Share-link fragments from any text: truncated or tampered links are refused, never a panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = slipway_core::share::decode(text);
    }
});
