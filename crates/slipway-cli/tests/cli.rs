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

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("slipway-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
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
        std::fs::read_to_string(out.join("Dockerfile")).unwrap(),
        std::fs::read_to_string(second.join("Dockerfile")).unwrap()
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
        "version: 1\nproject:\n  name: api\nwaivers:\n- rule: PIPELINE-020\n  reason: deploys are announced by the platform bot\n- rule: BRANCH-005\n  reason: dev keeps merge commits\n- rule: BRANCH-007\n  reason: the security scan is advisory on dev\n- rule: ROLLOUT-010\n  reason: rolling updates without unavailability are enough here\n",
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
