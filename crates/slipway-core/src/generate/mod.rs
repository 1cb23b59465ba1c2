//! Generators: pure functions from a design to files, in one explicit registry.

pub mod actions;
pub mod argocd;
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
    /// For a generator that writes each service's files on their own: the files of the
    /// service at an index (`generate` is these, service after service). An editor then
    /// regenerates only the services an edit changed (see [`crate::incremental`]).
    pub per_service: Option<fn(&Design, usize) -> Vec<GeneratedFile>>,
    /// Whether the files read a service's container build (its images, stages, user,
    /// environment, build arguments, `.dockerignore`, health check timing) beyond its port and
    /// health path. An editor keeps the files of a generator that does not when only that
    /// changed (the property tests check the claim).
    pub reads_container_builds: bool,
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
        per_service: Some(dockerfile::generate_service),
        reads_container_builds: true,
        how_to_apply: dockerfile::how_to_apply,
    },
    Generator {
        id: "dockerignore",
        description: ".dockerignore for the build context",
        generate: dockerignore::generate,
        per_service: Some(dockerignore::generate_service),
        reads_container_builds: true,
        how_to_apply: nothing_to_run,
    },
    Generator {
        id: "ci",
        description: "GitHub Actions CI: lint, tests, security scans, image build and push",
        generate: actions::ci::generate,
        per_service: None,
        reads_container_builds: false,
        how_to_apply: actions::ci::how_to_apply,
    },
    Generator {
        id: "deploy",
        description:
            "GitHub Actions deploy: the CI-built image to staging, then production after approval",
        generate: actions::deploy::generate,
        per_service: None,
        reads_container_builds: false,
        how_to_apply: actions::deploy::how_to_apply,
    },
    Generator {
        id: "rollback",
        description:
            "GitHub Actions rollback: by hand, each service back the way its strategy requires",
        generate: actions::rollback::generate,
        per_service: None,
        reads_container_builds: false,
        how_to_apply: actions::rollback::how_to_apply,
    },
    Generator {
        id: "security",
        description: "GitHub Actions weekly security scan: dependency audits and Trivy",
        generate: actions::security::generate,
        per_service: None,
        reads_container_builds: false,
        how_to_apply: actions::security::how_to_apply,
    },
    Generator {
        id: "dependabot",
        description: "Dependabot version updates: actions, base images and packages, grouped",
        generate: actions::dependabot::generate,
        per_service: None,
        reads_container_builds: true,
        how_to_apply: actions::dependabot::how_to_apply,
    },
    Generator {
        id: "terraform",
        description: "Terraform for AWS (VPC, EKS, RDS, ElastiCache) and branch protection as code",
        generate: terraform::generate,
        per_service: None,
        reads_container_builds: false,
        how_to_apply: terraform::how_to_apply,
    },
    Generator {
        id: "railway",
        description: "Railway service configuration (railway.json, nixpacks.toml)",
        generate: railway::generate,
        per_service: None,
        reads_container_builds: true,
        how_to_apply: railway::how_to_apply,
    },
    Generator {
        id: "helm",
        description:
            "Helm chart: workload, Service, TLS Ingress, HPA, PDB and per-environment values",
        generate: helm::generate,
        per_service: Some(helm::generate_service),
        reads_container_builds: true,
        how_to_apply: helm::how_to_apply,
    },
    Generator {
        id: "argocd",
        description:
            "Argo CD for GitOps environments: an Application per service, least-privilege projects",
        generate: argocd::generate,
        per_service: None,
        reads_container_builds: false,
        how_to_apply: argocd::how_to_apply,
    },
    Generator {
        id: "compose",
        description: "Docker Compose for local development: the app with its database and cache",
        generate: compose::generate,
        per_service: None,
        reads_container_builds: true,
        how_to_apply: compose::how_to_apply,
    },
    Generator {
        id: "design",
        description: "The design itself, so the bundle can be imported again",
        generate: design_file::generate,
        per_service: None,
        reads_container_builds: true,
        how_to_apply: design_file::how_to_apply,
    },
];

/// Generates every file of the bundle, then the README that explains them and lists the
/// design's open `findings` (the rule engine's, joined in by [`crate::generate()`]).
pub fn generate_with_findings<F: ReadmeFinding>(design: &Design, findings: &[F]) -> Bundle {
    crate::facts::jobs::with_service_folders(design, || {
        let groups = GENERATORS
            .iter()
            .map(|generator| (generator.generate)(design))
            .collect();
        assemble(design, findings, groups)
    })
}

/// The bundle from each generator's files (in the order of [`GENERATORS`]), with the README
/// that explains them.
pub(crate) fn assemble<F: ReadmeFinding>(
    design: &Design,
    findings: &[F],
    groups: Vec<Vec<GeneratedFile>>,
) -> Bundle {
    let readme = readme_of(design, findings, &groups);
    let mut files: Vec<GeneratedFile> = groups.into_iter().flatten().collect();
    files.push(readme);
    Bundle { files }
}

/// The README of the bundle whose generators wrote `groups` (in the order of [`GENERATORS`]):
/// it reads their paths, not their contents.
pub(crate) fn readme_of<F: ReadmeFinding>(
    design: &Design,
    findings: &[F],
    groups: &[Vec<GeneratedFile>],
) -> GeneratedFile {
    let sections: Vec<readme::Section> = GENERATORS
        .iter()
        .zip(groups)
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
    GeneratedFile::new("README.md", Syntax::Markdown, readme)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::generate;
    use crate::model::{Runtime, Service, ServiceKind};
    use std::collections::HashSet;

    /// The fastapi-react preset's API (named `fastapi-react`, in `backend`) without the front
    /// end, plus a Python worker in `worker` that talks to it.
    pub(crate) fn two_service_design() -> Design {
        let mut design = (crate::presets::find("fastapi-react").unwrap().build)();
        design.services.truncate(1);
        design.services[0].name = "fastapi-react".to_owned();
        let mut worker = Service::for_runtime("worker", Runtime::Python);
        worker.kind = ServiceKind::Worker;
        worker.directory = "worker".to_owned();
        worker.kubernetes.namespace = design.services[0].kubernetes.namespace.clone();
        worker.railway.healthcheck_path.clear();
        worker.talks_to = vec![design.services[0].name.clone()];
        design.services.push(worker);
        design
    }

    #[test]
    fn a_design_with_two_services_gets_files_for_each() {
        let design = two_service_design();
        let bundle = generate(&design);
        for path in [
            "backend/Dockerfile",
            "backend/.dockerignore",
            "worker/Dockerfile",
            "worker/.dockerignore",
            "charts/fastapi-react/Chart.yaml",
            "charts/fastapi-react/values/production.yaml",
            "charts/worker/Chart.yaml",
            "charts/worker/values/staging.yaml",
            "backend/railway.json",
            "worker/railway.json",
        ] {
            assert!(bundle.file(path).is_some(), "{path} is missing");
        }
        assert!(bundle.file("Dockerfile").is_none());
        assert!(bundle
            .file("charts/worker/templates/service.yaml")
            .is_none());

        let yaml = |path: &str| -> serde_json::Value {
            serde_norway::from_str(&bundle.file(path).unwrap().contents).unwrap()
        };
        let ci = yaml(".github/workflows/ci.yml");
        assert_eq!(
            ci["env"],
            serde_json::json!({
                "IMAGE_REPOSITORY_FASTAPI_REACT": "ghcr.io/acme/fastapi-react/fastapi-react",
                "IMAGE_REPOSITORY_WORKER": "ghcr.io/acme/fastapi-react/worker",
            })
        );
        let build = ci["jobs"]["build"]["steps"].as_array().unwrap();
        let builds: Vec<&serde_json::Value> = build
            .iter()
            .filter(|step| {
                step["uses"]
                    .as_str()
                    .is_some_and(|uses| uses.starts_with("docker/build-push-action@"))
            })
            .collect();
        assert_eq!(builds.len(), 2);
        assert_eq!(builds[0]["with"]["context"], "backend");
        assert_eq!(builds[1]["with"]["context"], "worker");
        assert!(builds.iter().all(|step| step["with"].get("file").is_none()));
        assert_eq!(
            builds[1]["with"]["tags"],
            "${{ env.IMAGE_REPOSITORY_WORKER }}:${{ github.sha }}"
        );
        let pushes: Vec<&str> = build
            .iter()
            .filter_map(|step| step["run"].as_str()?.lines().next())
            .filter(|run| run.starts_with("docker push"))
            .collect();
        assert_eq!(
            pushes,
            [
                "docker push \"$IMAGE_REPOSITORY_FASTAPI_REACT:$GITHUB_SHA\"",
                "docker push \"$IMAGE_REPOSITORY_WORKER:$GITHUB_SHA\""
            ]
        );
        let categories: Vec<&str> = build
            .iter()
            .filter_map(|step| step["with"]["category"].as_str())
            .collect();
        assert_eq!(
            categories,
            ["trivy-image-fastapi-react", "trivy-image-worker"]
        );

        // The chart deploys the image CI pushes (CONSIST-003).
        let values = yaml("charts/worker/values.yaml");
        assert_eq!(
            values["image"]["repository"],
            "ghcr.io/acme/fastapi-react/worker"
        );

        let deploy = yaml(".github/workflows/deploy.yml");
        let helm: Vec<&str> = deploy["jobs"]["deploy-production"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|step| step["run"].as_str())
            .filter(|run| run.starts_with("helm upgrade"))
            .collect();
        assert_eq!(helm.len(), 2);
        assert!(helm[0].starts_with("helm upgrade --install fastapi-react charts/fastapi-react"));
        assert!(helm[1].starts_with("helm upgrade --install worker charts/worker"));
        assert!(helm[1].contains("image.repository=\"$IMAGE_REPOSITORY_WORKER\""));

        let text = &bundle.file("compose.yaml").unwrap().contents;
        let order: Vec<usize> = ["\n  fastapi-react:\n", "\n  worker:\n", "\n  postgres:\n"]
            .iter()
            .map(|key| text.find(key).unwrap_or_else(|| panic!("{key}\n{text}")))
            .collect();
        assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "{text}");
        let compose = yaml("compose.yaml");
        let services = compose["services"].as_object().unwrap();
        assert_eq!(services.len(), 4);
        let worker = &services["worker"];
        assert_eq!(worker["build"]["context"], "worker");
        assert_eq!(worker["build"]["dockerfile"], "Dockerfile");
        assert_eq!(worker["image"], "worker:dev");
        assert!(worker.get("ports").is_none());
        assert_eq!(
            worker["environment"]["FASTAPI_REACT_URL"],
            "http://fastapi-react:8000"
        );
        assert_eq!(
            worker["depends_on"]["fastapi-react"]["condition"],
            "service_healthy"
        );
        assert_eq!(
            worker["depends_on"]["postgres"]["condition"],
            "service_healthy"
        );
        assert_eq!(services["fastapi-react"]["build"]["context"], "backend");

        let railway: serde_json::Value =
            serde_json::from_str(&bundle.file("worker/railway.json").unwrap().contents).unwrap();
        assert_eq!(railway["build"]["dockerfilePath"], "Dockerfile");
        assert_eq!(
            railway["build"]["watchPatterns"],
            serde_json::json!(["/worker/**"])
        );

        let security = yaml(".github/workflows/security.yml");
        let jobs = security["jobs"].as_object().unwrap();
        assert!(jobs.contains_key("audit-python"), "{jobs:?}");
        assert!(jobs.contains_key("audit-worker"), "{jobs:?}");
        assert_eq!(
            jobs["audit-worker"]["defaults"]["run"]["working-directory"],
            "worker"
        );

        let readme = &bundle.file("README.md").unwrap().contents;
        assert!(readme.contains("## Services"), "{readme}");
        assert!(readme.contains("helm upgrade --install worker charts/worker"));
    }

    #[test]
    fn services_sharing_a_folder_get_named_dockerfiles_everywhere() {
        let mut design = two_service_design();
        design.services[1].directory = "./backend/".to_owned();
        design.services[1].railway.builder = crate::model::RailwayBuilder::Nixpacks;
        let bundle = generate(&design);
        for path in [
            "backend/Dockerfile",
            "backend/.dockerignore",
            "backend/worker.Dockerfile",
            "backend/worker.Dockerfile.dockerignore",
            "backend/railway.json",
            "backend/railway.worker.json",
            "backend/nixpacks.worker.toml",
        ] {
            assert!(bundle.file(path).is_some(), "{path} is missing");
        }
        let yaml = |path: &str| -> serde_json::Value {
            serde_norway::from_str(&bundle.file(path).unwrap().contents).unwrap()
        };
        let ci = yaml(".github/workflows/ci.yml");
        let files: Vec<&serde_json::Value> = ci["jobs"]["build"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|step| step["with"].get("context").is_some())
            .map(|step| &step["with"]["file"])
            .collect();
        assert_eq!(
            files,
            [
                &serde_json::Value::Null,
                &serde_json::json!("backend/worker.Dockerfile")
            ]
        );
        let compose = yaml("compose.yaml");
        assert_eq!(compose["services"]["worker"]["build"]["context"], "backend");
        assert_eq!(
            compose["services"]["worker"]["build"]["dockerfile"],
            "worker.Dockerfile"
        );
        let railway: serde_json::Value =
            serde_json::from_str(&bundle.file("backend/railway.worker.json").unwrap().contents)
                .unwrap();
        assert_eq!(
            railway["build"]["nixpacksConfigPath"],
            "nixpacks.worker.toml"
        );
        assert_eq!(
            railway["build"]["watchPatterns"],
            serde_json::json!(["/backend/**"])
        );
        let security = yaml(".github/workflows/security.yml");
        assert!(
            security["jobs"].get("audit-worker").is_none(),
            "one audit per folder and package manager"
        );
    }

    #[test]
    fn a_service_deploys_after_the_services_it_talks_to() {
        let mut design = two_service_design();
        design.services.swap(0, 1);
        assert_eq!(actions::deploy_order(&design), [1, 0]);
        design.services[1].talks_to = vec!["worker".to_owned()];
        assert_eq!(
            actions::deploy_order(&design),
            [0, 1],
            "a cycle keeps design order"
        );
        design.services[0].talks_to.clear();
        design.services[1].talks_to.clear();
        design.services[0].kubernetes.enabled = false;
        assert_eq!(actions::deploy_order(&design), [1]);
    }

    #[test]
    fn hostile_service_names_and_folders_stay_inert() {
        let mut design = two_service_design();
        let hostile = "x\"\n  evil: true\n${{ github.token }} $(rm -rf /) ../";
        design.services[1].name = hostile.to_owned();
        design.services[1].directory = format!("../../{hostile}");
        design.services[0].talks_to = vec![hostile.to_owned()];
        let bundle = generate(&design);
        for file in &bundle.files {
            assert!(
                file.path
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c)),
                "{}",
                file.path
            );
            assert!(!file.path.contains(".."), "{}", file.path);
            if file.syntax == crate::bundle::Syntax::Yaml {
                let value: serde_json::Value = serde_norway::from_str(&file.contents)
                    .unwrap_or_else(|error| panic!("{}: {error}", file.path));
                assert!(value.get("evil").is_none(), "{}", file.path);
            }
        }
        let compose: serde_json::Value =
            serde_norway::from_str(&bundle.file("compose.yaml").unwrap().contents).unwrap();
        let services = compose["services"].as_object().unwrap();
        assert!(services.keys().all(|key| key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')));
        let api = &services["fastapi-react"];
        let urls: Vec<&String> = api["environment"]
            .as_object()
            .unwrap()
            .keys()
            .filter(|key| {
                key.ends_with("_URL") && !key.starts_with("DATABASE") && !key.starts_with("REDIS")
            })
            .collect();
        assert_eq!(urls.len(), 1, "{api}");
        assert!(urls[0]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_'));
    }

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
        design.services[0]
            .container
            .env
            .push(EnvVar::new("AWS_ACCESS_KEY_ID", aws));
        design.services[0]
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
