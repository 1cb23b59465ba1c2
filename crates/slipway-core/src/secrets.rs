//! Recognising secrets: sensitive names and secret-looking literals (docs/defaults.md#conventions).

/// Name fragments that mark a variable as sensitive. `[_-]?` variants are spelled out.
const SENSITIVE_FRAGMENTS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "api_key",
    "api-key",
    "privatekey",
    "private_key",
    "private-key",
    "accesskey",
    "access_key",
    "access-key",
    "credential",
    "dsn",
    "database_url",
    "redis_url",
    "connection_string",
];

/// Whether an env, ARG or key name looks like it holds a secret.
pub fn is_sensitive_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SENSITIVE_FRAGMENTS
        .iter()
        .any(|fragment| lower.contains(fragment))
}

/// Whether a value refers to a secret held elsewhere rather than containing one.
pub fn is_reference(value: &str) -> bool {
    let value = value.trim();
    (value.starts_with("${{") && value.ends_with("}}"))
        || value.starts_with("var.")
        || value.starts_with("valueFrom")
        || is_variable_reference(value)
}

/// `$NAME` or `${NAME}` and nothing else.
fn is_variable_reference(value: &str) -> bool {
    let Some(rest) = value.strip_prefix('$') else {
        return false;
    };
    let name = rest
        .strip_prefix('{')
        .and_then(|inner| inner.strip_suffix('}'))
        .unwrap_or(rest);
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The kind of secret a literal looks like, if any.
pub fn secret_literal_kind(value: &str) -> Option<&'static str> {
    if value.contains("-----BEGIN") {
        return Some("a PEM private key");
    }
    if has_aws_access_key(value) {
        return Some("an AWS access key id");
    }
    if has_github_token(value) {
        return Some("a GitHub token");
    }
    if has_url_password(value) {
        return Some("a URL with a password");
    }
    None
}

/// Whether `name = value` puts a secret into the open: a secret-looking literal, or any
/// non-empty literal given to a sensitive name.
pub fn exposes_secret(name: &str, value: &str) -> Option<String> {
    if let Some(kind) = secret_literal_kind(value) {
        return Some(format!("`{name}` holds {kind}"));
    }
    if is_sensitive_name(name) && !value.trim().is_empty() && !is_reference(value) {
        return Some(format!("`{name}` is a sensitive name with a literal value"));
    }
    None
}

/// Whether an exported file must not carry this value literally: generators replace it with a
/// reference to the platform's secret store (SECRETS-001), so a secret typed into the design
/// never reaches a file.
pub fn withheld(name: &str, value: &str) -> bool {
    exposes_secret(name, value).is_some()
}

/// Like [`withheld`], but a URL pointing at one of `local_hosts` (a CI service container or a
/// dev compose service) is a throwaway credential and stays as written (SECRETS-001's
/// exception for CI and dev databases).
pub fn withheld_unless_local(name: &str, value: &str, local_hosts: &[&str]) -> bool {
    withheld(name, value) && !url_host(value).is_some_and(|host| local_hosts.contains(&host))
}

/// The host of `scheme://user:password@host:port/path`, if the value is such a URL.
fn url_host(value: &str) -> Option<&str> {
    let rest = value.trim().split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = host_port.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

fn has_aws_access_key(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.windows(20).any(|window| {
        window.starts_with(b"AKIA")
            && window[4..]
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    })
}

fn has_github_token(value: &str) -> bool {
    let bytes = value.as_bytes();
    (0..bytes.len()).any(|start| {
        let rest = &bytes[start..];
        rest.len() >= 40
            && rest[0] == b'g'
            && rest[1] == b'h'
            && matches!(rest[2], b'p' | b'o' | b'u' | b's' | b'r')
            && rest[3] == b'_'
            && rest[4..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count()
                >= 36
    })
}

/// `scheme://user:password@host`, with a non-empty user and password.
fn has_url_password(value: &str) -> bool {
    value.match_indices("://").any(|(index, _)| {
        let scheme_ok = value[..index]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '+');
        let authority: &str = value[index + 3..]
            .split(|c: char| c == '/' || c.is_whitespace())
            .next()
            .unwrap_or("");
        let Some((credentials, _host)) = authority.rsplit_once('@') else {
            return false;
        };
        let Some((user, password)) = credentials.split_once(':') else {
            return false;
        };
        scheme_ok && !user.is_empty() && !password.is_empty()
    })
}

/// Files that hold secrets and must never be copied into an image.
pub fn is_secret_file(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    file == ".env"
        || file.starts_with(".env.")
        || file.ends_with(".pem")
        || file.ends_with(".key")
        || file == "id_rsa"
        || file == "id_ed25519"
}

#[cfg(test)]
mod tests {

    #[test]
    fn local_service_credentials_are_throwaway() {
        let ci = "postgresql://postgres:test@localhost:5432/test";
        assert!(withheld("DATABASE_URL", ci));
        assert!(!withheld_unless_local("DATABASE_URL", ci, &["localhost"]));
        let real = "postgres://app:s3cret@db.prod.internal:5432/app";
        assert!(withheld_unless_local(
            "DATABASE_URL",
            real,
            &["localhost", "db"]
        ));
        assert!(withheld_unless_local("API_TOKEN", "abc123", &["localhost"]));
    }

    use super::*;

    #[test]
    fn sensitive_names() {
        assert!(is_sensitive_name("DATABASE_URL"));
        assert!(is_sensitive_name("stripe_api_key"));
        assert!(is_sensitive_name("GITHUB_TOKEN"));
        assert!(!is_sensitive_name("NODE_ENV"));
        assert!(!is_sensitive_name("PORT"));
    }

    #[test]
    fn references_are_not_literals() {
        assert!(exposes_secret("API_TOKEN", "${{ secrets.API_TOKEN }}").is_none());
        assert!(exposes_secret("DATABASE_URL", "$DATABASE_URL").is_none());
        assert!(exposes_secret("DATABASE_URL", "var.database_url").is_none());
        assert!(exposes_secret("API_TOKEN", "abc123").is_some());
    }

    #[test]
    fn secret_looking_literals() {
        assert!(secret_literal_kind("postgres://app:hunter2@db:5432/app").is_some());
        assert!(secret_literal_kind("postgres://db:5432/app").is_none());
        assert!(secret_literal_kind("AKIAABCDEFGHIJKLMNOP").is_some());
        assert!(secret_literal_kind(&format!("ghp_{}", "a".repeat(36))).is_some());
        assert!(secret_literal_kind("-----BEGIN RSA PRIVATE KEY-----").is_some());
        assert!(secret_literal_kind("production").is_none());
    }

    #[test]
    fn secret_files() {
        assert!(is_secret_file(".env"));
        assert!(is_secret_file("config/.env.production"));
        assert!(is_secret_file("certs/server.pem"));
        assert!(!is_secret_file("package.json"));
    }
}
