//! Design files (YAML or JSON) from any bytes: an error, never a panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(design) = slipway_core::io::parse_design(text) {
            // A design that loads must also check and generate.
            let _ = slipway_core::check(&design);
            let _ = slipway_core::generate(&design);
        }
    }
});
