//! Design files written by every earlier schema version keep loading: each file under
//! `tests/fixtures/v<N>/` was written by a Slipway of that version and is never edited. When
//! the schema changes, add a step to `migrate.rs`, keep these files, and add the new
//! version's own fixtures.

use std::fs;
use std::path::{Path, PathBuf};

use slipway_core::model::{SecretSource, SCHEMA_VERSION};
use slipway_core::{generate, io, migrate, presets, rules, Design};

fn fixtures(version: u32) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/v{version}"));
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
}

fn load(path: &Path) -> Design {
    let text = fs::read_to_string(path).unwrap();
    io::parse_design(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn every_fixture_of_every_supported_version_loads_as_the_current_version() {
    for version in migrate::OLDEST_VERSION..=SCHEMA_VERSION {
        for path in fixtures(version) {
            let design = load(&path);
            assert_eq!(design.version, SCHEMA_VERSION, "{}", path.display());
            // Saved again, it reads back identically, and it still exports.
            let again = io::parse_design(&io::to_yaml(&design)).unwrap();
            assert_eq!(again, design, "{}", path.display());
            let json = io::parse_design(&io::to_json(&design)).unwrap();
            assert_eq!(json, design, "{}", path.display());
            assert!(!generate(&design).files.is_empty(), "{}", path.display());
        }
    }
}

#[test]
fn v1_presets_upgrade_to_what_the_same_presets_are_now() {
    for preset in presets::all() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/fixtures/v1/{}.yaml", preset.id));
        if !path.exists() {
            // Presets added after version 1 have no version 1 file.
            continue;
        }
        let upgraded = load(&path);
        let current = (preset.build)();
        // The parts version 2 changed must come out exactly as the current presets have them.
        let prefixes = |design: &Design| -> Vec<String> {
            design
                .environments
                .iter()
                .map(|environment| environment.secret_prefix.clone())
                .collect()
        };
        let keys = |design: &Design| -> Vec<String> {
            design
                .secrets
                .iter()
                .map(|secret| secret.remote_key.clone())
                .collect()
        };
        assert_eq!(prefixes(&upgraded), prefixes(&current), "{}", preset.id);
        assert_eq!(keys(&upgraded), keys(&current), "{}", preset.id);
    }
}

#[test]
fn a_hand_written_v1_design_keeps_its_secrets_per_environment() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1/hand-written.yaml");
    let design = load(&path);
    let prefixes: Vec<&str> = design
        .environments
        .iter()
        .map(|environment| environment.secret_prefix.as_str())
        .collect();
    // v1's `live/ledger/database` meant the `live` environment's key.
    assert_eq!(prefixes, ["qa", "live"]);
    let keys: Vec<(&str, SecretSource)> = design
        .secrets
        .iter()
        .map(|secret| (secret.remote_key.as_str(), secret.source))
        .collect();
    assert_eq!(
        keys,
        [
            ("ledger/database", SecretSource::AwsSecretsManager),
            ("ledger/signing", SecretSource::Vault),
            ("", SecretSource::GithubActions),
        ]
    );
    let findings = rules::check(&design);
    assert!(
        !findings.iter().any(|finding| finding.rule == "SECRETS-005"),
        "{findings:#?}"
    );
    // The chart reads each key under the environment's own prefix.
    let bundle = generate(&design);
    let live = bundle
        .file("charts/ledger/values/live.yaml")
        .expect("the live values file");
    assert!(
        live.contents.contains("keyPrefix: live"),
        "{}",
        live.contents
    );
}

#[test]
fn the_autosave_form_of_a_v1_design_loads_like_its_yaml() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1");
    assert_eq!(
        load(&dir.join("fastapi-react.autosave.json")),
        load(&dir.join("fastapi-react.yaml"))
    );
}

#[test]
fn every_preset_written_as_v2_opens_as_the_same_one_service_design() {
    for preset in presets::all() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/fixtures/v2/{}.yaml", preset.id));
        if !path.exists() {
            // Presets added after version 2 have no version 2 file.
            continue;
        }
        let upgraded = load(&path);
        let current = (preset.build)();
        if current.services.len() != 1 {
            // A preset that grew services since: its first service is the v2 one.
            assert_eq!(upgraded.services.len(), 1, "{}", preset.id);
            continue;
        }
        // Version 2 wrote the then default, release tags; SHA pins became the default later and
        // a file keeps the choice it wrote.
        let mut upgraded = upgraded;
        upgraded.pipeline.pin_actions_to_sha = current.pipeline.pin_actions_to_sha;
        // Presets that moved to GitOps delivery since: the file keeps the push delivery it had.
        for (upgraded, current) in upgraded.environments.iter_mut().zip(&current.environments) {
            upgraded.delivery = current.delivery;
        }
        assert_eq!(upgraded, current, "{}", preset.id);
    }
}

/// Every value of `old` is in `new` unchanged; `new` may have fields added since (with
/// their defaults).
fn assert_kept(old: &serde_norway::Value, new: &serde_norway::Value, path: &str) {
    match (old, new) {
        (serde_norway::Value::Mapping(old), serde_norway::Value::Mapping(new)) => {
            for (key, value) in old {
                let inner = format!("{path}.{}", key.as_str().unwrap_or("?"));
                let kept = new
                    .get(key)
                    .unwrap_or_else(|| panic!("{inner} was lost in the migration"));
                assert_kept(value, kept, &inner);
            }
        }
        _ => assert_eq!(old, new, "{path} changed in the migration"),
    }
}

#[test]
fn a_v2_design_becomes_one_service_named_after_its_project_with_nothing_lost() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v2/worker-cron.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let old: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    let design = load(&path);
    assert_eq!(design.services.len(), 1);
    let service = &design.services[0];
    let project = &old["project"];
    assert_eq!(service.name, project["name"].as_str().unwrap());
    assert_eq!(design.project.name, project["name"].as_str().unwrap());
    assert_eq!(
        design.project.description,
        project["description"].as_str().unwrap()
    );
    assert_eq!(service.directory, project["directory"].as_str().unwrap());
    assert_eq!(service.lockfile, project["lockfile"].as_str().unwrap());
    // Every setting of the old top-level sections is the service's now, value for value.
    let written: serde_norway::Value =
        serde_norway::from_str(&io::to_yaml(&design)).expect("a v3 file");
    for section in ["container", "kubernetes", "railway"] {
        assert_kept(&old[section], &written["services"][0][section], section);
        assert!(
            written.get(section).is_none(),
            "{section} is still top-level"
        );
    }
    for field in [
        "kind",
        "runtime",
        "runtime_version",
        "package_manager",
        "commands",
    ] {
        assert_eq!(written["services"][0][field], project[field], "{field}");
    }
}

#[test]
fn an_error_in_a_v2_file_is_located_in_that_file() {
    let text = "version: 2\nproject:\n  name: api\ncontainer:\n  port: many\n";
    let error = io::parse_design(text).unwrap_err();
    assert_eq!(error.line, Some(5), "{error}");
    let long = format!(
        "version: 2\nproject:\n  name: api\ncontainer:\n  env:\n    - name: {}\n      value: x\n",
        "A".repeat(2000)
    );
    let error = io::parse_design(&long).unwrap_err();
    assert_eq!(
        error.field.as_deref(),
        Some("container.env[0].name"),
        "{error}"
    );
    assert_eq!(error.line, Some(6), "{error}");
}

#[test]
fn a_design_without_services_is_refused_with_its_line() {
    let error = io::parse_design("version: 3\nproject:\n  name: api\nservices: []\n").unwrap_err();
    assert_eq!(error.field.as_deref(), Some("services"));
    assert_eq!(error.line, Some(4), "{error}");
}
