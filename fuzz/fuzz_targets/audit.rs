//! Audit mode on any text under each artifact name: findings or a located error, never a panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for name in [
            "Dockerfile",
            ".dockerignore",
            ".github/workflows/ci.yml",
            "railway.json",
            "values.yaml",
            "slipway.yaml",
            "pasted",
        ] {
            let _ = slipway_core::audit::audit(name, text);
        }
    }
});
