//! No generated file mentions a file its bundle lacks: a README that says "deploys live in
//! deploy.yml" when the bundle has no `deploy.yml` sends the user looking for nothing.
//!
//! A reference is a path-like word of the generated text (`.github/workflows/deploy.yml`,
//! `deploy.yml`, `charts/app/values/production.yaml`, `values/<env>.yaml`, `railway.json`)
//! whose file name is one Slipway generates for some design under test. It resolves when a file
//! of the same bundle has that path, or ends with it after a `/` (a path relative to its folder,
//! `values/production.yaml` in `charts/app/`); `<…>` stands for any one path segment part.

use crate::bundle::Bundle;
use crate::model::Design;
use std::collections::BTreeSet;

/// The designs under test: every preset, the blank design and a design with two services,
/// each with Kubernetes, Railway and Terraform in every combination of on and off (for every
/// service alike, and for the second service only).
fn designs() -> Vec<(String, Design)> {
    let mut bases: Vec<(String, Design)> = crate::presets::all()
        .iter()
        .map(|preset| (preset.id.to_owned(), (preset.build)()))
        .collect();
    bases.push(("blank".to_owned(), crate::presets::blank()));
    bases.push((
        "two services".to_owned(),
        crate::generate::tests::two_service_design(),
    ));
    let mut designs = Vec::new();
    for (name, base) in bases {
        for mask in 0..8u8 {
            let mut design = base.clone();
            for service in &mut design.services {
                service.kubernetes.enabled = mask & 1 != 0;
                service.railway.enabled = mask & 2 != 0;
            }
            design.infrastructure.enabled = mask & 4 != 0;
            let label = format!(
                "{name} (kubernetes {}, railway {}, terraform {})",
                on(mask & 1 != 0),
                on(mask & 2 != 0),
                on(design.infrastructure.enabled)
            );
            if design.services.len() > 1 {
                let mut mixed = design.clone();
                mixed.services[0].kubernetes.enabled = !mixed.services[0].kubernetes.enabled;
                mixed.services[0].railway.enabled = !mixed.services[0].railway.enabled;
                designs.push((format!("{label}, first service flipped"), mixed));
            }
            designs.push((label, design));
        }
    }
    designs
}

fn on(enabled: bool) -> &'static str {
    if enabled {
        "on"
    } else {
        "off"
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Path-like words: runs of path characters (placeholders `<env>` included), without the
/// punctuation that ends a sentence and without a leading `./`.
fn words(text: &str) -> impl Iterator<Item = &str> {
    let path_char =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '_' | '-' | '<' | '>');
    text.split(move |c: char| !path_char(c))
        .map(|word| word.trim_end_matches(['.', '/']))
        .map(|word| word.trim_start_matches("../").trim_start_matches("./"))
        .map(|word| word.trim_start_matches('/'))
        .filter(|word| {
            !without_placeholders(word)
                .trim_matches(['.', '/'])
                .is_empty()
        })
}

/// `word` without its `<…>` placeholders: `values/<env>.yaml` is `values/.yaml`, `<sha>` is
/// nothing (a placeholder alone names no file).
fn without_placeholders(word: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in word.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether `pattern` (with `<…>` placeholders) matches `text` exactly.
fn matches(pattern: &str, text: &str) -> bool {
    match pattern.find('<') {
        None => pattern == text,
        Some(start) => {
            let Some(length) = pattern[start..].find('>') else {
                return pattern == text;
            };
            let (prefix, rest) = (&pattern[..start], &pattern[start + length + 1..]);
            let Some(tail) = text.strip_prefix(prefix) else {
                return false;
            };
            (1..=tail.len())
                .filter(|end| tail.is_char_boundary(*end))
                .take_while(|end| !tail[..*end].contains('/'))
                .any(|end| matches(rest, &tail[end..]))
        }
    }
}

/// Whether `reference` names `path`: the whole path, or its end after a `/`.
fn names(reference: &str, path: &str) -> bool {
    path.char_indices()
        .filter(|(index, c)| *index == 0 || *c == '/')
        .map(|(index, c)| if c == '/' { &path[index + 1..] } else { path })
        .any(|suffix| matches(reference, suffix))
}

/// Whether `word` names what the deploy workflow writes on a GitOps environment's deploy
/// branch (`deploy/<environment>`): the branch itself and the image pins in `releases/`,
/// which no bundle holds so that exporting again never undoes a promotion.
fn on_deploy_branch(word: &str) -> bool {
    word.starts_with("releases/") || word.starts_with("deploy/")
}

/// The references of a bundle's text (the design file excepted: it is the user's own text)
/// to files of `known`, and those that name no file of the bundle.
fn dangling(bundle: &Bundle, known: &BTreeSet<String>) -> Vec<String> {
    let names_known = |word: &str| {
        known
            .iter()
            .any(|path| matches(file_name(word), file_name(path)))
    };
    let mut missing = Vec::new();
    for file in bundle
        .files
        .iter()
        .filter(|file| file.path != "slipway.yaml")
    {
        for word in words(&file.contents) {
            if file_name(word).is_empty() || !names_known(word) || on_deploy_branch(word) {
                continue;
            }
            if !bundle.paths().any(|path| names(word, path)) {
                let line = format!("{} mentions `{word}`", file.path);
                if !missing.contains(&line) {
                    missing.push(line);
                }
            }
        }
    }
    missing
}

#[test]
fn no_generated_file_mentions_a_file_the_bundle_lacks() {
    let bundles: Vec<(String, Bundle)> = designs()
        .into_iter()
        .map(|(label, design)| (label, crate::generate(&design)))
        .collect();
    let known: BTreeSet<String> = bundles
        .iter()
        .flat_map(|(_, bundle)| bundle.paths().map(str::to_owned))
        .collect();
    let failures: Vec<String> = bundles
        .iter()
        .flat_map(|(label, bundle)| {
            dangling(bundle, &known)
                .into_iter()
                .map(move |line| format!("{label}: {line}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn references_resolve_by_path_end_and_placeholder() {
    assert!(names("deploy.yml", ".github/workflows/deploy.yml"));
    assert!(names(
        ".github/workflows/deploy.yml",
        ".github/workflows/deploy.yml"
    ));
    assert!(!names("loy.yml", ".github/workflows/deploy.yml"));
    assert!(names(
        "values/<env>.yaml",
        "charts/app/values/production.yaml"
    ));
    assert!(names(
        "charts/app/values/<env>.yaml",
        "charts/app/values/production.yaml"
    ));
    assert!(!names("values/<env>.yaml", "charts/app/values.yaml"));
    assert!(!names("values/<env>.yaml", "charts/app/values/x/y.yaml"));
    let words: Vec<&str> =
        words("Commit `.github/workflows/ci.yml`. See ./deploy.yml, then values/<env>.yaml.")
            .collect();
    assert!(words.contains(&".github/workflows/ci.yml"));
    assert!(words.contains(&"deploy.yml"));
    assert!(words.contains(&"values/<env>.yaml"));
    let mut known = BTreeSet::new();
    known.insert(".github/workflows/deploy.yml".to_owned());
    let bundle = crate::generate(&crate::presets::blank());
    assert!(
        bundle.file(".github/workflows/deploy.yml").is_none(),
        "the blank design deploys nothing"
    );
    let fake = Bundle {
        files: vec![crate::bundle::GeneratedFile::new(
            "README.md",
            crate::bundle::Syntax::Markdown,
            "Deploys live in deploy.yml.".to_owned(),
        )],
    };
    assert_eq!(dangling(&fake, &known), ["README.md mentions `deploy.yml`"]);
}

#[test]
fn the_blank_design_says_plainly_that_nothing_deploys() {
    let bundle = crate::generate(&crate::presets::blank());
    let readme = &bundle.file("README.md").unwrap().contents;
    assert!(
        readme.contains("**Nothing deploys this design:**"),
        "{readme}"
    );
    assert!(readme.contains("| PIPELINE-022 |"), "{readme}");
    assert!(!readme.contains("the deploy workflow runs"), "{readme}");
    let mut checks_only = crate::presets::blank();
    checks_only.services[0].kubernetes.enabled = false;
    let readme = crate::generate(&checks_only)
        .file("README.md")
        .unwrap()
        .contents
        .clone();
    assert!(
        readme.contains("neither Kubernetes nor Railway is a target"),
        "{readme}"
    );
    for preset in crate::presets::all() {
        let readme = crate::generate(&(preset.build)())
            .file("README.md")
            .unwrap()
            .contents
            .clone();
        assert!(!readme.contains("Nothing deploys"), "{}", preset.id);
    }
}
