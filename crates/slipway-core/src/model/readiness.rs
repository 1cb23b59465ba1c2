use serde::{Deserialize, Serialize};

/// Cross-cutting production-readiness settings (docs/rules.md#production-readiness) that the
/// ingress, the application middleware or the CDN apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Readiness {
    /// Redirect HTTP to HTTPS at every public entry point.
    pub https_redirect: bool,
    /// `Strict-Transport-Security`.
    pub hsts: bool,
    /// `Content-Security-Policy`.
    pub content_security_policy: bool,
    /// `X-Frame-Options: DENY`.
    pub frame_options: bool,
    /// Origins allowed by CORS; empty allows none (same-origin only).
    pub cors_origins: Vec<String>,
    /// CORS requests may carry cookies or credentials.
    pub cors_allow_credentials: bool,
    /// Requests per second one client may make to public endpoints; 0 means no limit.
    pub rate_limit_rps: u32,
    /// Static assets are served from a CDN whose cache the deploy invalidates.
    pub cdn: bool,
    /// The feature-flag service the code asks before it runs a new feature, so that deploying
    /// a version and releasing its features are separate steps (CHK-016). Additive in schema
    /// version 3: older files read `none`.
    pub feature_flags: FlagProvider,
}

/// A feature-flag service: the code ships dark and a flag releases it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum FlagProvider {
    /// No flags: a deploy releases everything it contains.
    #[default]
    None,
    #[serde(rename = "launchdarkly")]
    LaunchDarkly,
    Unleash,
    Flagsmith,
    #[serde(rename = "growthbook")]
    GrowthBook,
    /// flagd, OpenFeature's own flag daemon, read through the OpenFeature SDK.
    Flagd,
}

impl Default for Readiness {
    fn default() -> Self {
        Readiness {
            https_redirect: true,
            hsts: true,
            content_security_policy: true,
            frame_options: true,
            cors_origins: Vec::new(),
            cors_allow_credentials: false,
            rate_limit_rps: 20,
            cdn: true,
            feature_flags: FlagProvider::None,
        }
    }
}
