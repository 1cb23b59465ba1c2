use crate::model::{Design, ServiceKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct CorsAllowlist;

fn valid_origin(origin: &str) -> bool {
    let origin = origin.trim();
    let rest = if let Some(rest) = origin.strip_prefix("https://") {
        rest
    } else if let Some(rest) = origin.strip_prefix("http://") {
        let host = rest.split(':').next().unwrap_or("");
        if !matches!(host, "localhost" | "127.0.0.1") {
            return false;
        }
        rest
    } else {
        return false;
    };
    !rest.is_empty()
        && !rest.contains('/')
        && !rest.contains('*')
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:".contains(c))
}

fn problems(design: &Design) -> Vec<(String, String)> {
    let serves_api = design
        .services
        .iter()
        .any(|service| service.kind == ServiceKind::WebService);
    if !serves_api {
        return Vec::new();
    }
    let readiness = &design.readiness;
    readiness
        .cors_origins
        .iter()
        .enumerate()
        .filter(|(_, origin)| !valid_origin(origin))
        .map(|(i, origin)| {
            let message = if origin.trim() == "*" {
                if readiness.cors_allow_credentials && design.production().is_some() {
                    "CORS allows every origin with credentials: any site can act with the \
                     user's session. This must not reach production."
                        .to_owned()
                } else {
                    "CORS allows every origin (`*`).".to_owned()
                }
            } else {
                format!("`{origin}` is not an origin (https://host[:port], no path).")
            };
            (format!("readiness.cors_origins[{i}]"), message)
        })
        .collect()
}

impl Rule for CorsAllowlist {
    const DOC: RuleDoc = RuleDoc {
        id: "READY-003",
        name: "cors-allowlist",
        severity: Severity::Medium,
        area: Area::Readiness,
        title: "CORS allows an explicit list of known origins",
        what: "An API's allowed CORS origins are explicit origins (`https://app.example.com`: a \
               scheme, a host, an optional port, no path; `http://` only for localhost). `*` is \
               flagged, and called out as blocking in production when credentials are allowed.",
        why: "`*` lets any web page read the API's responses from a visitor's browser. With \
              credentials the browser refuses `*` outright, so teams \"fix\" it by reflecting \
              whatever Origin arrives, which hands every site the user's session.",
        incorrect: "cors_origins: ['*']\ncors_allow_credentials: true",
        correct: "cors_origins: ['https://app.example.com']",
        fix: "Replaces the list with the origins of the design's environment URLs. Unsafe: the \
              written list is replaced.",
        source: "000 · Production Readiness Checklist › Security (\"CORS restricted to known \
                 origins\")",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        problems(context.design)
            .into_iter()
            .map(|(field, message)| Violation::new(field, message))
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Allow only known origins",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![
            super::with_readiness(|readiness| {
                readiness.cors_origins = vec!["*".into()];
                readiness.cors_allow_credentials = true;
            }),
            super::with_readiness(|readiness| {
                readiness.cors_origins = vec![
                    "https://app.example.com/".into(),
                    "http://evil.example".into(),
                ];
            }),
        ]
    }
}

/// The origin of a URL (`https://app.example.com/x` → `https://app.example.com`).
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let host = rest.split('/').next()?;
    let origin = format!("{scheme}://{host}");
    valid_origin(&origin).then_some(origin)
}

fn apply(design: &mut Design, _service: usize) {
    if problems(design).is_empty() {
        return;
    }
    let mut origins: Vec<String> = design
        .environments
        .iter()
        .filter_map(|env| origin_of(&env.url))
        .collect();
    origins.dedup();
    design.readiness.cors_origins = origins;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_known_origins() {
        assert!(fields(&CorsAllowlist, &Design::default()).is_empty());
        let design = super::super::with_readiness(|readiness| {
            readiness.cors_origins = vec![
                "https://app.example.com".into(),
                "http://localhost:5173".into(),
            ];
        });
        assert!(fields(&CorsAllowlist, &design).is_empty());
    }

    #[test]
    fn fails_on_wildcards_and_non_origins() {
        assert_eq!(
            fields(&CorsAllowlist, &CorsAllowlist::failing_examples()[0]),
            ["readiness.cors_origins[0]"]
        );
        assert_eq!(
            fields(&CorsAllowlist, &CorsAllowlist::failing_examples()[1]),
            ["readiness.cors_origins[0]", "readiness.cors_origins[1]"]
        );
    }

    #[test]
    fn the_fix_uses_the_environment_origins() {
        let mut design = CorsAllowlist::failing_examples().remove(0);
        apply(&mut design, 0);
        assert_eq!(
            design.readiness.cors_origins,
            ["https://staging.app.example.com", "https://app.example.com"]
        );
    }
}
