//! Generators: pure functions from a design to files, in one explicit registry.

pub mod actions;
pub mod compose;
mod design_file;
pub mod dockerfile;
mod dockerignore;
#[cfg(test)]
mod file_references;
pub mod helm;
pub mod railway;
mod readme;
pub mod terraform;

use crate::bundle::{Bundle, GeneratedFile, Syntax};
use crate::model::Design;
pub use readme::ReadmeFinding;

/// One family of generated files.
pub struct Generator {
    pub id: &'static str,
    pub description: &'static str,
    pub generate: fn(&Design) -> Vec<GeneratedFile>,
    /// The README's steps for putting the files to use (Markdown); `None` when there is
    /// nothing to run.
    pub how_to_apply: fn(&Design) -> Option<String>,
}

fn nothing_to_run(_design: &Design) -> Option<String> {
    None
}

/// Every generator, in the order their files appear in the bundle and the preview.
pub static GENERATORS: &[Generator] = &[
    Generator {
        id: "dockerfile",
        description: "Multi-stage Dockerfile (deps → builder → runner)",
        generate: dockerfile::generate,
        how_to_apply: dockerfile::how_to_apply,
    },
    Generator {
        id: "dockerignore",
        description: ".dockerignore for the build context",
        generate: dockerignore::generate,
        how_to_apply: nothing_to_run,
    },
    Generator {
        id: "ci",
        description: "GitHub Actions CI: lint, tests, security scans, image build and push",
        generate: actions::ci::generate,
        how_to_apply: actions::ci::how_to_apply,
    },
    Generator {
        id: "deploy",
        description:
            "GitHub Actions deploy: the CI-built image to staging, then production after approval",
        generate: actions::deploy::generate,
        how_to_apply: actions::deploy::how_to_apply,
    },
    Generator {
        id: "security",
        description: "GitHub Actions weekly security scan: dependency audits and Trivy",
        generate: actions::security::generate,
        how_to_apply: actions::security::how_to_apply,
    },
    Generator {
        id: "terraform",
        description: "Terraform for AWS (VPC, EKS, RDS, ElastiCache) and branch protection as code",
        generate: terraform::generate,
        how_to_apply: terraform::how_to_apply,
    },
    Generator {
        id: "railway",
        description: "Railway service configuration (railway.json, nixpacks.toml)",
        generate: railway::generate,
        how_to_apply: railway::how_to_apply,
    },
    Generator {
        id: "helm",
        description:
            "Helm chart: workload, Service, TLS Ingress, HPA, PDB and per-environment values",
        generate: helm::generate,
        how_to_apply: helm::how_to_apply,
    },
    Generator {
        id: "compose",
        description: "Docker Compose for local development: the app with its database and cache",
        generate: compose::generate,
        how_to_apply: compose::how_to_apply,
    },
    Generator {
        id: "design",
        description: "The design itself, so the bundle can be imported again",
        generate: design_file::generate,
        how_to_apply: design_file::how_to_apply,
    },
];

/// Generates every file of the bundle, then the README that explains them and lists the
/// design's open `findings` (the rule engine's, joined in by [`crate::generate()`]).
pub fn generate_with_findings<F: ReadmeFinding>(design: &Design, findings: &[F]) -> Bundle {
    let groups: Vec<(&Generator, Vec<GeneratedFile>)> = GENERATORS
        .iter()
        .map(|generator| (generator, (generator.generate)(design)))
        .collect();
    let sections: Vec<readme::Section> = groups
        .iter()
        .map(|(generator, files)| readme::Section {
            description: generator.description,
            files,
            how_to_apply: if files.is_empty() {
                None
            } else {
                (generator.how_to_apply)(design)
            },
        })
        .collect();
    let readme = readme::render(design, &sections, findings);
    let mut files: Vec<GeneratedFile> = groups.into_iter().flat_map(|(_, files)| files).collect();
    files.push(GeneratedFile::new("README.md", Syntax::Markdown, readme));
    Bundle { files }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate;
    use std::collections::HashSet;

    #[test]
    fn generator_ids_and_file_paths_are_unique() {
        let ids: HashSet<_> = GENERATORS.iter().map(|generator| generator.id).collect();
        assert_eq!(ids.len(), GENERATORS.len());
        for preset in crate::presets::all() {
            let bundle = generate(&(preset.build)());
            let paths: HashSet<_> = bundle.paths().collect();
            assert_eq!(paths.len(), bundle.files.len(), "{}", preset.id);
        }
    }

    /// One reviewed snapshot per preset and generated file: any change to an export shows up
    /// as a diff. Refresh with `INSTA_UPDATE=always cargo test -p slipway-core` and review.
    #[test]
    fn every_preset_and_file_matches_its_snapshot() {
        for preset in crate::presets::all() {
            let bundle = generate(&(preset.build)());
            for file in &bundle.files {
                let name = format!("{}__{}", preset.id, file.path.replace('/', "__"));
                insta::assert_snapshot!(name, &file.contents);
            }
        }
    }

    #[test]
    fn generation_is_deterministic() {
        for preset in crate::presets::all() {
            let design = (preset.build)();
            assert_eq!(generate(&design).to_zip(), generate(&design).to_zip());
        }
    }

    #[test]
    fn the_bundled_design_reads_back_as_the_same_design() {
        for preset in crate::presets::all() {
            let design = (preset.build)();
            let bundle = generate(&design);
            let file = bundle.file("slipway.yaml").expect("slipway.yaml");
            assert_eq!(crate::io::parse_design(&file.contents).unwrap(), design);
        }
    }
}

#[cfg(test)]
mod secret_tests {
    use crate::model::{EnvVar, Instruction, Runtime};

    /// A secret typed into any env value of the design never reaches an exported file as a
    /// literal: it becomes a reference to the platform's secret store.
    #[test]
    fn a_literal_secret_is_never_exported() {
        let mut design = crate::presets::for_runtime(Runtime::Node);
        let token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
        let aws = "AKIAABCDEFGHIJKLMNOP";
        let password = "hunter2-correct-horse";
        design.pipeline.jobs[0]
            .env
            .push(EnvVar::new("DEPLOY_TOKEN", token));
        design
            .container
            .env
            .push(EnvVar::new("AWS_ACCESS_KEY_ID", aws));
        design
            .container
            .build_args
            .push(EnvVar::new("NPM_PASSWORD", password));
        for environment in &mut design.environments {
            environment.values.push(EnvVar::new(
                "DATABASE_URL",
                &format!("postgres://app:{password}@db/app"),
            ));
        }
        let bundle = crate::generate(&design);
        for file in bundle
            .files
            .iter()
            .filter(|file| file.path != "slipway.yaml")
        {
            for secret in [token, aws, password] {
                assert!(
                    !file.contents.contains(secret),
                    "{} exports a literal secret",
                    file.path
                );
            }
        }
        let ci = bundle.file(".github/workflows/ci.yml").unwrap();
        assert!(ci.contents.contains("${{ secrets.DEPLOY_TOKEN }}"));
        let dockerfile = &bundle.file("Dockerfile").unwrap().contents;
        assert!(crate::import::dockerfile::parse(dockerfile).is_ok());
        let findings = crate::rules::check(&design);
        assert!(findings.iter().any(|finding| finding.rule == "DOCKER-002"));
    }

    #[test]
    fn a_withheld_instruction_is_a_comment_in_explicit_stages_too() {
        let env = Instruction::Env {
            name: "API_KEY".into(),
            value: "sk_live_0123456789".into(),
        };
        let line = super::dockerfile::render_instruction(&env);
        assert!(line.starts_with("# ENV API_KEY withheld"), "{line}");
    }
}
