//! Reading a Dockerfile into typed stages, so the same rules that check a design check an
//! existing Dockerfile, and the container composer can edit it line by line.

use super::{located_error as error, ImportError, Located, MAX_IMPORT_BYTES};
use crate::io::LoadError;
use crate::model::Design;
use crate::model::{Instruction, Stage, StageRole};

/// A parsed stage and the line each of its instructions came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedStage {
    pub stage: Stage,
    /// 1-based line of the `FROM`.
    pub line: usize,
    /// 1-based line of each instruction, parallel to `stage.instructions`.
    pub instruction_lines: Vec<usize>,
}

/// Parses a whole Dockerfile. Continuation lines are joined; comments and parser directives
/// are skipped. Instructions before the first `FROM` (other than `ARG`) are an error.
pub fn parse(text: &str) -> Result<Vec<ParsedStage>, ImportError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(ImportError {
            line: 1,
            message: format!(
                "the file is {:.1} MB; Slipway reads Dockerfiles up to 1 MB",
                text.len() as f64 / (1024.0 * 1024.0)
            ),
        });
    }
    let mut stages: Vec<ParsedStage> = Vec::new();
    for (line, logical) in logical_lines(text) {
        let (keyword, arguments) = split_keyword(&logical);
        if keyword.eq_ignore_ascii_case("FROM") {
            let (image, name) = parse_from(arguments);
            let name = name.unwrap_or_else(|| format!("stage-{}", stages.len()));
            stages.push(ParsedStage {
                stage: Stage {
                    name,
                    image,
                    role: StageRole::Other,
                    instructions: Vec::new(),
                },
                line,
                instruction_lines: Vec::new(),
            });
            continue;
        }
        let instruction =
            parse_instruction(&logical).map_err(|message| ImportError { line, message })?;
        match stages.last_mut() {
            Some(stage) => {
                stage.stage.instructions.push(instruction);
                stage.instruction_lines.push(line);
            }
            None if keyword.eq_ignore_ascii_case("ARG") => {}
            None => {
                return Err(ImportError {
                    line,
                    message: format!("`{keyword}` comes before the first FROM"),
                })
            }
        }
    }
    if stages.is_empty() {
        return Err(ImportError {
            line: 1,
            message: "no FROM instruction: this is not a Dockerfile".to_owned(),
        });
    }
    if let Some(last) = stages.last_mut() {
        last.stage.role = StageRole::Runner;
    }
    Ok(stages)
}

/// Parses one instruction line (`COPY --from=deps /app ./`, `RUN npm ci`, ...).
pub fn parse_instruction(line: &str) -> Result<Instruction, String> {
    let (keyword, arguments) = split_keyword(line.trim());
    if keyword.is_empty() {
        return Err("the line is empty".to_owned());
    }
    if !keyword.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(format!("`{keyword}` is not a Dockerfile instruction"));
    }
    let arguments = arguments.trim();
    Ok(match keyword.to_ascii_uppercase().as_str() {
        "WORKDIR" => Instruction::Workdir {
            path: arguments.to_owned(),
        },
        "RUN" => match json_array(arguments) {
            Some(args) if args.len() == 3 && args[0].ends_with("sh") && args[1] == "-c" => {
                Instruction::Run {
                    command: args[2].clone(),
                }
            }
            Some(_) => other("RUN", arguments),
            None => Instruction::Run {
                command: arguments.to_owned(),
            },
        },
        "COPY" => parse_copy(arguments)?,
        "ENV" => {
            let (name, value) = match arguments.split_once('=') {
                Some((name, value)) if !name.contains(char::is_whitespace) => (name, value),
                _ => arguments
                    .split_once(char::is_whitespace)
                    .unwrap_or((arguments, "")),
            };
            if name.is_empty() {
                return Err("ENV needs a name".to_owned());
            }
            Instruction::Env {
                name: name.trim().to_owned(),
                value: unquote(value.trim()),
            }
        }
        "ARG" => {
            let (name, default) = arguments.split_once('=').unwrap_or((arguments, ""));
            if name.trim().is_empty() {
                return Err("ARG needs a name".to_owned());
            }
            Instruction::Arg {
                name: name.trim().to_owned(),
                default: unquote(default.trim()),
            }
        }
        "USER" => Instruction::User {
            user: arguments.to_owned(),
        },
        "EXPOSE" => {
            let first = arguments.split_whitespace().next().unwrap_or("");
            let port = first.split('/').next().unwrap_or("");
            match port.parse::<u16>() {
                Ok(port) => Instruction::Expose { port },
                Err(_) => other("EXPOSE", arguments),
            }
        }
        "HEALTHCHECK" => parse_healthcheck(arguments),
        "CMD" => match json_array(arguments) {
            Some(args) => Instruction::Cmd { args },
            None => other("CMD", arguments),
        },
        "ENTRYPOINT" => match json_array(arguments) {
            Some(args) => Instruction::Entrypoint { args },
            None => other("ENTRYPOINT", arguments),
        },
        keyword => other(keyword, arguments),
    })
}

fn other(keyword: &str, arguments: &str) -> Instruction {
    Instruction::Other {
        keyword: keyword.to_ascii_uppercase(),
        arguments: arguments.to_owned(),
    }
}

/// Joins continuation lines; returns each logical line with the number of its first line.
/// A here-document (`RUN <<EOT` … `EOT`) is part of its instruction's line: its body takes the
/// place of the `<<EOT` marker, one command a line.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    // The delimiters of the here-documents still to read, and the body read so far.
    let mut heredocs: Vec<(String, bool)> = Vec::new();
    let mut body: Vec<String> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        if let Some((delimiter, strip_tabs)) = heredocs.first() {
            let line = if *strip_tabs {
                raw.trim_start_matches('\t')
            } else {
                raw
            };
            if line.trim_end() == delimiter {
                let (delimiter, _) = heredocs.remove(0);
                if let Some((_, logical)) = out.last_mut() {
                    *logical = fill_heredoc(logical, &delimiter, &body.join("\n"));
                }
                body.clear();
            } else {
                body.push(line.trim().to_owned());
            }
            continue;
        }
        let trimmed = raw.trim();
        if current.is_empty() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        if !current.is_empty() && trimmed.starts_with('#') {
            continue;
        }
        if current.is_empty() {
            start = index + 1;
        }
        match trimmed.strip_suffix('\\') {
            Some(head) => {
                current.push_str(head.trim_end());
                current.push(' ');
            }
            None => {
                current.push_str(trimmed);
                let logical = std::mem::take(&mut current).trim().to_owned();
                heredocs = heredoc_markers(&logical);
                out.push((start, logical));
            }
        }
    }
    if !current.trim().is_empty() {
        out.push((start, current.trim().to_owned()));
    }
    out
}

/// The here-documents a logical line opens (`<<EOT`, `<<-EOT`, `<<"EOT"`), in order, each with
/// whether its body's leading tabs are stripped.
fn heredoc_markers(line: &str) -> Vec<(String, bool)> {
    line.split_whitespace()
        .filter_map(|word| {
            let marker = word.strip_prefix("<<")?;
            let (marker, strip_tabs) = match marker.strip_prefix('-') {
                Some(rest) => (rest, true),
                None => (marker, false),
            };
            let delimiter = marker.trim_matches(['"', '\'']);
            (!delimiter.is_empty()
                && delimiter
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .then(|| (delimiter.to_owned(), strip_tabs))
        })
        .collect()
}

/// A `RUN` line with a here-document's marker replaced: by its body when the marker is the
/// script itself (`RUN <<EOT`); dropped when the body is fed to a command (`RUN python3 <<EOF`).
/// Other instructions keep the marker (`COPY <<EOF /app/x` copies the body as a file).
fn fill_heredoc(line: &str, delimiter: &str, body: &str) -> String {
    let (keyword, arguments) = split_keyword(line);
    let words: Vec<&str> = arguments.split_whitespace().collect();
    let is_marker = |word: &str| {
        word.strip_prefix("<<")
            .map(|marker| marker.trim_start_matches('-').trim_matches(['"', '\'']) == delimiter)
            .unwrap_or(false)
    };
    let script = keyword.eq_ignore_ascii_case("RUN")
        && words
            .iter()
            .find(|word| !word.starts_with("--"))
            .is_some_and(|word| is_marker(word));
    if !keyword.eq_ignore_ascii_case("RUN") {
        return line.to_owned();
    }
    let replacement = if script { body } else { "" };
    let arguments: Vec<&str> = words
        .into_iter()
        .map(|word| if is_marker(word) { replacement } else { word })
        .filter(|word| !word.is_empty())
        .collect();
    format!("{keyword} {}", arguments.join(" "))
}

fn split_keyword(line: &str) -> (&str, &str) {
    line.split_once(char::is_whitespace).unwrap_or((line, ""))
}

fn parse_from(arguments: &str) -> (String, Option<String>) {
    let words: Vec<&str> = arguments
        .split_whitespace()
        .filter(|word| !word.starts_with("--"))
        .collect();
    let image = words.first().copied().unwrap_or("scratch").to_owned();
    let name = match words.as_slice() {
        [_, as_keyword, name, ..] if as_keyword.eq_ignore_ascii_case("AS") => {
            Some((*name).to_owned())
        }
        _ => None,
    };
    (image, name)
}

fn parse_copy(arguments: &str) -> Result<Instruction, String> {
    let mut from = String::new();
    let mut chown = String::new();
    let mut rest = arguments.trim();
    while let Some(flag) = rest.strip_prefix("--") {
        let (word, tail) = flag.split_once(char::is_whitespace).unwrap_or((flag, ""));
        if let Some(value) = word.strip_prefix("from=") {
            from = value.to_owned();
        } else if let Some(value) = word.strip_prefix("chown=") {
            chown = value.to_owned();
        }
        rest = tail.trim_start();
    }
    let mut paths =
        json_array(rest).unwrap_or_else(|| rest.split_whitespace().map(str::to_owned).collect());
    if paths.len() < 2 {
        return Err("COPY needs at least one source and a destination".to_owned());
    }
    let destination = paths.pop().unwrap_or_default();
    Ok(Instruction::Copy {
        from,
        sources: paths,
        destination,
        chown,
    })
}

fn parse_healthcheck(arguments: &str) -> Instruction {
    let mut settings = [30u32, 30, 0, 3];
    let mut rest = arguments.trim();
    while let Some(flag) = rest.strip_prefix("--") {
        let (word, tail) = flag.split_once(char::is_whitespace).unwrap_or((flag, ""));
        if let Some((name, value)) = word.split_once('=') {
            let seconds = value.trim_end_matches('s').parse().unwrap_or(0);
            match name {
                "interval" => settings[0] = seconds,
                "timeout" => settings[1] = seconds,
                "start-period" => settings[2] = seconds,
                "retries" => settings[3] = value.parse().unwrap_or(3),
                _ => {}
            }
        }
        rest = tail.trim_start();
    }
    let Some(command) = rest
        .strip_prefix("CMD")
        .or_else(|| rest.strip_prefix("cmd"))
        .map(str::trim)
    else {
        return other("HEALTHCHECK", arguments);
    };
    let command = json_array(command)
        .unwrap_or_else(|| vec!["/bin/sh".to_owned(), "-c".to_owned(), command.to_owned()]);
    let [interval_seconds, timeout_seconds, start_period_seconds, retries] = settings;
    Instruction::Healthcheck {
        interval_seconds,
        timeout_seconds,
        start_period_seconds,
        retries,
        command,
    }
}

fn json_array(text: &str) -> Option<Vec<String>> {
    let text = text.trim();
    if !text.starts_with('[') {
        return None;
    }
    serde_json::from_str(text).ok()
}

fn unquote(value: &str) -> String {
    let stripped = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .map(|v| v.replace("\\\"", "\"").replace("\\\\", "\\"));
    stripped.unwrap_or_else(|| value.to_owned())
}

/// The language an image is for, from its name: `golang:1.22` → Go,
/// `gcr.io/distroless/python3-debian12` → Python; `None` for other images.
pub fn runtime_of_image(image: &str) -> Option<crate::model::Runtime> {
    use crate::model::Runtime;
    let image = image.trim().to_ascii_lowercase();
    let repository = image.split(['@', ':']).next().unwrap_or("");
    let name = repository.rsplit('/').next().unwrap_or("");
    let starts = |prefixes: &[&str]| prefixes.iter().any(|prefix| name.starts_with(prefix));
    if starts(&["golang"]) {
        Some(Runtime::Go)
    } else if starts(&["rust"]) {
        Some(Runtime::Rust)
    } else if starts(&["python", "pypy"]) {
        Some(Runtime::Python)
    } else if starts(&["node", "bun"]) {
        Some(Runtime::Node)
    } else if starts(&[
        "eclipse-temurin",
        "openjdk",
        "maven",
        "gradle",
        "amazoncorretto",
        "java",
    ]) {
        Some(Runtime::Java)
    } else {
        None
    }
}

/// A Dockerfile read as a design, and whether its images name no language.
pub fn design_of(text: &str) -> Result<(Located, bool), LoadError> {
    let stages =
        parse(text).map_err(|problem| error(Some(problem.line), problem.message.clone()))?;
    let mut design = Design::default();
    let mut unknown_language = false;
    design.services[0].container.stages =
        stages.iter().map(|parsed| parsed.stage.clone()).collect();
    // The language is the one the stages' images are for (`golang` builds Go). A Dockerfile
    // on images of no known language (a database image built on `debian`, an image named by a
    // build argument) is not judged by the rules about a language's stage layout.
    let runtime = design.services[0]
        .container
        .stages
        .iter()
        .find_map(|stage| runtime_of_image(&stage.image));
    match runtime {
        Some(runtime) => {
            let service = &mut design.services[0];
            service.runtime = runtime;
            service.runtime_version = runtime.default_version().to_owned();
            service.package_manager = runtime.default_package_manager();
            service.lockfile = service.package_manager.lockfile().to_owned();
        }
        None => unknown_language = true,
    }
    // A final stage that exposes no port serves no HTTP: judge it as a worker (no HTTP
    // healthcheck is expected of it).
    let serves_http = design.services[0]
        .container
        .stages
        .last()
        .is_some_and(|stage| {
            stage
                .instructions
                .iter()
                .any(|instruction| matches!(instruction, crate::model::Instruction::Expose { .. }))
        });
    let static_server = design.services[0]
        .container
        .stages
        .last()
        .is_some_and(|stage| {
            ["nginx", "caddy", "httpd"]
                .iter()
                .any(|server| stage.image.to_ascii_lowercase().contains(server))
        });
    if static_server {
        // A web server image serving built files: a static site (no dependencies stage).
        design.services[0].kind = crate::model::ServiceKind::StaticSite;
    } else if !serves_http {
        design.services[0].kind = crate::model::ServiceKind::Worker;
    }
    let lines: Vec<(usize, Vec<usize>)> = stages
        .iter()
        .map(|parsed| (parsed.line, parsed.instruction_lines.clone()))
        .collect();
    let locate = move |field: &str| {
        let rest = field.strip_prefix("container.stages[")?;
        let (stage, rest) = rest.split_once(']')?;
        let (stage_line, instruction_lines) = lines.get(stage.parse::<usize>().ok()?)?;
        match rest
            .strip_prefix(".instructions[")
            .and_then(|rest| rest.split_once(']'))
        {
            Some((index, _)) => index
                .parse::<usize>()
                .ok()
                .and_then(|index| instruction_lines.get(index).copied())
                .or(Some(*stage_line)),
            None => Some(*stage_line),
        }
    };
    Ok(((design, Box::new(locate)), unknown_language))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::dockerfile::render_instruction;
    use crate::model::Runtime;

    #[test]
    fn every_generated_dockerfile_reads_back_as_its_stages() {
        for runtime in Runtime::ALL {
            let design = crate::presets::for_runtime(runtime);
            let stages = crate::facts::stages::resolve(&design.services[0]);
            let text = crate::generate::dockerfile::render(&design.services[0], &stages);
            let parsed = parse(&text).unwrap();
            assert_eq!(parsed.len(), stages.len());
            for (parsed, original) in parsed.iter().zip(&stages) {
                assert_eq!(
                    parsed.stage.instructions, original.instructions,
                    "{runtime:?}"
                );
            }
        }
    }

    #[test]
    fn instructions_round_trip_through_their_rendering() {
        for line in [
            "COPY --from=deps --chown=1001:1001 /app/node_modules ./node_modules",
            "RUN npm ci --omit=dev",
            "ENV NODE_ENV=\"production\"",
            "USER 1001:1001",
            "EXPOSE 3000",
            "CMD [\"node\",\"dist/main.js\"]",
            "HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 CMD [\"wget\",\"-q\"]",
        ] {
            assert_eq!(render_instruction(&parse_instruction(line).unwrap()), line);
        }
    }

    #[test]
    fn errors_are_located() {
        let error = parse("# comment\nRUN echo hi\nFROM alpine\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(parse("").is_err());
        let error = parse("FROM alpine\nCOPY onlyone\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(parse_instruction("R#N x").is_err());
    }

    #[test]
    fn continuations_and_shell_forms() {
        let stages =
            parse("FROM node:20 AS build\nRUN npm ci \\\n  && npm test\nCMD npm start\n").unwrap();
        let instructions = &stages[0].stage.instructions;
        assert_eq!(
            instructions[0],
            Instruction::Run {
                command: "npm ci && npm test".into()
            }
        );
        assert!(matches!(&instructions[1], Instruction::Other { keyword, .. } if keyword == "CMD"));
        assert_eq!(stages[0].instruction_lines, [2, 4]);
    }

    #[test]
    fn here_documents_are_part_of_their_instruction() {
        let text = "FROM golang:1.22 AS build\nRUN --mount=type=cache,target=/go/pkg/mod <<EOT\n    set -ex\n    go build -o /app .\nEOT\nCOPY <<EOF /etc/app.conf\nFROM is not an instruction here\nEOF\nRUN python3 <<-PY\n\tprint('hi')\n\tPY\nUSER 1000\n";
        let stages = parse(text).unwrap();
        assert_eq!(stages.len(), 1);
        let instructions = &stages[0].stage.instructions;
        assert_eq!(
            instructions[0],
            Instruction::Run {
                command: "--mount=type=cache,target=/go/pkg/mod set -ex\ngo build -o /app .".into()
            }
        );
        assert!(
            matches!(&instructions[1], Instruction::Other { keyword, arguments } if keyword == "COPY" || arguments.contains("/etc/app.conf"))
                || matches!(&instructions[1], Instruction::Copy { .. })
        );
        assert_eq!(
            instructions[2],
            Instruction::Run {
                command: "python3".into()
            }
        );
        assert_eq!(
            instructions[3],
            Instruction::User {
                user: "1000".into()
            }
        );
        assert_eq!(stages[0].instruction_lines, [2, 6, 9, 12]);
    }
}
