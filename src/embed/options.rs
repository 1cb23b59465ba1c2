//! Launch options read from the page address, for links, workshops and portals that embed
//! Slipway: `?preset=go-service&theme=dark&readonly=1&workshop=1&panels=designer,findings`
//! `&view=files&embed=https://portal.example.com`.

use slipway_core::presets;

/// The three panels of the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panels {
    pub editor: bool,
    pub designer: bool,
    pub findings: bool,
}

impl Default for Panels {
    fn default() -> Self {
        Panels {
            editor: true,
            designer: true,
            findings: true,
        }
    }
}

/// What the address asks for. Anything it gets wrong is listed in `problems` and ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaunchOptions {
    /// A preset to open instead of the saved design.
    pub preset: Option<&'static str>,
    /// `light` or `dark`; the user's own choice otherwise.
    pub theme: Option<&'static str>,
    /// No edits from the user; a host page may still load designs.
    pub read_only: bool,
    /// Open the guided exercises.
    pub workshop: bool,
    pub panels: Panels,
    /// The view tab to show first (`pipeline`, `system`, `container`, `rollout`, `environments`, `files`, …).
    pub view: Option<String>,
    /// Origins of host pages allowed to drive this frame with `postMessage`. Non-empty means
    /// embedded: the frame keeps its design to itself (no autosave shared with the standalone
    /// app), so a host can never read a design the user made elsewhere.
    pub embed_origins: Vec<String>,
    pub problems: Vec<String>,
}

const VIEWS: &[&str] = &[
    "pipeline",
    "system",
    "container",
    "rollout",
    "environments",
    "files",
    "rules",
    "checklist",
    "audit",
];

impl LaunchOptions {
    /// Parses a query string (with or without its leading `?`).
    pub fn parse(query: &str) -> Self {
        let mut options = LaunchOptions::default();
        let query = query.strip_prefix('?').unwrap_or(query);
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim();
            match key.as_ref() {
                "preset" => match presets::find(value) {
                    Some(preset) => options.preset = Some(preset.id),
                    None => options.problems.push(format!(
                        "There is no preset called “{}”. Presets: {}.",
                        shorten(value),
                        presets::all()
                            .iter()
                            .map(|p| p.id)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                },
                "theme" => match value {
                    "light" => options.theme = Some("light"),
                    "dark" => options.theme = Some("dark"),
                    _ => options.problems.push(format!(
                        "Unknown theme “{}”: use light or dark.",
                        shorten(value)
                    )),
                },
                "readonly" => options.read_only = is_on(value),
                "workshop" => options.workshop = is_on(value),
                "view" => match VIEWS.iter().find(|view| **view == value) {
                    Some(view) => options.view = Some((*view).to_owned()),
                    None => options.problems.push(format!(
                        "Unknown view “{}”: use one of {}.",
                        shorten(value),
                        VIEWS.join(", ")
                    )),
                },
                "panels" => {
                    let wanted: Vec<&str> = value.split(',').map(str::trim).collect();
                    let panels = Panels {
                        editor: wanted.contains(&"editor"),
                        designer: wanted.contains(&"designer"),
                        findings: wanted.contains(&"findings"),
                    };
                    if panels.editor || panels.designer || panels.findings {
                        options.panels = panels;
                    } else {
                        options.problems.push(format!(
                            "“panels={}” names no panel: use editor, designer and/or findings.",
                            shorten(value)
                        ));
                    }
                }
                "embed" => {
                    for origin in value.split(',').map(str::trim).filter(|o| !o.is_empty()) {
                        match normalise_origin(origin) {
                            Some(origin) => options.embed_origins.push(origin),
                            None => options.problems.push(format!(
                                "“{}” is not an origin (scheme://host[:port]); messages from it are ignored.",
                                shorten(origin)
                            )),
                        }
                    }
                }
                _ => {}
            }
        }
        options
    }

    /// Whether a host page drives this frame.
    pub fn embedded(&self) -> bool {
        !self.embed_origins.is_empty()
    }
}

fn is_on(value: &str) -> bool {
    matches!(value, "" | "1" | "true" | "yes" | "on")
}

/// `https://Portal.example.com:443/` → `https://portal.example.com`; `None` for anything that
/// is not a plain http(s) origin (paths, `*`, `null`, credentials, other schemes).
pub fn normalise_origin(text: &str) -> Option<String> {
    let (scheme, rest) = text.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => "443",
        "http" => "80",
        _ => return None,
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest).to_ascii_lowercase();
    if authority.is_empty() || authority.contains(['/', '?', '#', '@', '*', ' ']) {
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority.as_str(), None),
    };
    // Host names and IPv4 addresses; IPv6 literals are not accepted.
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    if !host_ok {
        return None;
    }
    match port {
        None => Some(format!("{scheme}://{host}")),
        Some(port) if port == default_port => Some(format!("{scheme}://{host}")),
        Some(port)
            if !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Some(format!("{scheme}://{host}:{port}"))
        }
        Some(_) => None,
    }
}

fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_is_read() {
        let options = LaunchOptions::parse(
            "?preset=go-service&theme=dark&readonly=1&workshop&panels=designer,findings&view=files&embed=https%3A%2F%2Fportal.example.com",
        );
        assert_eq!(options.preset, Some("go-service"));
        assert_eq!(options.theme, Some("dark"));
        assert!(options.read_only && options.workshop);
        assert_eq!(
            options.panels,
            Panels {
                editor: false,
                designer: true,
                findings: true
            }
        );
        assert_eq!(options.view.as_deref(), Some("files"));
        assert_eq!(options.embed_origins, ["https://portal.example.com"]);
        assert!(options.problems.is_empty(), "{:?}", options.problems);
    }

    #[test]
    fn no_query_means_the_standalone_app() {
        let options = LaunchOptions::parse("");
        assert_eq!(options, LaunchOptions::default());
        assert!(!options.embedded());
    }

    #[test]
    fn mistakes_are_reported_and_ignored() {
        let options = LaunchOptions::parse(
            "preset=nope&theme=pink&view=x&panels=&embed=*,https://ok.example,javascript:alert(1)",
        );
        assert_eq!(options.preset, None);
        assert_eq!(options.theme, None);
        assert_eq!(options.panels, Panels::default());
        assert_eq!(options.embed_origins, ["https://ok.example"]);
        assert_eq!(options.problems.len(), 6, "{:?}", options.problems);
        assert!(options.problems[0].contains("node-api"));
    }

    #[test]
    fn origins_are_normalised_or_refused() {
        assert_eq!(
            normalise_origin("HTTPS://Portal.Example.com:443/").as_deref(),
            Some("https://portal.example.com")
        );
        assert_eq!(
            normalise_origin("http://127.0.0.1:8081").as_deref(),
            Some("http://127.0.0.1:8081")
        );
        for bad in [
            "*",
            "null",
            "https://",
            "https://a.example/path",
            "https://u@a.example",
            "ftp://a.example",
            "https://a.example:99999x",
        ] {
            assert_eq!(normalise_origin(bad), None, "{bad}");
        }
    }
}
