use crate::facts::ports::listen_port;
use crate::model::{Design, Service};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::settings::{exec_form, railway, start_commands};
use crate::facts::shell::{shell_wrapped, unquoted_words, unwrap_shell};

pub struct BindPortEnv;

const LOOPBACK: [&str; 3] = ["127.0.0.1", "localhost", "::1"];

fn uses_port_variable(line: &str) -> bool {
    line.contains("$PORT") || line.contains("${PORT")
}

/// The words of a start command, quotes trimmed, without a shell wrapper.
fn start_words(line: &str) -> Vec<String> {
    unquoted_words(&unwrap_shell(line))
        .into_iter()
        .map(str::to_owned)
        .collect()
}

fn binds_loopback(words: &[String]) -> bool {
    words.iter().enumerate().any(|(i, word)| {
        let value = match word.as_str() {
            "--host" | "-h" | "--bind" | "-b" | "--listen" | "--addr" => {
                words.get(i + 1).map(String::as_str)
            }
            other => other
                .strip_prefix("--host=")
                .or_else(|| other.strip_prefix("--bind="))
                .or_else(|| other.strip_prefix("--listen=")),
        };
        value.is_some_and(|value| {
            let host = value.rsplit_once(':').map_or(value, |(host, _)| host);
            LOOPBACK.contains(&host.trim_matches(|c| c == '[' || c == ']'))
        })
    })
}

fn problems(service: &Service) -> Vec<(String, String)> {
    if railway(service).is_none() || !service.kind.is_web() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for command in start_commands(service) {
        let words = start_words(&command.text);
        let fixed = listen_port(&words).map(|(_, port)| port);
        let message = if let Some(port) = fixed {
            format!(
                "The start command listens on fixed port {port}; Railway sends traffic to `$PORT`."
            )
        } else if binds_loopback(&words) {
            "The start command binds a loopback address; Railway reaches the app on 0.0.0.0."
                .to_owned()
        } else if exec_form(service)
            && uses_port_variable(&command.text)
            && !shell_wrapped(&command.text)
        {
            "The Dockerfile builder runs the start command in exec form, so `$PORT` is passed \
             literally; wrap it in `/bin/sh -c \"exec …\"`."
                .to_owned()
        } else {
            continue;
        };
        found.push((command.field, message));
    }
    found
}

impl Rule for BindPortEnv {
    const DOC: RuleDoc = RuleDoc {
        id: "RAILWAY-009",
        name: "bind-port-env",
        severity: Severity::High,
        area: Area::Railway,
        title: "On Railway the app listens on 0.0.0.0:$PORT",
        what: "The start command Railway runs binds no fixed port (`--port 8000`, `--bind \
               0.0.0.0:8000`) and no loopback host (`127.0.0.1`, `localhost`); it uses `$PORT` \
               (or the app reads PORT itself). With the Dockerfile builder Railway runs the \
               command in exec form, so a command that uses `$PORT` is wrapped in \
               `/bin/sh -c \"exec …\"` to have it expanded.",
        why: "Railway routes traffic to the port in `PORT` on the container's public interface. \
              An app on a fixed port or on loopback never receives a request, and the health \
              check fails every deploy. In exec form `$PORT` reaches the app as the literal text \
              `$PORT` and it refuses to start.",
        incorrect: "\"startCommand\": \"uvicorn app.main:app --host 127.0.0.1 --port 8000\"",
        correct: "\"startCommand\": \"/bin/sh -c \\\"exec uvicorn app.main:app --host 0.0.0.0 --port $PORT\\\"\"",
        fix: "Writes a Railway start command from the current one with the port replaced by \
              `$PORT`, the host by `0.0.0.0`, wrapped in a shell for the Dockerfile builder. \
              Unsafe: the Railway start command is replaced (the image's CMD stays).",
        source: "000 · Multi-Service Setup on Railway › Private Networking (\"Always use the PORT \
                 variable\", \"must listen on 0.0.0.0\"); railway.json Configuration › Examples \
                 (`--host 0.0.0.0 --port $PORT`)",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        problems(context.service())
            .into_iter()
            .map(|(field, message)| Violation::new(field, message))
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Listen on 0.0.0.0:$PORT",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let python = crate::presets::for_runtime(crate::model::Runtime::Python);
        let loopback = super::with_railway(|railway| {
            railway.start_command = "node dist/main.js --host 127.0.0.1".into()
        });
        let exec = super::with_railway(|railway| {
            railway.start_command = "uvicorn app.main:app --host 0.0.0.0 --port $PORT".into()
        });
        vec![python, loopback, exec]
    }
}

/// A word as the shell should see it: safe words bare, others single-quoted.
fn shell_word(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_./:=@%+,-${}".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The start command rewritten for Railway.
fn rewritten(service: &Service, line: &str) -> String {
    let mut words = start_words(line);
    if let Some((index, _)) = listen_port(&words) {
        let word = &words[index];
        let digits = word.chars().rev().take_while(char::is_ascii_digit).count();
        words[index] = format!("{}$PORT", &word[..word.len() - digits]);
    }
    for word in &mut words {
        for loopback in LOOPBACK {
            if word == loopback || word.starts_with(&format!("{loopback}:")) {
                *word = word.replacen(loopback, "0.0.0.0", 1);
            }
        }
    }
    let script = words
        .iter()
        .map(|w| shell_word(w))
        .collect::<Vec<_>>()
        .join(" ");
    if exec_form(service) && uses_port_variable(&script) {
        let escaped = script.replace('\\', "\\\\").replace('"', "\\\"");
        format!("/bin/sh -c \"exec {escaped}\"")
    } else {
        script
    }
}

fn apply(design: &mut Design, index: usize) {
    let service = &mut design.services[index];
    for (field, _) in problems(service) {
        if let Some(over) = field
            .strip_prefix("railway.overrides[")
            .and_then(|rest| rest.split(']').next())
            .and_then(|over| over.parse::<usize>().ok())
        {
            let line = service.railway.overrides[over].start_command.clone();
            service.railway.overrides[over].start_command = rewritten(service, &line);
        } else {
            let line = start_commands(service)[0].text.clone();
            service.railway.start_command = rewritten(service, &line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_for_the_presets_and_shell_wrapped_commands() {
        for preset in crate::presets::all() {
            assert!(
                fields(&BindPortEnv, &(preset.build)()).is_empty(),
                "{}",
                preset.id
            );
        }
        let mut railpack = BindPortEnv::failing_examples().remove(2);
        railpack.services[0].railway.builder = crate::model::RailwayBuilder::Railpack;
        assert!(fields(&BindPortEnv, &railpack).is_empty());
    }

    #[test]
    fn fails_on_fixed_ports_loopback_and_unexpanded_port() {
        let reported: Vec<Vec<String>> = BindPortEnv::failing_examples()
            .iter()
            .map(|design| fields(&BindPortEnv, design))
            .collect();
        assert_eq!(reported[0], ["commands.start"]);
        assert_eq!(reported[1], ["railway.start_command"]);
        assert_eq!(reported[2], ["railway.start_command"]);
    }

    #[test]
    fn the_fix_writes_a_shell_wrapped_port_command() {
        let mut design = BindPortEnv::failing_examples().remove(0);
        apply(&mut design, 0);
        assert_eq!(
            design.services[0].railway.start_command,
            "/bin/sh -c \"exec uvicorn app.main:app --host 0.0.0.0 --port $PORT\""
        );
    }

    #[test]
    fn hostile_words_stay_quoted() {
        let design = Design::default();
        let line = rewritten(&design.services[0], "node a.js --name x\";rm");
        assert_eq!(line, "node a.js --name 'x\";rm'");
    }
}
