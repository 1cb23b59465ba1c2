//! The `slipway` binary end to end: output, files written and exit statuses.

use std::path::PathBuf;
use std::process::{Command, Output};

fn slipway(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_slipway"))
        .args(args)
        .output()
        .expect("run slipway")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh scratch folder for one test, removed when the test is done with it.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = PathBuf;

    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

impl AsRef<std::path::Path> for Scratch {
    fn as_ref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("slipway-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn presets_lists_every_preset() {
    let output = slipway(&["presets"]);
    assert!(output.status.success());
    for id in ["node-api", "fastapi-react", "go-service", "static-site"] {
        assert!(stdout(&output).contains(id), "{}", stdout(&output));
    }
}

#[test]
fn export_writes_a_folder_and_a_zip() {
    let dir = scratch("export");
    let folder = dir.join("out");
    let output = slipway(&[
        "export",
        "--preset",
        "go-service",
        "--out",
        folder.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let dockerfile = std::fs::read_to_string(folder.join("Dockerfile")).unwrap();
    assert!(dockerfile.contains("FROM golang:"));
    assert!(folder.join("slipway.yaml").exists());

    let zip = dir.join("bundle.zip");
    let output = slipway(&[
        "export",
        "--preset",
        "go-service",
        "--out",
        zip.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(std::fs::read(&zip).unwrap().starts_with(b"PK\x03\x04"));

    let again = dir.join("again.zip");
    slipway(&[
        "export",
        "--preset",
        "go-service",
        "--out",
        again.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&zip).unwrap(), std::fs::read(&again).unwrap());
}

#[test]
fn export_of_a_design_file_round_trips() {
    let dir = scratch("roundtrip");
    let out = dir.join("first");
    slipway(&[
        "export",
        "--preset",
        "fastapi-react",
        "--out",
        out.to_str().unwrap(),
    ]);
    let design = out.join("slipway.yaml");
    let second = dir.join("second");
    let output = slipway(&[
        "export",
        design.to_str().unwrap(),
        "--out",
        second.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(out.join("backend/Dockerfile")).unwrap(),
        std::fs::read_to_string(second.join("backend/Dockerfile")).unwrap()
    );
}

#[test]
fn an_unknown_preset_is_bad_input() {
    let output = slipway(&["export", "--preset", "nope", "--out", "/tmp/never"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unknown preset `nope`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn lint_exit_status_follows_the_findings() {
    let dir = scratch("lint");
    let clean = write(
        &dir,
        "clean.yaml",
        "version: 1\nproject:\n  name: api\nwaivers:\n- rule: PIPELINE-020\n  reason: deploys are announced by the platform bot\n- rule: PIPELINE-021\n  reason: integration and end-to-end suites run in the release repository\n- rule: BRANCH-005\n  reason: dev keeps merge commits\n- rule: BRANCH-007\n  reason: the security scan is advisory on dev\n- rule: ROLLOUT-010\n  reason: rolling updates without unavailability are enough here\n",
    );
    let output = slipway(&["lint", &clean]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));

    let root = write(
        &dir,
        "root.yaml",
        "version: 1\ncontainer:\n  user:\n    uid: 0\n",
    );
    let output = slipway(&["lint", &root]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("DOCKER-001"),
        "{}",
        stdout(&output)
    );

    let output = slipway(&["lint", "--format", "json", &root]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json[0]["findings"][0]["rule"], "DOCKER-001");
}

#[test]
fn lint_errors_name_the_file_line_and_field() {
    let dir = scratch("bad");
    let bad = write(&dir, "bad.yaml", "version: 1\ncontainer:\n  port: eighty\n");
    let output = slipway(&["lint", &bad]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains(&format!("{bad}:3:")), "{message}");
    assert!(message.contains("container.port"), "{message}");

    let missing = dir.join("missing.yaml");
    let output = slipway(&["lint", missing.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn names_over_their_limits_are_bad_input_with_their_line() {
    let dir = scratch("names");
    let long = "j".repeat(2000);
    let text = format!("version: 1\npipeline:\n  jobs:\n  - id: {long}\n    kind: test\n");
    let design = write(&dir, "slipway.yaml", &text);
    for command in ["lint", "export"] {
        let mut args = vec![command, design.as_str()];
        let out = dir.join("out");
        if command == "export" {
            args.extend(["--out", out.to_str().unwrap()]);
        }
        let output = slipway(&args);
        assert_eq!(output.status.code(), Some(2), "{command}");
        let message = stderr(&output);
        assert!(
            message.contains(&format!(
                "{design}:4: pipeline.jobs[0].id: this job id is 2000 characters long"
            )),
            "{message}"
        );
        assert!(!out.exists());
    }

    let text = "version: 1\ncontainer:\n  env:\n  - name: \"DATABASE URL\\nX\"\n    value: x\n";
    let design = write(&dir, "newline.yaml", text);
    let output = slipway(&["lint", &design]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains(&format!(
            "{design}:4: container.env[0].name: this environment variable name holds a line break"
        )),
        "{message}"
    );
}

#[test]
fn rules_and_explain_document_every_rule() {
    let output = slipway(&["rules", "--json"]);
    let rules: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let ids: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"DOCKER-001"));
    for id in ids {
        let output = slipway(&["explain", id]);
        assert!(output.status.success());
        assert!(stdout(&output).contains("Why:"));
    }
    assert_eq!(slipway(&["explain", "NOPE-999"]).status.code(), Some(2));
}

/// A design whose only finding is a critical one: the final image runs as root.
const ROOT_DESIGN: &str =
    "version: 1\nproject:\n  name: api\n  runtime: node\ncontainer:\n  user:\n    uid: 0\n";

#[test]
fn fail_on_sets_the_lowest_failing_severity() {
    let dir = scratch("fail-on");
    let design = write(&dir, "root.yaml", ROOT_DESIGN);
    let status = |fail_on: &str| {
        slipway(&["lint", "--fail-on", fail_on, &design])
            .status
            .code()
    };
    assert_eq!(status("critical"), Some(1));
    assert_eq!(status("low"), Some(1));
    assert_eq!(status("none"), Some(0));
    // A design whose open findings are all below `high` passes `--fail-on high`.
    let mut clean = std::fs::read_to_string(&design).unwrap();
    clean = clean.replace("uid: 0", "uid: 1001");
    let clean = write(&dir, "clean.yaml", &clean);
    let lint = slipway(&["lint", "--format", "json", &clean]);
    let report: serde_json::Value = serde_json::from_slice(&lint.stdout).unwrap();
    let severe = report[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["severity"] == "critical" || f["severity"] == "high");
    let expected = if severe { 1 } else { 0 };
    assert_eq!(
        slipway(&["lint", "--fail-on", "high", &clean])
            .status
            .code(),
        Some(expected)
    );
    assert_eq!(
        slipway(&["lint", "--fail-on", "bogus", &clean])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn sarif_output_is_a_valid_code_scanning_log() {
    let dir = scratch("sarif");
    let design = write(&dir, "root.yaml", ROOT_DESIGN);
    let output = slipway(&["lint", "--format", "sarif", &design]);
    assert_eq!(output.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 50);
    assert!(rules.iter().all(|rule| rule["id"].is_string()
        && rule["shortDescription"]["text"].is_string()
        && rule["defaultConfiguration"]["level"].is_string()));
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|result| result["ruleId"] == "DOCKER-001")
        .expect("DOCKER-001 result");
    assert_eq!(result["level"], "error");
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "DOCKER-001");
    let location = &result["locations"][0]["physicalLocation"];
    assert!(location["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .ends_with("root.yaml"));
    // `container.user.uid` is on line 7 of the (version 1) design: the first service's.
    assert_eq!(location["region"]["startLine"], 7);
    assert_eq!(
        result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "services[0].container.user.uid"
    );
    assert!(result["message"]["text"].as_str().unwrap().len() > 10);
}

#[test]
fn sarif_rules_come_from_the_registry_with_levels_and_security_severity() {
    let dir = scratch("sarif-rules");
    let design = write(&dir, "root.yaml", ROOT_DESIGN);
    let output = slipway(&["lint", "--format", "sarif", "--fail-on", "none", &design]);
    assert_eq!(output.status.code(), Some(0));
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "slipway");
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    let catalog: serde_json::Value =
        serde_json::from_slice(&slipway(&["rules", "--json"]).stdout).unwrap();
    let catalog = catalog.as_array().unwrap();
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), catalog.len());
    for (rule, doc) in rules.iter().zip(catalog) {
        assert_eq!(rule["id"], doc["id"]);
        assert_eq!(rule["name"], doc["name"]);
        assert_eq!(rule["shortDescription"]["text"], doc["title"]);
        assert_eq!(rule["fullDescription"]["text"], doc["what"]);
        let help = rule["help"]["text"].as_str().unwrap();
        assert!(help.contains(doc["why"].as_str().unwrap()), "{help}");
        let severity = doc["severity"].as_str().unwrap();
        let expected_level = match severity {
            "critical" | "high" => "error",
            "medium" => "warning",
            _ => "note",
        };
        assert_eq!(
            rule["defaultConfiguration"]["level"], expected_level,
            "{}",
            doc["id"]
        );
        let properties = &rule["properties"];
        let tagged_security = properties["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|tag| tag == "security");
        match severity {
            "critical" | "high" => {
                let score: f64 = properties["security-severity"]
                    .as_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                let floor = if severity == "critical" { 9.0 } else { 7.0 };
                assert!(score >= floor && score <= 10.0, "{}", doc["id"]);
                assert!(tagged_security, "{}", doc["id"]);
            }
            _ => {
                assert!(
                    properties.get("security-severity").is_none(),
                    "{}",
                    doc["id"]
                );
                assert!(!tagged_security, "{}", doc["id"]);
            }
        }
    }
    // Every result names a rule, a level matching its severity, a message and the file.
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(result["message"]["text"].is_string());
        let location = &result["locations"][0]["physicalLocation"];
        assert!(location["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("root.yaml"));
        // A region, when present, has a real 1-based line.
        if let Some(region) = location.get("region") {
            assert!(region["startLine"].as_u64().unwrap() >= 1);
        }
    }
}

#[test]
fn sarif_reports_waived_findings_as_suppressed() {
    let dir = scratch("sarif-waived");
    let design = write(
        &dir,
        "waived.yaml",
        &format!("{ROOT_DESIGN}waivers:\n- rule: DOCKER-001\n  reason: the base image drops root itself\n"),
    );
    let output = slipway(&[
        "lint",
        "--format",
        "sarif",
        "--fail-on",
        "critical",
        &design,
    ]);
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let result = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|result| result["ruleId"] == "DOCKER-001")
        .expect("DOCKER-001 result");
    assert_eq!(result["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        result["suppressions"][0]["justification"],
        "the base image drops root itself"
    );
}

#[test]
fn new_writes_a_design_and_refuses_to_overwrite() {
    let dir = scratch("new");
    let path = dir.join("deploy/slipway.yaml");
    let path = path.to_str().unwrap();
    let output = slipway(&["new", "--preset", "go-service", "--out", path]);
    assert!(output.status.success(), "{}", stderr(&output));
    let lint = slipway(&["lint", "--fail-on", "none", path]);
    assert_eq!(lint.status.code(), Some(0), "{}", stderr(&lint));
    let again = slipway(&["new", "--preset", "go-service", "--out", path]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("--force"));
    let forced = slipway(&["new", "--preset", "node-api", "--out", path, "--force"]);
    assert!(forced.status.success());
    assert!(std::fs::read_to_string(path).unwrap().contains("node-api"));
    let unknown = slipway(&["new", "--preset", "nope", "--out", path, "--force"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("fastapi-react"));
}

#[test]
fn diff_reports_changed_files_and_exits_by_whether_they_differ() {
    let dir = scratch("diff");
    let old = write(
        &dir,
        "old.yaml",
        "version: 1\nproject:\n  name: api\n  runtime: node\n",
    );
    let same = write(
        &dir,
        "same.yaml",
        "version: 1\nproject:\n  name: api\n  runtime: node\n",
    );
    let new = write(
        &dir,
        "new.yaml",
        "version: 1\nproject:\n  name: api\n  runtime: node\ncontainer:\n  port: 8081\n",
    );
    let identical = slipway(&["diff", &old, &same]);
    assert_eq!(identical.status.code(), Some(0));
    assert!(stdout(&identical).contains("identical"));
    let changed = slipway(&["diff", &old, &new]);
    assert_eq!(changed.status.code(), Some(1));
    let text = stdout(&changed);
    // A summary line per file, then a unified diff with hunk headers.
    assert!(text.starts_with("changed "), "{text}");
    assert!(text.contains("changed Dockerfile (+"), "{text}");
    assert!(
        text.contains("--- a/Dockerfile\n+++ b/Dockerfile\n@@ -"),
        "{text}"
    );
    assert!(text.contains("\n+EXPOSE 8081\n"), "{text}");
    assert!(text.contains("\n-EXPOSE 3000\n"), "{text}");
    assert!(!text.contains("added "), "{text}");

    let bad = write(&dir, "bad.yaml", "version: 1\ncontainer:\n  port: [x\n");
    let output = slipway(&["diff", &old, &bad]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("bad.yaml:4"),
        "{}",
        stderr(&output)
    );
    let missing = dir.join("missing.yaml");
    let output = slipway(&["diff", missing.to_str().unwrap(), &old]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("missing.yaml"),
        "{}",
        stderr(&output)
    );
    assert_eq!(slipway(&["diff", &old]).status.code(), Some(2));
}

#[test]
fn diff_lists_added_and_removed_files() {
    let dir = scratch("diff-files");
    let (web, worker) = (dir.join("web.yaml"), dir.join("worker.yaml"));
    let (web, worker) = (web.to_str().unwrap(), worker.to_str().unwrap());
    slipway(&["new", "--preset", "node-api", "--out", web]);
    slipway(&["new", "--preset", "worker-cron", "--out", worker]);
    // A cron worker has no Helm chart and no deploy workflow: those files go.
    let output = slipway(&["diff", web, worker]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("removed .github/workflows/deploy.yml (+0 -"),
        "{text}"
    );
    assert!(
        text.contains("--- a/.github/workflows/deploy.yml\n+++ /dev/null\n@@ -1,"),
        "{text}"
    );
    // And the other way round they are added, whole.
    let output = slipway(&["diff", worker, web]);
    let text = stdout(&output);
    assert!(
        text.contains("added   .github/workflows/deploy.yml (+"),
        "{text}"
    );
    assert!(
        text.contains("--- /dev/null\n+++ b/.github/workflows/deploy.yml\n@@ -0,0 +1,"),
        "{text}"
    );
}

#[test]
fn completions_exist_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = slipway(&["completions", shell]);
        assert!(output.status.success(), "{shell}");
        assert!(stdout(&output).contains("slipway"), "{shell}");
        assert!(stdout(&output).contains("lint"), "{shell}");
        assert!(stdout(&output).contains("fail-on"), "{shell}");
        // These shells complete option values too.
        if ["bash", "zsh", "fish"].contains(&shell) {
            assert!(stdout(&output).contains("critical"), "{shell}");
        }
    }
    assert_eq!(slipway(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn every_command_has_a_manual_style_help() {
    let commands = [
        "presets",
        "new",
        "export",
        "lint",
        "diff",
        "rules",
        "explain",
        "completions",
    ];
    let mut invocations: Vec<Vec<&str>> = vec![vec!["--help"]];
    invocations.extend(commands.iter().map(|command| vec![*command, "--help"]));
    for args in invocations {
        let output = slipway(&args);
        assert!(output.status.success(), "{args:?}");
        let text = stdout(&output);
        let sections = ["DESCRIPTION:", "Usage:", "EXAMPLES:", "EXIT STATUS:"];
        let positions: Vec<usize> = sections
            .iter()
            .map(|section| {
                text.find(section)
                    .unwrap_or_else(|| panic!("{args:?} {section}: {text}"))
            })
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "{args:?}: {text}"
        );
        assert!(text.contains("  0  "), "{args:?}: {text}");
    }
    // `-h` stays a short summary.
    let short = stdout(&slipway(&["lint", "-h"]));
    assert!(
        !short.contains("EXAMPLES:") && !short.contains("DESCRIPTION:"),
        "{short}"
    );
    // The exit statuses that a command can return are the ones its manual lists.
    let lint = stdout(&slipway(&["lint", "--help"]));
    for status in ["  0  ", "  1  ", "  2  "] {
        assert!(lint.contains(status), "{lint}");
    }
    assert!(lint.contains("[default: low]"), "{lint}");
    let diff = stdout(&slipway(&["diff", "--help"]));
    assert!(diff.contains("  1  the bundles differ"), "{diff}");
}

#[test]
fn lint_audits_existing_artifacts_with_line_numbers() {
    let dir = scratch("audit");
    let dockerfile = write(
        &dir,
        "Dockerfile",
        "FROM node:latest\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD npm start\n",
    );
    let output = slipway(&["lint", &dockerfile]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("Dockerfile:1: DOCKER-001"), "{text}");
    let values = write(
        &dir,
        "values.yaml",
        "replicaCount: 1\nsecurityContext: {}\nresources: {}\n",
    );
    let json = slipway(&["lint", "--format", "json", &values]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report[0]["kind"], "Helm values");
    assert!(report[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|finding| finding["rule"] == "K8S-009" && finding["line"] == 3));
    let broken = write(
        &dir,
        "railway.json",
        "{\n  \"deploy\": {\n    \"numReplicas\": ,\n  }\n}",
    );
    let output = slipway(&["lint", &broken]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("railway.json:3"),
        "{}",
        stderr(&output)
    );
    let unknown = write(&dir, "notes.txt", "hello");
    assert_eq!(slipway(&["lint", &unknown]).status.code(), Some(2));
}

/// Runs slipway in `dir`.
fn slipway_in(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_slipway"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run slipway")
}

#[test]
fn every_command_reading_a_design_names_the_file_line_and_field() {
    let dir = scratch("located");
    let good = write(&dir, "good.yaml", "version: 1\nproject:\n  name: api\n");
    let cases = [
        // Malformed YAML: bad indentation, an unterminated string.
        (
            "indent.yaml",
            "version: 1\nproject:\n  name: api\n   runtime: node\n",
            ":4:",
            "",
        ),
        (
            "quote.yaml",
            "version: 1\nproject:\n  name: \"api\n  runtime: node\n",
            ":5:",
            "",
        ),
        // Well-formed, but wrong for the schema.
        (
            "unknown.yaml",
            "version: 1\nproject:\n  name: api\ncontainer:\n  portt: 1\n",
            ":5:3:",
            " container: unknown field `portt`",
        ),
        (
            "variant.yaml",
            "version: 1\npipeline:\n  jobs:\n  - id: a\n    kind: nonsense\n",
            ":5:11:",
            " pipeline.jobs[0].kind: unknown variant `nonsense`",
        ),
    ];
    for (name, text, position, field) in cases {
        let bad = write(&dir, name, text);
        let expected = format!("{bad}{position}{field}");
        let out = dir.join(format!("{name}.out"));
        for args in [
            vec!["lint", bad.as_str()],
            vec!["export", bad.as_str(), "--out", out.to_str().unwrap()],
            vec!["diff", good.as_str(), bad.as_str()],
        ] {
            let output = slipway(&args);
            assert_eq!(output.status.code(), Some(2), "{args:?}");
            assert!(
                stderr(&output).contains(&expected),
                "{args:?}: {}",
                stderr(&output)
            );
            assert!(stdout(&output).is_empty(), "{args:?}");
        }
        assert!(!out.exists(), "nothing is exported from a bad design");
    }
}

#[test]
fn a_design_from_a_newer_schema_is_refused() {
    let dir = scratch("newer");
    let newer = write(&dir, "newer.yaml", "version: 99\nproject:\n  name: api\n");
    let out = dir.join("out");
    for args in [
        vec!["lint", newer.as_str()],
        vec!["export", newer.as_str(), "--out", out.to_str().unwrap()],
        vec!["diff", newer.as_str(), newer.as_str()],
    ] {
        let output = slipway(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let message = stderr(&output);
        assert!(
            message.contains(&format!("{newer}: version: ")) && message.contains("newer Slipway"),
            "{args:?}: {message}"
        );
    }
    assert!(!out.exists());
}

#[test]
fn missing_files_are_named_and_are_bad_input() {
    let dir = scratch("missing");
    let missing = dir.join("absent.yaml");
    let missing = missing.to_str().unwrap();
    let good = write(&dir, "good.yaml", "version: 1\n");
    let out = dir.join("out");
    for args in [
        vec!["lint", missing],
        vec!["lint", good.as_str(), missing],
        vec!["export", missing, "--out", out.to_str().unwrap()],
        vec!["diff", good.as_str(), missing],
    ] {
        let output = slipway(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(&format!("slipway: {missing}: ")),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn usage_errors_are_bad_input() {
    for args in [
        vec!["frobnicate"],
        vec![],
        vec!["lint"],
        vec!["lint", "--format", "xml", "slipway.yaml"],
        vec!["new"],
        vec!["export", "--out", "/tmp/never"],
        vec!["diff", "only-one.yaml"],
        vec!["explain"],
        vec!["completions"],
    ] {
        let output = slipway(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!stderr(&output).is_empty(), "{args:?}");
    }
    // The presets and rules listings always succeed.
    assert_eq!(slipway(&["presets"]).status.code(), Some(0));
    assert_eq!(slipway(&["rules"]).status.code(), Some(0));
    assert_eq!(slipway(&["--version"]).status.code(), Some(0));
}

#[test]
fn export_that_cannot_write_is_bad_input() {
    let dir = scratch("unwritable");
    // A file where the output folder should be.
    let blocker = write(&dir, "out", "not a folder");
    let output = slipway(&[
        "export",
        "--preset",
        "go-service",
        "--out",
        &format!("{blocker}/bundle"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot write"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn fail_on_fails_exactly_on_open_findings_at_or_above_the_threshold() {
    let dir = scratch("fail-on-presets");
    let rank = |severity: &str| match severity {
        "critical" => 0,
        "high" => 1,
        "medium" => 2,
        "low" => 3,
        other => panic!("unknown severity {other}"),
    };
    let mut exercised = [false; 2];
    for preset in ["node-api", "go-service", "worker-cron", "static-site"] {
        let path = dir.join(format!("{preset}.yaml"));
        let path = path.to_str().unwrap();
        assert!(slipway(&["new", "--preset", preset, "--out", path])
            .status
            .success());
        // Drop the preset's waivers, so open findings of several severities remain.
        let text = std::fs::read_to_string(path).unwrap();
        let text = match text.find("\nwaivers:") {
            Some(index) => text[..index + 1].to_owned(),
            None => text,
        };
        std::fs::write(path, text).unwrap();
        let report = slipway(&["lint", "--format", "json", "--fail-on", "none", path]);
        assert_eq!(report.status.code(), Some(0));
        let report: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
        let open: Vec<usize> = report[0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|finding| finding["waived"] == false)
            .map(|finding| rank(finding["severity"].as_str().unwrap()))
            .collect();
        for (threshold, name) in ["critical", "high", "medium", "low"].iter().enumerate() {
            let fails = open.iter().any(|&severity| severity <= threshold);
            exercised[usize::from(fails)] = true;
            let status = slipway(&["lint", "--fail-on", name, path]).status.code();
            assert_eq!(status, Some(i32::from(fails)), "{preset} --fail-on {name}");
        }
        // The default is `low`: any open finding fails, as before --fail-on existed.
        let default = slipway(&["lint", path]).status.code();
        assert_eq!(default, Some(i32::from(!open.is_empty())), "{preset}");
        // Every output format fails the same way.
        for format in ["json", "sarif"] {
            let status = slipway(&["lint", "--format", format, path]).status.code();
            assert_eq!(status, default, "{preset} {format}");
        }
    }
    assert_eq!(exercised, [true, true], "both outcomes are tested");
}

#[test]
fn new_writes_slipway_yaml_in_the_current_folder_by_default() {
    let dir = scratch("new-default");
    let output = slipway_in(&dir, &["new", "--preset", "static-site"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written = std::fs::read_to_string(dir.join("slipway.yaml")).unwrap();
    assert!(written.starts_with("# Slipway design"), "{written}");
    // What `new` writes is a design every command reads.
    let lint = slipway_in(&dir, &["lint", "--fail-on", "none", "slipway.yaml"]);
    assert_eq!(lint.status.code(), Some(0), "{}", stderr(&lint));
    let before = std::fs::read(dir.join("slipway.yaml")).unwrap();
    let again = slipway_in(&dir, &["new", "--preset", "node-api"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("slipway.yaml exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read(dir.join("slipway.yaml")).unwrap(),
        before,
        "untouched"
    );
    // An unknown preset lists every preset and writes nothing.
    let unknown = slipway_in(&dir, &["new", "--preset", "cobol", "--out", "other.yaml"]);
    assert_eq!(unknown.status.code(), Some(2));
    let message = stderr(&unknown);
    for id in [
        "node-api",
        "fastapi-react",
        "go-service",
        "rust-service",
        "java-spring",
        "worker-cron",
        "static-site",
    ] {
        assert!(message.contains(id), "{message}");
    }
    assert!(!dir.join("other.yaml").exists());
}

/// `slipway diff` prints patches without "\ No newline at end of file" markers, which is
/// right only while every generated file ends with a newline.
#[test]
fn every_generated_file_ends_with_a_newline_so_diffs_apply() {
    let dir = scratch("newlines");
    let presets = stdout(&slipway(&["presets"]));
    for preset in presets
        .lines()
        .filter_map(|line| line.split_whitespace().next())
    {
        let out = dir.join(preset);
        let output = slipway(&["export", "--preset", preset, "--out", out.to_str().unwrap()]);
        assert!(output.status.success(), "{}", stderr(&output));
        let mut folders = vec![out];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    let bytes = std::fs::read(&path).unwrap();
                    assert!(
                        bytes.is_empty() || bytes.ends_with(b"\n"),
                        "{} has no final newline",
                        path.display()
                    );
                }
            }
        }
    }
}

#[test]
fn upgrade_rewrites_older_designs_and_check_reports_them() {
    let dir = scratch("upgrade");
    let fixtures = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../slipway-core/tests/fixtures/v1"
    );
    let v1_text = std::fs::read_to_string(format!("{fixtures}/hand-written.yaml")).unwrap();
    let yaml = write(&dir, "slipway.yaml", &v1_text);
    let json_text =
        std::fs::read_to_string(format!("{fixtures}/fastapi-react.autosave.json")).unwrap();
    let json = write(&dir, "design.json", &json_text);

    let check = slipway(&["upgrade", "--check", &yaml, &json]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    assert!(stderr(&check).contains("version 1"), "{}", stderr(&check));
    assert_eq!(
        std::fs::read_to_string(&yaml).unwrap(),
        v1_text,
        "--check writes nothing"
    );

    let upgrade = slipway(&["upgrade", &yaml, &json]);
    assert_eq!(upgrade.status.code(), Some(0), "{}", stderr(&upgrade));
    let upgraded = std::fs::read_to_string(&yaml).unwrap();
    assert!(
        upgraded.starts_with("# A v1 design as a person writes it"),
        "the header stays"
    );
    assert!(upgraded.contains("version: 3\n"), "{upgraded}");
    assert!(upgraded.contains("services:\n"), "{upgraded}");
    assert!(
        upgraded.contains("remote_key: ledger/database"),
        "{upgraded}"
    );
    assert!(upgraded.contains("secret_prefix: live"), "{upgraded}");
    assert_eq!(
        std::fs::read_to_string(format!("{yaml}.v1.bak")).unwrap(),
        v1_text
    );
    let upgraded_json = std::fs::read_to_string(&json).unwrap();
    assert!(
        upgraded_json.trim_start().starts_with('{') && upgraded_json.contains("\"version\": 3")
    );

    let again = slipway(&["upgrade", "--check", &yaml, &json]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(stderr(&again).contains("already version 3"));

    let newer = write(&dir, "newer.yaml", "version: 99\n");
    assert_eq!(slipway(&["upgrade", &newer]).status.code(), Some(2));
    let missing = dir.join("missing.yaml");
    assert_eq!(
        slipway(&["upgrade", missing.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn simulate_reports_each_job_as_json() {
    let dir = scratch("simulate");
    let design = dir.join("slipway.yaml");
    let design = design.to_str().unwrap();
    assert!(
        slipway(&["new", "--preset", "fastapi-react", "--out", design])
            .status
            .success()
    );
    let output = slipway(&[
        "simulate",
        design,
        "--event",
        "push",
        "--branch",
        "main",
        "--changed",
        "backend/app/main.py",
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let jobs = report["jobs"].as_array().unwrap();
    let lint = jobs
        .iter()
        .find(|job| job["id"] == "backend-lint")
        .expect("the backend lint job");
    assert_eq!(lint["runs"], true);
    assert_eq!(lint["service"], "api", "{lint}");
    let build = jobs.iter().find(|job| job["id"] == "build").unwrap();
    assert!(
        build["service"].is_null(),
        "a job of the whole repository: {build}"
    );
    assert!(
        lint["cache_key"].as_str().unwrap().contains("hashFiles"),
        "{lint}"
    );
    assert!(lint["reason"]
        .as_str()
        .is_some_and(|reason| !reason.is_empty()));
    // A change outside both services' folders runs neither service's checks (the repository's
    // jobs still run: the build has nothing to build, and the gate reports).
    let output = slipway(&[
        "simulate",
        design,
        "--event",
        "push",
        "--branch",
        "main",
        "--changed",
        "docs/x.md",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let service_jobs: Vec<&serde_json::Value> = report["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|job| !job["service"].is_null())
        .collect();
    assert!(!service_jobs.is_empty());
    for job in service_jobs {
        assert_eq!(job["runs"], false, "{job}");
        assert!(
            job["reason"].as_str().unwrap().contains("`changes` job"),
            "{job}"
        );
    }
    assert_eq!(
        slipway(&["simulate", design, "--event", "release"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn import_reads_a_folder_into_a_design_and_reports_on_stderr() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/repos/compose-worker-app"
    );
    let output = slipway(&["import", fixture, "--out", "-"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let design = slipway_core::io::parse_design(&stdout(&output)).unwrap();
    let names: Vec<&str> = design.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["vote", "result", "worker", "seed"]);
    let report = stderr(&output);
    assert!(
        report.contains("vote/Dockerfile:29: mapped: port 80"),
        "{report}"
    );
    assert!(
        report.contains("docker-compose.yml:54: not mapped: service `redis`"),
        "{report}"
    );

    let dir = scratch("import");
    let out = dir.join("slipway.yaml");
    let out = out.to_str().unwrap();
    assert!(slipway(&["import", fixture, "--out", out]).status.success());
    let again = slipway(&["import", fixture, "--out", out]);
    assert_eq!(again.status.code(), Some(2), "an existing file is kept");
    assert!(stderr(&again).contains("--force"));
}

#[test]
fn import_of_unreadable_input_is_bad_input() {
    let dir = scratch("import-bad");
    let missing = dir.join("nothing-here");
    let output = slipway(&["import", missing.to_str().unwrap(), "--out", "-"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot read"),
        "{}",
        stderr(&output)
    );
    let zip = write(&dir, "repo.zip", "PK\u{3}\u{4} truncated");
    let output = slipway(&["import", &zip, "--out", "-"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("not a readable .zip"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn export_patch_against_a_repository_applies_with_git() {
    let dir = scratch("patch");
    let repository = dir.join("repo");
    std::fs::create_dir_all(repository.join(".github/workflows")).unwrap();
    std::fs::write(repository.join("README.md"), "# Our service\n").unwrap();
    std::fs::write(
        repository.join(".github/workflows/old.yml"),
        "on: push\njobs: {}\n",
    )
    .unwrap();
    let patch = dir.join("out.patch");
    let output = slipway(&[
        "export",
        "--preset",
        "node-api",
        "--patch-against",
        repository.to_str().unwrap(),
        "--out",
        patch.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report = stderr(&output);
    assert!(
        report.contains(".github/workflows/old.yml: no longer generated"),
        "{report}"
    );
    assert!(report.contains("docs/slipway/README.md: new"), "{report}");
    let text = std::fs::read_to_string(&patch).unwrap();
    assert!(text.contains("+++ b/.github/workflows/ci.yml"));
    assert!(
        !text.contains("a/README.md"),
        "the repository's README is kept"
    );
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(&repository)
            .output()
    };
    if git(&["init", "-q"]).is_err() {
        eprintln!("git is not installed: the patch was not applied");
        return;
    }
    let applied = git(&["apply", patch.to_str().unwrap()]).unwrap();
    assert!(applied.status.success(), "{}", stderr(&applied));
    assert!(repository.join("docs/slipway/README.md").exists());
    assert_eq!(
        std::fs::read_to_string(repository.join("README.md")).unwrap(),
        "# Our service\n"
    );
}

#[test]
fn lint_of_a_repository_judges_its_files_and_the_whole() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/repos/chart-based-service"
    );
    let output = slipway(&["lint", fixture, "--format", "json", "--fail-on", "none"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let files: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let found = |path_end: &str, rule: &str| {
        files.as_array().unwrap().iter().any(|file| {
            file["path"].as_str().unwrap().ends_with(path_end)
                && file["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f["rule"] == rule)
        })
    };
    // Each values file by the Kubernetes rules, the Dockerfile by the Docker rules; the
    // missing .dockerignore is the repository's, placed at the image it is about.
    assert!(found("charts/podinfo/values.yaml", "K8S-001"));
    assert!(found("/Dockerfile", "DOCKER-003"));
    // govulncheck in cve-scan.yml is the security job: the repository is not told it has none.
    assert!(!found("e2e.yml", "PIPELINE-005") && !found("test.yml", "PIPELINE-005"));
}
