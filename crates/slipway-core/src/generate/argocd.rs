//! Argo CD, for the environments delivered by GitOps (`environments[].delivery: gitops`):
//! per environment, the bootstrap applied once by hand (`argocd/<env>/project.yaml`, the
//! services' AppProject; `apps-project.yaml`, the root's; `root.yaml`, the root Application)
//! and `argocd/<env>/apps/<service>.yaml` (an Application per service, which the root syncs in
//! sync waves).
//!
//! Everything Argo CD reads comes from the environment's deploy branch (`deploy/<env>`), which
//! only the deploy workflow writes: it copies `charts/` and `argocd/<env>/` of the commit CI
//! built there and pins each image in `releases/<service>.yaml`. Promoting a version is a
//! commit (a pull request where the environment needs approval); rolling back is another.

use crate::bundle::{GeneratedFile, Syntax};
use crate::facts::deploys::deploy_order;
use crate::facts::gitops::{
    application_name, argocd_folder, deploy_branch, gitops_environments, project_name,
    release_file, repository_url,
};
use crate::facts::naming::{chart_name, values_file_name};
use crate::formats::markdown;
use crate::formats::yaml::{document, Map, Node};
use crate::model::{Design, Environment, Service, SyncMode};
use crate::text::identifier;

/// The cluster Argo CD runs in: each environment's Argo CD deploys to its own cluster.
const IN_CLUSTER: &str = "https://kubernetes.default.svc";

pub fn generate(design: &Design) -> Vec<GeneratedFile> {
    let mut files = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for environment in gitops_environments(design) {
        let folder = argocd_folder(environment);
        if seen.contains(&folder) {
            continue;
        }
        seen.push(folder.clone());
        let [project, apps_project, root] = bootstrap(design, environment);
        for (name, text) in [
            ("project", project),
            ("apps-project", apps_project),
            ("root", root),
        ] {
            files.push(GeneratedFile::new(
                format!("{folder}/{name}.yaml"),
                Syntax::Yaml,
                text,
            ));
        }
        for (wave, index) in deploy_order(design).into_iter().enumerate() {
            let service = &design.services[index];
            files.push(GeneratedFile::new(
                format!("{folder}/apps/{}.yaml", chart_name(service)),
                Syntax::Yaml,
                application(design, service, environment, wave),
            ));
        }
    }
    files
}

/// The README's steps for the Argo CD files (Markdown).
pub fn how_to_apply(design: &Design) -> Option<String> {
    let environments = gitops_environments(design);
    if environments.is_empty() {
        return None;
    }
    let gitops = &design.pipeline.gitops;
    let namespace = identifier(&gitops.argocd_namespace, "argocd");
    let mut out = format!(
        "Argo CD delivers {}: CI never talks to those clusters. Once per environment, with Argo CD installed in its cluster (namespace `{namespace}`), apply the bootstrap as that cluster's admin; from then on Argo CD follows the environment's deploy branch.\n\n```sh\n",
        environments
            .iter()
            .map(|env| format!("`{}`", markdown::escape(&env.name)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for environment in &environments {
        out.push_str(&format!(
            "kubectl apply --namespace {namespace} -f {}/   # project.yaml, apps-project.yaml, root.yaml\n",
            argocd_folder(environment)
        ));
    }
    out.push_str("```\n\n");
    out.push_str(
        "The deploy workflow writes each environment's deploy branch (`deploy/<environment>`): the charts and Argo CD files of the commit CI built, and in `releases/<service>.yaml` the image it pushed, pinned by digest. Nothing in this bundle writes `releases/`, so exporting again never undoes a promotion. Let GitHub Actions push to those branches and, for environments that need approval, open pull requests (Settings → Actions → General → *Allow GitHub Actions to create and approve pull requests*).",
    );
    let tested: Vec<String> = design
        .services
        .iter()
        .filter(|service| crate::facts::gitops::smoke_tested_after_sync(design, service))
        .map(|service| format!("`charts/{}/templates/smoke-test.yaml`", chart_name(service)))
        .collect();
    if !tested.is_empty() {
        out.push_str(&format!(
            "\n\nSmoke tests run in the cluster, after the sync: CI's deploy job ends once it has promoted, before Argo CD syncs, so a request from CI would test the version still running (or, with a pull request awaiting its merge, nothing promoted). Each web service's chart has a Job that Argo CD runs as a PostSync hook ({}; `smokeTest.enabled` in these environments' values): once the sync has applied the new version and it is healthy, the Job requests the health endpoint through the service's in-cluster address, and a failure marks the sync failed. A failed Job stays for its logs: `kubectl logs job/<chart>-smoke`. A `smoke` job of the pipeline for these environments only says so in its summary (PIPELINE-019).",
            tested.join(", ")
        ));
    }
    for environment in environments {
        let branch = deploy_branch(environment);
        if environment.requires_approval {
            out.push_str(&format!(
                "\n\n`{}` needs approval: protect `{branch}` with a rule that requires a review and blocks direct pushes. The deploy opens a pull request there, and merging it is the approval (PIPELINE-010).",
                markdown::escape(&environment.name)
            ));
        }
        if environment.sync == SyncMode::Manual {
            out.push_str(&format!(
                "\n\n`{}` syncs by hand: after a promotion, press Sync on its Applications in Argo CD.",
                markdown::escape(&environment.name)
            ));
        }
    }
    Some(out)
}

/// `metadata` of an Argo CD object: its name in Argo CD's namespace.
fn metadata(design: &Design, name: String) -> Map {
    Map::new().entry("name", name).entry(
        "namespace",
        identifier(&design.pipeline.gitops.argocd_namespace, "argocd"),
    )
}

/// The sync policy of an environment (HELM-005): automated with prune and self-heal unless the
/// design asks for manual syncs, and retries with backoff either way.
fn sync_policy(design: &Design, environment: &Environment) -> Map {
    let gitops = &design.pipeline.gitops;
    let mut policy = Map::new();
    if environment.sync == SyncMode::Automated {
        policy = policy
            .entry(
                "automated",
                Map::new()
                    .entry("prune", gitops.prune)
                    .trailing("deletes what the deploy branch no longer holds")
                    .entry("selfHeal", gitops.self_heal)
                    .trailing("undoes changes made to the cluster by hand"),
            )
            .comment("Every commit to the deploy branch is applied as it is (HELM-005).");
    }
    policy = policy.entry(
        "syncOptions",
        vec!["PruneLast=true", "ApplyOutOfSyncOnly=true"],
    );
    if gitops.retry_limit > 0 {
        policy = policy.entry(
            "retry",
            Map::new().entry("limit", gitops.retry_limit).entry(
                "backoff",
                Map::new()
                    .entry("duration", "5s")
                    .entry("factor", 2u32)
                    .entry("maxDuration", "3m"),
            ),
        );
    }
    policy
}

/// The source of an environment's objects: its deploy branch.
fn source(design: &Design, environment: &Environment, path: String) -> Map {
    Map::new()
        .entry("repoURL", repository_url(design))
        .entry("targetRevision", deploy_branch(environment))
        .trailing("written only by the deploy workflow")
        .entry("path", path)
}

/// One service's Application in one environment.
fn application(
    design: &Design,
    service: &Service,
    environment: &Environment,
    wave: usize,
) -> String {
    let chart = chart_name(service);
    let values = values_file_name(environment);
    let helm = Map::new()
        .entry("releaseName", chart.clone())
        .entry(
            "valueFiles",
            vec![
                format!("values/{values}.yaml"),
                format!("../../{}", release_file(service)),
            ],
        )
        .comment("The environment's values (HELM-002), then the image the deploy workflow pinned.");
    let spec = Map::new()
        .entry("project", project_name(design, environment))
        .entry(
            "source",
            source(design, environment, format!("charts/{chart}")).entry("helm", helm),
        )
        .entry(
            "destination",
            Map::new()
                .entry("server", IN_CLUSTER)
                .entry("namespace", crate::facts::cloud::namespace(service)),
        )
        .entry("syncPolicy", sync_policy(design, environment))
        .entry("revisionHistoryLimit", 10u32);
    let root = Map::new()
        .entry("apiVersion", "argoproj.io/v1alpha1")
        .entry("kind", "Application")
        .entry(
            "metadata",
            metadata(design, application_name(service, environment))
                .entry(
                    "annotations",
                    Map::new().entry("argocd.argoproj.io/sync-wave", wave.to_string()),
                )
                .comment("Services others talk to sync in earlier waves.")
                .entry("finalizers", vec!["resources-finalizer.argocd.argoproj.io"])
                .comment("Deleting the Application deletes what it deployed."),
        )
        .entry("spec", spec);
    let header = [
        format!(
            "Argo CD Application of {chart} in {}: the chart and values on the {} branch, synced into namespace {}. Generated by Slipway from slipway.yaml.",
            crate::text::single_line(environment.name.trim()),
            deploy_branch(environment),
            crate::facts::cloud::namespace(service)
        ),
    ];
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    document(&header, root)
}

/// The project of an environment's services: only this repository, only their namespaces,
/// only the kinds their charts render, nothing cluster-wide.
fn services_project(design: &Design, environment: &Environment) -> Map {
    let mut namespaces: Vec<String> = Vec::new();
    let mut kinds: Vec<(&str, &str)> = Vec::new();
    for index in deploy_order(design) {
        let service = &design.services[index];
        let namespace = crate::facts::cloud::namespace(service);
        if !namespaces.contains(&namespace) {
            namespaces.push(namespace);
        }
        for kind in crate::generate::helm::resource_kinds(design, service) {
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
    }
    let destinations: Vec<Node> = namespaces
        .into_iter()
        .map(|namespace| {
            Map::new()
                .entry("server", IN_CLUSTER)
                .entry("namespace", namespace)
                .into()
        })
        .collect();
    let kinds: Vec<Node> = kinds
        .into_iter()
        .map(|(group, kind)| Map::new().entry("group", group).entry("kind", kind).into())
        .collect();
    project(
        design,
        project_name(design, environment),
        format!(
            "The services of {} in {}",
            identifier(&design.project.name, "app"),
            values_file_name(environment)
        ),
        destinations,
        kinds,
    )
}

fn project(
    design: &Design,
    name: String,
    description: String,
    destinations: Vec<Node>,
    kinds: Vec<Node>,
) -> Map {
    Map::new()
        .entry("apiVersion", "argoproj.io/v1alpha1")
        .entry("kind", "AppProject")
        .entry("metadata", metadata(design, name))
        .entry(
            "spec",
            Map::new()
                .entry("description", description)
                .entry("sourceRepos", vec![repository_url(design)])
                .comment("Least privilege: this repository only, these namespaces only.")
                .entry("destinations", destinations)
                .entry("clusterResourceWhitelist", Vec::<Node>::new())
                .comment("Nothing cluster-wide: namespaces, CRDs and cluster roles stay with the cluster's admins.")
                .entry("namespaceResourceWhitelist", kinds),
        )
}

/// The bootstrap of an environment, one object per file: the services' project, the root's
/// project and the root Application, which syncs the services' Applications from the deploy
/// branch.
fn bootstrap(design: &Design, environment: &Environment) -> [String; 3] {
    let namespace = identifier(&design.pipeline.gitops.argocd_namespace, "argocd");
    let root_project = format!("{}-apps", project_name(design, environment));
    let apps = project(
        design,
        root_project.clone(),
        format!(
            "The Argo CD Applications of {} in {}",
            identifier(&design.project.name, "app"),
            values_file_name(environment)
        ),
        vec![Map::new()
            .entry("server", IN_CLUSTER)
            .entry("namespace", namespace.clone())
            .into()],
        vec![Map::new()
            .entry("group", "argoproj.io")
            .entry("kind", "Application")
            .into()],
    );
    let root = Map::new()
        .entry("apiVersion", "argoproj.io/v1alpha1")
        .entry("kind", "Application")
        .entry(
            "metadata",
            metadata(design, root_project.clone())
                .entry("finalizers", vec!["resources-finalizer.argocd.argoproj.io"]),
        )
        .entry(
            "spec",
            Map::new()
                .entry("project", root_project)
                .comment("Its own project, which may only manage Applications: a service's chart can never create one.")
                .entry(
                    "source",
                    source(design, environment, format!("{}/apps", argocd_folder(environment))),
                )
                .entry(
                    "destination",
                    Map::new()
                        .entry("server", IN_CLUSTER)
                        .entry("namespace", namespace),
                )
                .entry("syncPolicy", sync_policy(design, environment)),
        );
    let name = crate::text::single_line(environment.name.trim()).into_owned();
    let first = document(
        &[
            &format!("Argo CD bootstrap of {name} (with apps-project.yaml and root.yaml): apply once, as the cluster's admin, where Argo CD runs. Generated by Slipway from slipway.yaml."),
            "The services' project: what their Applications may deploy, and where.",
        ],
        services_project(design, environment),
    );
    let second = document(
        &[
            &format!("Argo CD bootstrap of {name}: the root Application's project, which may manage Applications and nothing else."),
        ],
        apps,
    );
    let third = document(
        &[&format!(
            "Argo CD bootstrap of {name}: the root Application, which syncs the services' Applications from {}/apps on the {} branch.",
            argocd_folder(environment),
            deploy_branch(environment)
        )],
        root,
    );
    [first, second, third]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Delivery;
    use serde_json::Value;

    fn gitops_design() -> Design {
        let mut design = crate::generate::tests::two_service_design();
        for environment in &mut design.environments {
            environment.delivery = Delivery::Gitops;
        }
        design
    }

    fn parse(text: &str) -> Value {
        serde_norway::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    #[test]
    fn push_environments_get_no_argo_files() {
        let design = crate::generate::tests::two_service_design();
        assert!(generate(&design).is_empty());
        assert!(how_to_apply(&design).is_none());
    }

    #[test]
    fn each_gitops_environment_gets_a_bootstrap_and_an_application_per_service() {
        let design = gitops_design();
        let files = generate(&design);
        let paths: Vec<&str> = files.iter().map(|file| file.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "argocd/staging/project.yaml",
                "argocd/staging/apps-project.yaml",
                "argocd/staging/root.yaml",
                "argocd/staging/apps/fastapi-react.yaml",
                "argocd/staging/apps/worker.yaml",
                "argocd/production/project.yaml",
                "argocd/production/apps-project.yaml",
                "argocd/production/root.yaml",
                "argocd/production/apps/fastapi-react.yaml",
                "argocd/production/apps/worker.yaml",
            ]
        );
        let app = parse(&files[8].contents);
        assert_eq!(app["kind"], "Application");
        assert_eq!(app["metadata"]["namespace"], "argocd");
        assert_eq!(app["spec"]["source"]["targetRevision"], "deploy/production");
        assert_eq!(app["spec"]["source"]["path"], "charts/fastapi-react");
        assert_eq!(
            app["spec"]["source"]["helm"]["valueFiles"],
            serde_json::json!([
                "values/production.yaml",
                "../../releases/fastapi-react.yaml"
            ])
        );
        assert_eq!(app["spec"]["syncPolicy"]["automated"]["prune"], true);
        assert_eq!(app["spec"]["syncPolicy"]["automated"]["selfHeal"], true);
        assert_eq!(app["spec"]["syncPolicy"]["retry"]["limit"], 5);
        assert_eq!(
            app["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"],
            "0"
        );

        let bootstrap: Vec<Value> = files[5..8].iter().map(|f| parse(&f.contents)).collect();
        assert_eq!(bootstrap[0]["kind"], "AppProject");
        assert_eq!(
            bootstrap[0]["spec"]["clusterResourceWhitelist"],
            serde_json::json!([])
        );
        let kinds: Vec<&str> = bootstrap[0]["spec"]["namespaceResourceWhitelist"]
            .as_array()
            .unwrap()
            .iter()
            .map(|kind| kind["kind"].as_str().unwrap())
            .collect();
        assert!(
            kinds.contains(&"Deployment") && !kinds.contains(&"Application"),
            "{kinds:?}"
        );
        assert_eq!(
            bootstrap[1]["spec"]["namespaceResourceWhitelist"][0]["kind"],
            "Application"
        );
        assert_eq!(
            bootstrap[2]["spec"]["project"],
            bootstrap[1]["metadata"]["name"]
        );
        assert_eq!(
            bootstrap[2]["spec"]["source"]["path"],
            "argocd/production/apps"
        );
    }

    #[test]
    fn manual_sync_drops_the_automation_but_keeps_the_retries() {
        let mut design = gitops_design();
        design.environments[1].sync = SyncMode::Manual;
        let files = generate(&design);
        let app = parse(&files[8].contents);
        assert!(app["spec"]["syncPolicy"].get("automated").is_none());
        assert_eq!(app["spec"]["syncPolicy"]["retry"]["limit"], 5);
        assert!(how_to_apply(&design).unwrap().contains("press Sync"));
    }

    #[test]
    fn services_others_talk_to_sync_first() {
        let mut design = gitops_design();
        design.services[0].talks_to = vec!["worker".to_owned()];
        design.services[1].talks_to.clear();
        let files = generate(&design);
        let wave = |path: &str| {
            let file = files.iter().find(|file| file.path == path).unwrap();
            parse(&file.contents)["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"].clone()
        };
        assert_eq!(wave("argocd/staging/apps/worker.yaml"), "0");
        assert_eq!(wave("argocd/staging/apps/fastapi-react.yaml"), "1");
    }

    #[test]
    fn hostile_names_stay_values() {
        let mut design = gitops_design();
        design.environments[0].name = "x\n---\nkind: ClusterRole".to_owned();
        design.repository.slug = "a/b\nevil: true".to_owned();
        design.pipeline.gitops.argocd_namespace = "argo cd\n".to_owned();
        for file in generate(&design) {
            let document = parse(&file.contents);
            assert!(document.get("evil").is_none(), "{}", file.contents);
            assert_ne!(document["kind"], "ClusterRole", "{}", file.contents);
            assert_eq!(document["metadata"]["namespace"], "argo-cd");
        }
    }
}
