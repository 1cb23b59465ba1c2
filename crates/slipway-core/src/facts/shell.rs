//! Shell command lines as the rules and the importers read them: the simple commands of a
//! line, the words of a command, and the tool it runs.
//!
//! Deliberately shallow, and the same for every reader: quotes, escapes, subshells and
//! here-documents are not parsed, so a separator inside quotes splits too. A design's
//! commands are one-liners (`npm ci && npm test`), where this reads them as a person would.

/// The simple commands of a line: split at every `&`, `|`, `;` and newline (so at `&&`,
/// `||`, `|`, `&` and `;`), each trimmed, empty ones dropped. Every part of a pipeline counts,
/// which is what a question like "does this line run the tests" needs.
pub fn simple_commands(line: &str) -> Vec<&str> {
    line.split(['&', '|', ';', '\n'])
        .map(str::trim)
        .filter(|command| !command.is_empty())
        .collect()
}

/// The commands of a list: split only at `&&`, `||` and `;`, each trimmed, empty ones
/// dropped. A pipeline (`a | b`), a background `&` and a newline stay inside one command, so a
/// command can be rewritten in place (`up` becomes `up && down && up`).
pub fn list_commands(line: &str) -> Vec<&str> {
    line.split("&&")
        .flat_map(|part| part.split("||"))
        .flat_map(|part| part.split(';'))
        .map(str::trim)
        .filter(|command| !command.is_empty())
        .collect()
}

/// Whether a word sets a variable for the command after it (`CI=1`, `NODE_ENV=test`); an
/// option (`--tag=x`) or a word starting with `=` does not.
pub fn is_assignment(word: &str) -> bool {
    word.split_once('=')
        .is_some_and(|(name, _)| !name.is_empty() && !name.starts_with('-'))
}

/// The words of a simple command past its leading variable assignments (`CI=1 npm test` →
/// `npm test`); everything else, `sudo` included, is kept.
pub fn past_assignments<'w, 'a>(words: &'w [&'a str]) -> &'w [&'a str] {
    let start = words
        .iter()
        .position(|word| !is_assignment(word))
        .unwrap_or(words.len());
    &words[start..]
}

/// Words that run the command after them, skipped to find the tool.
const PREFIXES: [&str; 8] = ["sudo", "{", "(", "!", "then", "do", "else", "exec"];

/// The words of a simple command without what only leads up to its tool: variable
/// assignments, `sudo`, `exec` and shell grouping (`{`, `(`, `!`, `then`, `do`, `else`).
pub fn command_words(command: &str) -> Vec<&str> {
    command
        .split_whitespace()
        .skip_while(|word| PREFIXES.contains(word) || is_assignment(word))
        .collect()
}

/// The program a word names, without its directory (`./gradlew` → `gradlew`).
pub fn program_name(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// The tool a simple command runs and its arguments, past [`command_words`]' prefixes, with
/// runners looked through: `python -m pip` counts as `pip`, `npx x`, `npx run x`, `poetry run
/// x` and `uv run x` as `x`. `None` for a command with no words.
pub fn tool_and_args(command: &str) -> Option<(&str, Vec<&str>)> {
    let words = command_words(command);
    let (first, rest) = words.split_first()?;
    let tool = program_name(first);
    match (tool, rest) {
        ("python" | "python3", ["-m", module, args @ ..]) => Some((module, args.to_vec())),
        ("npx" | "poetry" | "uv", ["run", inner, args @ ..]) => Some((inner, args.to_vec())),
        ("npx", [inner, args @ ..]) => Some((inner, args.to_vec())),
        ("kubectl" | "helm" | "oc", _) => Some((tool, subcommand_first(rest))),
        _ => Some((tool, rest.to_vec())),
    }
}

/// Global flags that take a value in the next word when written without `=`.
const GLOBAL_FLAGS_WITH_VALUE: &[&str] = &[
    "--kubeconfig",
    "--context",
    "--kube-context",
    "--cluster",
    "--user",
    "--namespace",
    "-n",
    "--server",
    "-s",
    "--token",
    "--as",
    "--request-timeout",
];

/// The arguments of `kubectl`/`helm` with the global flags written before the subcommand
/// moved after it: `--kubeconfig k rollout status x` → `rollout status x --kubeconfig k`.
fn subcommand_first<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut flags = Vec::new();
    let mut index = 0;
    while let Some(word) = args.get(index) {
        if !word.starts_with('-') {
            break;
        }
        flags.push(*word);
        index += 1;
        if GLOBAL_FLAGS_WITH_VALUE.contains(word) {
            if let Some(value) = args.get(index) {
                flags.push(*value);
                index += 1;
            }
        }
    }
    args[index..].iter().copied().chain(flags).collect()
}

/// The words of a line with the quotes around each one trimmed (`--host "0.0.0.0"` →
/// `--host`, `0.0.0.0`). A quoted text with blanks in it still gives one word per part.
pub fn unquoted_words(line: &str) -> Vec<&str> {
    line.split_whitespace()
        .map(|word| word.trim_matches(|c| c == '"' || c == '\''))
        .collect()
}

/// Whether a line hands its script to a shell: `sh -c …` (also `bash`, `ash`, `dash`, with
/// or without a directory).
pub fn shell_wrapped(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let program = program_name(words.next().unwrap_or(""));
    matches!(program, "sh" | "bash" | "ash" | "dash") && words.next() == Some("-c")
}

/// The script of `sh -c "…"` (one pair of surrounding quotes and a leading `exec ` removed),
/// or the line itself when it is not [`shell_wrapped`].
pub fn unwrap_shell(line: &str) -> String {
    if !shell_wrapped(line) {
        return line.to_owned();
    }
    let after = line
        .splitn(3, char::is_whitespace)
        .nth(2)
        .unwrap_or("")
        .trim();
    after
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .or_else(|| {
            after
                .strip_prefix('\'')
                .and_then(|rest| rest.strip_suffix('\''))
        })
        .unwrap_or(after)
        .trim_start_matches("exec ")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_flags_do_not_hide_the_subcommand() {
        assert_eq!(
            tool_and_args("kubectl --kubeconfig k rollout status deploy/api"),
            Some((
                "kubectl",
                vec!["rollout", "status", "deploy/api", "--kubeconfig", "k"]
            ))
        );
        assert_eq!(
            tool_and_args("helm --kube-context=prod upgrade --install api ./chart"),
            Some((
                "helm",
                vec![
                    "upgrade",
                    "--install",
                    "api",
                    "./chart",
                    "--kube-context=prod"
                ]
            ))
        );
        assert_eq!(
            tool_and_args("kubectl -n web apply -f k8s/"),
            Some(("kubectl", vec!["apply", "-f", "k8s/", "-n", "web"]))
        );
    }

    #[test]
    fn simple_commands_split_at_every_separator() {
        assert_eq!(
            simple_commands("npm ci && npm run lint || true; echo ok | tee x"),
            ["npm ci", "npm run lint", "true", "echo ok", "tee x"]
        );
        assert_eq!(
            simple_commands("a &&& b;;c\n\n d & e"),
            ["a", "b", "c", "d", "e"]
        );
        assert_eq!(simple_commands("echo 'a && b'"), ["echo 'a", "b'"]);
        assert!(simple_commands(" && ; |\n").is_empty());
        assert!(simple_commands("").is_empty());
    }

    /// Cutting at the first separator and skipping the whole run of separators after it reads
    /// the same pieces as splitting at each separator and dropping the empty ones.
    #[test]
    fn simple_commands_agree_with_cutting_at_separator_runs() {
        fn cut(line: &str) -> Vec<&str> {
            let is_separator = |c: char| matches!(c, '&' | '|' | ';' | '\n');
            let mut out = Vec::new();
            let mut rest = line;
            while !rest.is_empty() {
                let end = rest.find(is_separator).unwrap_or(rest.len());
                out.push(rest[..end].trim());
                rest = rest[end..].trim_start_matches(is_separator);
            }
            out.retain(|command| !command.is_empty());
            out
        }
        let alphabet = ['a', ' ', '&', '|', ';', '\n'];
        let mut lines = vec![String::new()];
        let mut level = lines.clone();
        for _ in 0..5 {
            level = level
                .iter()
                .flat_map(|line| alphabet.iter().map(move |c| format!("{line}{c}")))
                .collect();
            lines.extend(level.iter().cloned());
        }
        for line in &lines {
            assert_eq!(simple_commands(line), cut(line), "{line:?}");
        }
    }

    #[test]
    fn list_commands_keep_pipelines_and_lines() {
        assert_eq!(
            list_commands("alembic upgrade head && uvicorn app:app | tee log; x || y"),
            [
                "alembic upgrade head",
                "uvicorn app:app | tee log",
                "x",
                "y"
            ]
        );
        assert_eq!(list_commands("a\nb & c"), ["a\nb & c"]);
        assert_eq!(list_commands("a &&& b ||| c"), ["a", "& b", "| c"]);
        assert!(list_commands("&& ;; ||").is_empty());
    }

    #[test]
    fn assignments_are_told_from_options() {
        assert!(is_assignment("CI=1"));
        assert!(is_assignment("A="));
        assert!(!is_assignment("--tag=x"));
        assert!(!is_assignment("-Dx=1"));
        assert!(!is_assignment("=x"));
        assert!(!is_assignment("npm"));
        assert_eq!(
            past_assignments(&["CI=1", "A=b", "npm", "X=1"]),
            ["npm", "X=1"]
        );
        assert_eq!(past_assignments(&["sudo", "npm"]), ["sudo", "npm"]);
        assert!(past_assignments(&["A=1"]).is_empty());
    }

    #[test]
    fn command_words_skip_what_leads_to_the_tool() {
        assert_eq!(
            command_words("sudo CI=1 exec npm ci --tag=x"),
            ["npm", "ci", "--tag=x"]
        );
        assert_eq!(command_words("{ npm ci"), ["npm", "ci"]);
        assert_eq!(command_words("then ! make"), ["make"]);
        assert_eq!(command_words("--x=1 npm"), ["--x=1", "npm"]);
        assert!(command_words("sudo A=1").is_empty());
    }

    #[test]
    fn tools_are_found_through_runners() {
        assert_eq!(
            tool_and_args("python -m pip install -r r.txt"),
            Some(("pip", vec!["install", "-r", "r.txt"]))
        );
        assert_eq!(
            tool_and_args("npx playwright test"),
            Some(("playwright", vec!["test"]))
        );
        assert_eq!(tool_and_args("npx run jest"), Some(("jest", Vec::new())));
        assert_eq!(
            tool_and_args("poetry run pytest -q"),
            Some(("pytest", vec!["-q"]))
        );
        assert_eq!(
            tool_and_args("uv run ruff check"),
            Some(("ruff", vec!["check"]))
        );
        assert_eq!(
            tool_and_args("CI=1 ./node_modules/.bin/jest"),
            Some(("jest", Vec::new()))
        );
        assert_eq!(
            tool_and_args("poetry install"),
            Some(("poetry", vec!["install"]))
        );
        assert_eq!(tool_and_args("python -m"), Some(("python", vec!["-m"])));
        assert_eq!(tool_and_args("  "), None);
        assert_eq!(program_name("./gradlew"), "gradlew");
        assert_eq!(program_name("npm"), "npm");
    }

    #[test]
    fn words_lose_their_quotes() {
        assert_eq!(
            unquoted_words("uvicorn --host \"0.0.0.0\" --port '$PORT'"),
            ["uvicorn", "--host", "0.0.0.0", "--port", "$PORT"]
        );
        assert_eq!(unquoted_words("echo \"a b\""), ["echo", "a", "b"]);
    }

    #[test]
    fn shells_are_unwrapped() {
        assert!(shell_wrapped("/bin/sh -c \"x\""));
        assert!(shell_wrapped("bash -c x"));
        assert!(!shell_wrapped("bash script.sh"));
        assert!(!shell_wrapped("zsh -c x"));
        assert_eq!(
            unwrap_shell("/bin/sh -c \"exec x --port $PORT\""),
            "x --port $PORT"
        );
        assert_eq!(unwrap_shell("sh -c 'a && b'"), "a && b");
        assert_eq!(unwrap_shell("sh -c x y"), "x y");
        assert_eq!(unwrap_shell("sh -c"), "");
        assert_eq!(unwrap_shell("node a.js"), "node a.js");
    }
}
