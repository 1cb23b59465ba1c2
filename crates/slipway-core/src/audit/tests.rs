use super::audit as run;
use super::*;

fn rules_of(audit: &Audit) -> Vec<(&'static str, Option<usize>)> {
    audit
        .findings
        .iter()
        .map(|finding| (finding.finding.rule, finding.line))
        .collect()
}

#[test]
fn files_are_recognised_by_name_and_content() {
    assert_eq!(
        detect("build/Dockerfile", ""),
        Some(ArtifactKind::Dockerfile)
    );
    assert_eq!(detect("api.Dockerfile", ""), Some(ArtifactKind::Dockerfile));
    assert_eq!(
        detect("pasted", "# syntax=docker/dockerfile:1\nFROM node:20\n"),
        Some(ArtifactKind::Dockerfile)
    );
    assert_eq!(
        detect("railway.json", "{}"),
        Some(ArtifactKind::RailwayJson)
    );
    assert_eq!(
        detect("values-prod.yaml", ""),
        Some(ArtifactKind::HelmValues)
    );
    assert_eq!(
        detect("x", "replicaCount: 2\n"),
        Some(ArtifactKind::HelmValues)
    );
    assert_eq!(detect("slipway.yaml", ""), Some(ArtifactKind::Design));
    assert_eq!(detect("notes.txt", "hello"), None);
    assert_eq!(
        detect("team/orders.yaml", "name: x\n"),
        Some(ArtifactKind::Design)
    );
}

#[test]
fn a_root_dockerfile_is_reported_at_its_lines() {
    let text = "FROM node:latest\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD npm start\n";
    let audit = run("Dockerfile", text).unwrap();
    let found = rules_of(&audit);
    assert!(
        found.iter().all(|(rule, _)| rule.starts_with("DOCKER-")),
        "{found:?}"
    );
    assert!(found.contains(&("DOCKER-001", Some(1))), "{found:?}");
    assert!(
        found
            .iter()
            .any(|(rule, line)| *rule == "DOCKER-007" && *line == Some(1)),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(rule, _)| *rule == "DOCKER-003"),
        "needs the .dockerignore"
    );
}

#[test]
fn generated_files_audit_clean_where_the_design_is_clean() {
    for preset in crate::presets::all() {
        let design = (preset.build)();
        let open: Vec<&str> = rules::check(&design)
            .iter()
            .filter(|finding| !finding.waived && finding.area == Area::Docker)
            .map(|finding| finding.rule)
            .collect();
        let bundle = crate::generate::generate(&design);
        let dockerfile = run("Dockerfile", &bundle.file("Dockerfile").unwrap().contents).unwrap();
        for finding in &dockerfile.findings {
            assert!(
                open.contains(&finding.finding.rule),
                "{}: the generated Dockerfile fails {} ({}) although the design passes it",
                preset.id,
                finding.finding.rule,
                finding.finding.message
            );
        }
    }
}

#[test]
fn railway_json_is_checked_at_its_keys() {
    let text = "{\n  \"build\": { \"builder\": \"NIXPACKS\" },\n  \"deploy\": {\n    \"startCommand\": \"npm start\",\n    \"restartPolicyType\": \"ALWAYS\"\n  }\n}\n";
    let audit = run("railway.json", text).unwrap();
    assert_eq!(audit.kind, ArtifactKind::RailwayJson);
    let found = rules_of(&audit);
    assert!(!found.is_empty());
    assert!(
        found
            .iter()
            .all(|(rule, line)| rule.starts_with("RAILWAY-") && line.is_some()),
        "{found:?}"
    );
    // No health check: reported on the `deploy` section.
    let deploy_line = Some(3);
    assert!(
        found.iter().any(|(_, line)| *line == deploy_line),
        "{found:?}"
    );
}

#[test]
fn helm_values_are_checked_in_both_layouts() {
    let conventional =
        "replicaCount: 1\nimage:\n  repository: nginx\nsecurityContext: {}\nresources: {}\n";
    let audit = run("values.yaml", conventional).unwrap();
    let found = rules_of(&audit);
    for rule in ["K8S-001", "K8S-006", "K8S-007", "K8S-009"] {
        assert!(
            found.iter().any(|(id, _)| *id == rule),
            "{rule} missing: {found:?}"
        );
    }
    assert!(
        found
            .iter()
            .any(|(id, line)| *id == "K8S-009" && *line == Some(5)),
        "{found:?}"
    );
    // Slipway's own values for the node-api preset pass the same rules its design passes.
    let design = crate::presets::find("node-api").unwrap();
    let bundle = crate::generate::generate(&(design.build)());
    let values = bundle.file("charts/node-api/values.yaml").unwrap();
    let ours = run("values.yaml", &values.contents).unwrap();
    let failing: Vec<_> = rules_of(&ours);
    assert!(
        !failing.iter().any(|(rule, _)| [
            "K8S-001", "K8S-002", "K8S-003", "K8S-004", "K8S-005", "K8S-006", "K8S-007", "K8S-009"
        ]
        .contains(rule)),
        "{failing:?}"
    );
}

#[test]
fn malformed_input_gets_a_located_error() {
    let error = audit(
        "railway.json",
        "{\n  \"deploy\": {\n    \"numReplicas\": ,\n  }\n}",
    )
    .unwrap_err();
    assert_eq!(error.line, Some(3), "{error}");
    let error = run("values.yaml", "replicaCount: 1\nresources: [\n").unwrap_err();
    assert!(error.line.is_some(), "{error}");
    let error = run("Dockerfile", "FROM node:20\nCOPY\n").unwrap_err();
    assert_eq!(error.line, Some(2), "{error}");
    assert!(run("notes.txt", "hello")
        .unwrap_err()
        .message
        .contains("Dockerfile"));
    assert!(run("Dockerfile", &"#".repeat(crate::io::MAX_DESIGN_BYTES + 1)).is_err());
}

#[test]
fn truncated_files_never_panic() {
    let bundle =
        crate::generate::generate(&crate::presets::for_runtime(crate::model::Runtime::Node));
    for (name, path) in [
        ("Dockerfile", "Dockerfile"),
        ("railway.json", "railway.json"),
        ("values.yaml", "charts/app/values.yaml"),
    ] {
        let Some(file) = bundle.file(path) else {
            continue;
        };
        let text = &file.contents;
        for cut in (0..text.len())
            .step_by(7)
            .filter(|cut| text.is_char_boundary(*cut))
        {
            let _ = audit(name, &text[..cut]);
        }
    }
}
