//! `README.md` of the bundle: what each file is, how to apply it, and the design's open
//! findings and waivers at export time.

use std::fmt::Write;

use super::Generator;
use crate::bundle::GeneratedFile;
use crate::model::Design;
use crate::rules::Finding;
use crate::text::identifier;

/// How to put a generator's files to use; `None` when there is nothing to run.
fn how_to_apply(generator: &str, design: &Design) -> Option<String> {
    let name = identifier(&design.project.name, "app");
    let port = design.container.port;
    Some(match generator {
        "dockerfile" => format!(
            "Build and run the image locally:\n\n```sh\ndocker build -t {name}:dev .\ndocker run --rm -p {port}:{port} {name}:dev\n```\n\nThe `.dockerignore` keeps secrets and clutter out of the build context."
        ),
        "ci" => format!(
            "Commit `.github/workflows/ci.yml`. It needs no secrets: the build pushes to `{registry}` with the job's own `GITHUB_TOKEN`{other}. Then make the checks required in branch protection (Settings → Branches, or the branch-protection export) so nothing merges red.",
            registry = super::actions::image_repository(design),
            other = if super::actions::registry_host(design) == "ghcr.io" {
                ""
            } else {
                " — for this registry create the repository secrets `REGISTRY_USERNAME` and `REGISTRY_PASSWORD`"
            }
        ),
        "deploy" => {
            let environments: Vec<String> = design
                .environments
                .iter()
                .map(|env| {
                    let gate = if env.requires_approval {
                        " — add required reviewers (Settings → Environments → Deployment protection rules) so the deploy waits for an approval"
                    } else {
                        ""
                    };
                    format!("- `{}`: environment secret `KUBECONFIG` (the kubeconfig of that cluster, with rights on namespace `{}` only){gate}", markdown(&env.name), identifier(&design.kubernetes.namespace, &name))
                })
                .collect();
            format!(
                "Commit `.github/workflows/deploy.yml` next to the Helm chart in `charts/{name}/`. It starts when CI succeeds on a deploy branch and deploys that commit's image; create these GitHub environments (Settings → Environments, or Terraform's `github_repository_environment`) with their secrets:\n\n{}\n\nWithout reviewers on production, PIPELINE-010's approval is only a label. Redeploy by hand with *Run workflow* on the branch.",
                environments.join("\n")
            )
        }
        "security" => {
            let java = matches!(
                design.project.package_manager,
                crate::model::PackageManager::Maven | crate::model::PackageManager::Gradle
            );
            format!(
                "Commit `.github/workflows/security.yml`; it runs weekly and on demand (*Run workflow*). Findings appear under Security → Code scanning.{}",
                if java {
                    " Create the repository secret `NVD_API_KEY` (free from nvd.nist.gov): OWASP dependency-check downloads the vulnerability database with it."
                } else {
                    ""
                }
            )
        }
        "terraform" => super::terraform::how_to_apply(design),
        "railway" => super::railway::how_to_apply(design),
        "helm" => helm_steps(design),
        "compose" => compose_steps(design),
        "design" => "Open `slipway.yaml` in Slipway (Import) to keep designing, or regenerate every file with `slipway export slipway.yaml --out .`.".to_owned(),
        _ => return None,
    })
}

/// `helm upgrade` per environment, as the deploy workflow runs it, and the strategy's steps.
fn helm_steps(design: &Design) -> String {
    use crate::model::{CanaryEngine, RolloutStrategy};
    let name = identifier(&design.project.name, "app");
    let namespace = identifier(&design.kubernetes.namespace, &name);
    let mut out = String::from(
        "Deploy the chart with Helm 3, each environment to its own cluster (kubectl context); the \
         deploy workflow runs the same command with the image CI built. `--atomic` rolls a failed \
         upgrade back by itself (ROLLOUT-002).\n\n```sh\n",
    );
    let mut seen = Vec::new();
    for environment in &design.environments {
        let file = super::helm::values_file_name(environment);
        if seen.contains(&file) {
            continue;
        }
        let _ = writeln!(
            out,
            "helm upgrade --install {name} charts/{name} --namespace {namespace} --create-namespace \\\n  \
             -f charts/{name}/values/{file}.yaml --set image.tag=\"$(git rev-parse HEAD)\" \\\n  \
             --atomic --wait --timeout 10m"
        );
        seen.push(file);
    }
    let _ = write!(
        out,
        "```\n\nRoll back to the previous release with `helm rollback {name} --namespace {namespace}`. \
         Preview the manifests with `helm template {name} charts/{name} -f charts/{name}/values/<env>.yaml`."
    );
    match design.kubernetes.rollout.strategy {
        RolloutStrategy::Rolling => {}
        RolloutStrategy::BlueGreen => out.push_str(
            "\n\nBlue-green: pin `blueGreen.activeTag` in `values/<env>.yaml` to the live image tag, so \
             each deploy lands on the idle colour only. Check it through the `<release>-preview` \
             Service, then switch by setting `blueGreen.activeColor` to that colour and \
             `blueGreen.activeTag` to its tag. Switching back is the rollback.",
        ),
        RolloutStrategy::Canary => match design.kubernetes.rollout.canary_engine {
            CanaryEngine::ArgoRollouts => out.push_str(
                "\n\nCanary with Argo Rollouts: the cluster needs the Argo Rollouts controller (and \
                 the NGINX ingress controller for exact weights). Follow a release with \
                 `kubectl argo rollouts get rollout <release> --watch`; `promote` skips a manual \
                 pause, `abort` returns all traffic to the stable version.",
            ),
            CanaryEngine::ReplicaRatio => out.push_str(
                "\n\nCanary by replica ratio: pin `canary.stableTag` to the live image tag, so each \
                 deploy lands on the canary pods only. Raise `canary.replicas` to move through \
                 the steps; promote by setting `canary.stableTag` to the canary's tag and \
                 `canary.replicas` to 0.",
            ),
        },
    }
    out
}

/// `docker compose up` and where the pieces listen.
fn compose_steps(design: &Design) -> String {
    let mut out = String::from(
        "Run the app locally with its database and cache:\n\n```sh\ndocker compose up --build\n```\n\n",
    );
    if design.project.kind.is_web() {
        let _ = write!(
            out,
            "The app listens on http://127.0.0.1:{}/. ",
            design.container.port
        );
    }
    if super::compose::postgres_image(design).is_some() {
        let _ = write!(
            out,
            "PostgreSQL is on 127.0.0.1:{} (user and password `app`). ",
            super::compose::POSTGRES_HOST_PORT
        );
    }
    if super::compose::uses_redis(design) {
        let _ = write!(
            out,
            "Redis is on 127.0.0.1:{}. ",
            super::compose::REDIS_HOST_PORT
        );
    }
    out.push_str("`docker compose down -v` stops everything and deletes the local data.");
    out
}

/// Renders the README from the other generators' output and the design's findings.
pub fn render(
    design: &Design,
    groups: &[(&Generator, Vec<GeneratedFile>)],
    findings: &[Finding],
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} — delivery setup\n",
        markdown(&design.project.name)
    );
    if !design.project.description.trim().is_empty() {
        let _ = writeln!(out, "{}\n", markdown(&design.project.description));
    }
    out.push_str(
        "Generated by Slipway from `slipway.yaml`. Every file below is derived from \
         that design: change the design and export again rather than editing the files by hand.\n\n",
    );

    out.push_str("## Files\n\n| file | what it is |\n|---|---|\n");
    for (generator, files) in groups {
        for file in files {
            let _ = writeln!(
                out,
                "| `{}` | {} |",
                markdown(&file.path),
                markdown(generator.description)
            );
        }
    }
    out.push_str("| `README.md` | This guide |\n\n## How to apply\n\n");
    for (generator, files) in groups {
        if files.is_empty() {
            continue;
        }
        if let Some(steps) = how_to_apply(generator.id, design) {
            let _ = writeln!(out, "### {}\n\n{steps}\n", markdown(generator.description));
        }
    }

    let open: Vec<&Finding> = findings.iter().filter(|finding| !finding.waived).collect();
    out.push_str("## Open findings at export time\n\n");
    if open.is_empty() {
        out.push_str("None: the design passed every rule Slipway checks.\n\n");
    } else {
        out.push_str("| rule | severity | where | finding |\n|---|---|---|---|\n");
        for finding in open {
            let _ = writeln!(
                out,
                "| {} | {} | `{}` | {} |",
                finding.rule,
                finding.severity.id(),
                markdown(&finding.field),
                markdown(&finding.message)
            );
        }
        out.push_str("\nExplain any rule with `slipway explain RULE-ID`.\n\n");
    }
    if !design.waivers.is_empty() {
        out.push_str("## Waived rules\n\nThe team accepted these on purpose:\n\n| rule | reason |\n|---|---|\n");
        for waiver in &design.waivers {
            let _ = writeln!(
                out,
                "| {} | {} |",
                markdown(&waiver.rule),
                markdown(&waiver.reason)
            );
        }
        out.push('\n');
    }
    out
}

/// Text that renders as itself in Markdown (and GitHub's HTML): no markup, no table break,
/// no raw HTML, one line.
pub(super) fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in crate::text::single_line(text).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_renders_as_text() {
        assert_eq!(markdown("a|b\n<script>"), "a\\|b &lt;script&gt;");
        assert_eq!(markdown("[x](javascript:1)"), "\\[x\\](javascript:1)");
    }

    #[test]
    fn the_readme_lists_files_findings_and_waivers() {
        let mut design = crate::presets::for_runtime(crate::model::Runtime::Node);
        design.container.user.uid = 0;
        design.waivers.push(crate::model::Waiver {
            rule: "DOCKER-003".into(),
            reason: "CI | builds".into(),
        });
        let bundle = crate::generate(&design);
        let readme = &bundle.file("README.md").unwrap().contents;
        assert!(readme.contains("| `Dockerfile` |"));
        assert!(readme.contains("DOCKER-001"));
        assert!(readme.contains("CI \\| builds"));
    }
}
