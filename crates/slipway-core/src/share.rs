//! Share links: the whole design, compressed, in the URL fragment (`#d=...`), so it never
//! reaches a server. Decoding refuses tampered, truncated or oversized links with a clear
//! message and never panics.

use std::io::{Read, Write};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;

use crate::io::{parse_design, to_json, LoadError, MAX_DESIGN_BYTES};
use crate::model::Design;

/// The fragment key that carries a design.
pub const FRAGMENT_KEY: &str = "d=";

/// Links longer than this are refused before decoding (browsers cap URLs around 2 MB).
pub const MAX_LINK_CHARS: usize = 2 * 1024 * 1024;

/// The design as a URL-safe fragment value: deflated JSON in unpadded base64url.
pub fn encode(design: &Design) -> String {
    let json = to_json(design);
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(json.as_bytes());
    let compressed = encoder.finish().unwrap_or_default();
    URL_SAFE_NO_PAD.encode(compressed)
}

/// The design in a fragment (`#d=...`, `d=...` or the bare value).
pub fn decode(fragment: &str) -> Result<Design, LoadError> {
    let value = fragment.trim().trim_start_matches('#');
    let value = value.strip_prefix(FRAGMENT_KEY).unwrap_or(value);
    if value.len() > MAX_LINK_CHARS {
        return Err(problem("the share link is too long to be a Slipway design"));
    }
    if value.is_empty() {
        return Err(problem("the share link carries no design"));
    }
    let compressed = URL_SAFE_NO_PAD
        .decode(value.trim_end_matches('='))
        .map_err(|_| {
            problem(
                "the share link is damaged: it is not valid base64url (was it cut off or edited?)",
            )
        })?;
    let mut json = Vec::new();
    DeflateDecoder::new(compressed.as_slice())
        .take(MAX_DESIGN_BYTES as u64 + 1)
        .read_to_end(&mut json)
        .map_err(|_| {
            problem("the share link is damaged: its data does not decompress (was it cut off?)")
        })?;
    if json.len() > MAX_DESIGN_BYTES {
        return Err(problem(
            "the share link expands beyond the design size limit",
        ));
    }
    let text = String::from_utf8(json)
        .map_err(|_| problem("the share link is damaged: it does not contain text"))?;
    parse_design(&text).map_err(|error| LoadError {
        message: format!("the shared design is invalid: {}", error.message),
        line: None,
        column: None,
        ..error
    })
}

fn problem(message: &str) -> LoadError {
    LoadError {
        line: None,
        column: None,
        field: None,
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    #[test]
    fn every_preset_survives_a_share_link() {
        for preset in presets::all() {
            let design = (preset.build)();
            let link = encode(&design);
            assert!(link
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
            assert_eq!(
                decode(&format!("#d={link}")).unwrap(),
                design,
                "{}",
                preset.id
            );
        }
    }

    #[test]
    fn truncated_and_tampered_links_are_refused() {
        let link = encode(&(presets::all()[1].build)());
        assert!(decode(&link[..link.len() / 2]).is_err());
        assert!(decode(&format!("{link}!!")).is_err());
        let mut tampered: Vec<char> = link.chars().collect();
        tampered[10] = if tampered[10] == 'A' { 'B' } else { 'A' };
        let tampered: String = tampered.into_iter().collect();
        assert!(decode(&tampered).is_err());
        assert!(decode("").is_err());
        assert!(decode("#d=").is_err());
    }

    #[test]
    fn a_decompression_bomb_is_refused() {
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
        encoder
            .write_all(&vec![b' '; MAX_DESIGN_BYTES * 2])
            .unwrap();
        let link = URL_SAFE_NO_PAD.encode(encoder.finish().unwrap());
        assert!(decode(&link).unwrap_err().message.contains("limit"));
    }
}
