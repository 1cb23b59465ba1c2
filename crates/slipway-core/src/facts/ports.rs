//! The ports a start command listens on and a local URL points at.

/// The port a start command listens on, and the index of the argument that holds it:
/// `--port 8000`, `--port=8000`, `-p 8000`, `--bind 0.0.0.0:8000`, `-b :8000`,
/// `--server.port=8000`, `-Dserver.port=8000`, `PORT=8000`.
pub(crate) fn listen_port<S: AsRef<str>>(args: &[S]) -> Option<(usize, u16)> {
    let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    for (index, arg) in args.iter().enumerate() {
        let arg = arg.trim_matches(|c| c == '"' || c == '\'');
        let next = args
            .get(index + 1)
            .map(|next| next.trim_matches(|c| c == '"' || c == '\''));
        match arg {
            "--port" | "-p" | "--http-port" | "--listen-port" => {
                if let Some(port) = next.and_then(|n| n.parse().ok()) {
                    return Some((index + 1, port));
                }
            }
            "--bind" | "-b" | "--listen" | "--addr" | "--host-port" => {
                if let Some(port) = next
                    .and_then(|n| n.rsplit_once(':'))
                    .and_then(|(_, p)| p.parse().ok())
                {
                    return Some((index + 1, port));
                }
            }
            _ => {}
        }
        for prefix in [
            "--port=",
            "--bind=",
            "--listen=",
            "--addr=",
            "--server.port=",
            "-Dserver.port=",
            "PORT=",
        ] {
            if let Some(value) = arg.strip_prefix(prefix) {
                let value = value.rsplit(':').next().unwrap_or(value);
                if let Ok(port) = value.parse() {
                    return Some((index, port));
                }
            }
        }
    }
    None
}

/// `text` with its trailing number replaced by `port` (`0.0.0.0:8000` → `0.0.0.0:3000`).
pub(crate) fn replace_trailing_number(text: &str, port: u16) -> String {
    let digits = text.chars().rev().take_while(char::is_ascii_digit).count();
    format!("{}{port}", &text[..text.len() - digits])
}

/// The port of a local URL (`http://127.0.0.1:3000/health` → 3000).
pub(crate) fn url_port(text: &str) -> Option<u16> {
    let (_, rest) = text.split_once("://")?;
    let authority = rest.split('/').next()?;
    authority.rsplit_once(':')?.1.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_command_ports_are_found() {
        assert_eq!(
            listen_port(&["uvicorn", "app:app", "--port", "8000"]),
            Some((3, 8000))
        );
        assert_eq!(
            listen_port(&["gunicorn", "--bind", "0.0.0.0:8080"]),
            Some((2, 8080))
        );
        assert_eq!(
            listen_port(&["java", "-Dserver.port=9000", "-jar", "a.jar"]),
            Some((1, 9000))
        );
        assert_eq!(listen_port(&["uvicorn", "--port", "$PORT"]), None);
        assert_eq!(listen_port(&["node", "dist/main.js"]), None);
        assert_eq!(
            replace_trailing_number("0.0.0.0:8000", 3000),
            "0.0.0.0:3000"
        );
    }

    #[test]
    fn local_url_ports_are_found() {
        assert_eq!(url_port("http://127.0.0.1:3000/health"), Some(3000));
        assert_eq!(url_port("http://localhost/health"), None);
    }
}
