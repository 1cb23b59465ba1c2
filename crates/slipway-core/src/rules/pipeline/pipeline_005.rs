use crate::facts::commands::any_segment;
use crate::facts::jobs::{folder, fresh_job_id, job_manager, job_runtime, job_service, jobs_of};
use crate::facts::needs::add_need;
use crate::facts::shell::tool_and_args;
use crate::model::{Design, Job, JobKind, PackageManager, Runtime};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct DependencyAndSourceScan;

/// The audit command for a package manager, and how to recognise one.
fn audit(manager: PackageManager) -> &'static str {
    match manager {
        PackageManager::Npm => "npm audit --audit-level=high",
        PackageManager::Pnpm => "pnpm audit --audit-level high",
        PackageManager::Yarn => "yarn audit --level high",
        PackageManager::Poetry | PackageManager::Pip => "pip-audit",
        PackageManager::GoModules => "go run golang.org/x/vuln/cmd/govulncheck@latest ./...",
        PackageManager::Cargo => "cargo audit",
        PackageManager::Maven => "./mvnw -B org.owasp:dependency-check-maven:check",
        PackageManager::Gradle => "./gradlew dependencyCheckAnalyze",
    }
}

fn audits(manager: PackageManager, segment: &str) -> bool {
    let Some((tool, args)) = tool_and_args(segment) else {
        return false;
    };
    let first = args.first().copied().unwrap_or("");
    match manager {
        PackageManager::Npm | PackageManager::Pnpm | PackageManager::Yarn => {
            (matches!(tool, "npm" | "pnpm" | "yarn") && (first == "audit" || first == "npm"))
                || tool == "audit-ci"
        }
        PackageManager::Poetry | PackageManager::Pip => {
            matches!(tool, "pip-audit" | "safety") || (tool == "poetry" && first == "audit")
        }
        PackageManager::GoModules => {
            tool == "govulncheck" || args.iter().any(|arg| arg.contains("govulncheck"))
        }
        PackageManager::Cargo => tool == "cargo" && matches!(first, "audit" | "deny"),
        PackageManager::Maven | PackageManager::Gradle => args.iter().any(|arg| {
            arg.contains("dependency-check")
                || arg.contains("dependencyCheck")
                || arg.contains("ossindex")
        }),
    }
}

fn scans_filesystem(segment: &str) -> bool {
    matches!(
        tool_and_args(segment),
        Some(("trivy", args)) if matches!(args.first(), Some(&("fs" | "filesystem" | "repo" | "repository")))
    )
}

/// A folder whose dependencies CI installs, in one language.
#[derive(Debug, Clone, PartialEq)]
struct Component {
    runtime: Runtime,
    manager: PackageManager,
    folder: String,
    /// The first job that installs it (empty for a service no job installs).
    job: String,
}

impl Component {
    fn same_place(&self, other: &Component) -> bool {
        self.manager == other.manager && self.folder == other.folder
    }

    fn place(&self) -> String {
        if self.folder.is_empty() {
            "the repository root".to_owned()
        } else {
            format!("`{}`", self.folder)
        }
    }
}

fn component_of(design: &Design, job: &Job) -> Component {
    Component {
        runtime: job_runtime(design, job),
        manager: job_manager(design, job),
        folder: folder(&job.working_directory).unwrap_or_default(),
        job: job.id.clone(),
    }
}

/// What CI installs: the language and folder of every lint and test job, or of each service
/// when there are none.
fn components(design: &Design) -> Vec<Component> {
    let mut found: Vec<Component> = Vec::new();
    for job in &design.pipeline.jobs {
        if matches!(job.kind, JobKind::Lint | JobKind::Test) {
            let component = component_of(design, job);
            if !found.iter().any(|other| other.same_place(&component)) {
                found.push(component);
            }
        }
    }
    if found.is_empty() {
        for service in &design.services {
            let component = Component {
                runtime: service.runtime,
                manager: service.package_manager,
                folder: folder(&service.directory).unwrap_or_default(),
                job: String::new(),
            };
            if !found.iter().any(|other| other.same_place(&component)) {
                found.push(component);
            }
        }
    }
    found
}

fn runs(job: &Job, test: &dyn Fn(&str) -> bool) -> bool {
    job.commands.iter().any(|line| any_segment(line, test))
}

/// What a security job audits: the generated audit its own language and folder, custom
/// commands whatever package managers they audit.
enum Audits<'a> {
    Generated(Component),
    Commands(&'a Job),
}

impl Audits<'_> {
    fn covers(&self, component: &Component) -> bool {
        match self {
            Audits::Generated(own) => own.same_place(component),
            Audits::Commands(job) => runs(job, &|segment| audits(component.manager, segment)),
        }
    }
}

/// The components no security job audits.
fn unaudited(design: &Design) -> Vec<Component> {
    let security: Vec<Audits> = jobs_of(design, JobKind::Security)
        .into_iter()
        .map(|index| {
            let job = &design.pipeline.jobs[index];
            if job.commands.is_empty() {
                Audits::Generated(component_of(design, job))
            } else {
                Audits::Commands(job)
            }
        })
        .collect();
    components(design)
        .into_iter()
        .filter(|component| !security.iter().any(|audits| audits.covers(component)))
        .collect()
}

/// The first security job with its own commands: the one missing audits are added to.
fn first_custom(design: &Design) -> Option<usize> {
    jobs_of(design, JobKind::Security)
        .into_iter()
        .find(|&index| !design.pipeline.jobs[index].commands.is_empty())
}

/// Commands a custom security job lacks: the source scan, and (on the first custom job) the
/// audits no security job runs.
fn missing(design: &Design, index: usize) -> Vec<String> {
    let job = &design.pipeline.jobs[index];
    if job.commands.is_empty() {
        return Vec::new();
    }
    let mut missing: Vec<String> = Vec::new();
    if first_custom(design) == Some(index) {
        for component in unaudited(design) {
            let command = audit(component.manager).to_owned();
            if !missing.contains(&command) {
                missing.push(command);
            }
        }
    }
    if !runs(job, &scans_filesystem) {
        missing.push(trivy_fs(job));
    }
    missing
}

fn trivy_fs(job: &Job) -> String {
    let target = match job.working_directory.trim() {
        "" => ".",
        directory => directory,
    };
    format!("trivy fs --severity CRITICAL,HIGH --exit-code 1 {target}")
}

impl Rule for DependencyAndSourceScan {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-005",
        name: "dependency-and-source-scan",
        severity: Severity::High,
        area: Area::Pipeline,
        title: "A security job audits dependencies and scans the source",
        what: "The pipeline has a security job (it runs on pull requests and pushes like every CI \
               job). With the default commands it gets the generated dependency audit and Trivy \
               filesystem scan of its own language and folder, so every language and folder \
               that lint or test jobs install needs a security job of its own (a monorepo's \
               `backend` and `frontend`); custom commands must keep both: an audit for each \
               package manager in use (`npm audit --audit-level=high`, `pip-audit`, `govulncheck`, `cargo audit`, \
               OWASP dependency-check) and `trivy fs --severity CRITICAL,HIGH`.",
        why: "Most vulnerabilities arrive through dependencies, not through the code a team \
              writes. Auditing on every pull request stops a vulnerable version before it merges, \
              and the source scan catches committed secrets and misconfigurations the audit \
              cannot see.",
        incorrect: "jobs:\n  security:\n    steps:\n      - run: echo skipped",
        correct: "jobs:\n  security:\n    steps:\n      - run: npm audit --audit-level=high\n      - uses: aquasecurity/trivy-action@0.28.0\n        with: {scan-type: fs, scan-ref: ., severity: 'CRITICAL,HIGH'}",
        fix: "Adds a security job (and makes the build wait for it) when there is none or when a \
              language's folder has none, or appends the missing audit and Trivy commands to a \
              custom security job.",
        source: "000 · Key Concepts › CI/CD Pipeline Stages (\"Security Scan – npm audit + \
                 Trivy\"); CI/CD Pipelines › Complete Backend CI/CD Example (security-scan job); \
                 Production Readiness Checklist › Security (\"Dependencies scanned\"); 004 · \
                 CI/CD Pipelines › GitHub Actions (security job)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let security = jobs_of(design, JobKind::Security);
        if security.is_empty() {
            return vec![Violation::new(
                "pipeline.jobs",
                "The pipeline has no security job: dependencies are never audited.",
            )];
        }
        let mut violations: Vec<Violation> = security
            .into_iter()
            .filter_map(|index| {
                let missing = missing(design, index);
                (!missing.is_empty()).then(|| {
                    Violation::new(
                        format!("pipeline.jobs[{index}].commands"),
                        format!(
                            "Security job `{}` does not run `{}`.",
                            design.pipeline.jobs[index].id,
                            missing.join("`, `")
                        ),
                    )
                })
            })
            .collect();
        if first_custom(design).is_none() {
            violations.extend(unaudited(design).into_iter().map(|component| {
                Violation::new(
                    "pipeline.jobs",
                    format!(
                        "No security job audits the {} dependencies in {} that `{}` installs.",
                        component.runtime.label(),
                        component.place(),
                        component.job
                    ),
                )
            }));
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Audit dependencies and scan the source",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut none = Design::default();
        none.pipeline
            .jobs
            .retain(|job| job.kind != JobKind::Security);
        for job in &mut none.pipeline.jobs {
            job.needs.retain(|need| need != "security");
        }
        let custom = super::with_job("security", |job| {
            job.commands = vec![
                "npm ci".into(),
                "npm audit --audit-level=high || true".into(),
            ]
        });
        let mut monorepo = Design::default();
        let mut frontend = Job::new("frontend-test", JobKind::Test, &[]);
        frontend.runtime = Some(Runtime::Node);
        frontend.working_directory = "frontend".into();
        if monorepo.services[0].runtime == Runtime::Node {
            frontend.runtime = Some(Runtime::Python);
        }
        monorepo.pipeline.jobs.insert(0, frontend);
        vec![none, custom, monorepo]
    }
}

fn apply(design: &mut Design, _service: usize) {
    if jobs_of(design, JobKind::Security).is_empty() {
        let id = fresh_job_id(design, "security");
        let mut job = Job::new(&id, JobKind::Security, &[]);
        job.working_directory = design
            .services
            .first()
            .map(|service| service.directory.clone())
            .unwrap_or_default();
        design.pipeline.jobs.insert(0, job);
        for build in jobs_of(design, JobKind::Build) {
            add_need(design, build, 0);
        }
    }
    if first_custom(design).is_some() {
        for index in jobs_of(design, JobKind::Security) {
            let additions = missing(design, index);
            design.pipeline.jobs[index].commands.extend(additions);
        }
        return;
    }
    for component in unaudited(design) {
        add_security_job(design, &component);
    }
}

/// A security job running the generated audit and scan in a component's language and
/// folder, which every build waits for.
fn add_security_job(design: &mut Design, component: &Component) {
    let base = if component.folder.is_empty() {
        format!("{}-security", component.runtime.id())
    } else {
        format!(
            "{}-security",
            crate::text::identifier(&component.folder, component.runtime.id())
        )
    };
    let id = fresh_job_id(design, &base);
    let mut job = Job::new(&id, JobKind::Security, &[]);
    job.working_directory = component.folder.clone();
    // A language other than its folder's service's is set on the job itself.
    if job_service(design, &job).is_none_or(|(_, service)| service.runtime != component.runtime) {
        job.runtime = Some(component.runtime);
    }
    let lockfile = component.manager.lockfile();
    job.cache.key_files = vec![if component.folder.is_empty() {
        lockfile.to_owned()
    } else {
        format!("{}/{lockfile}", component.folder)
    }];
    let at = jobs_of(design, JobKind::Security)
        .last()
        .map_or(0, |last| last + 1);
    design.pipeline.jobs.insert(at, job);
    for build in jobs_of(design, JobKind::Build) {
        add_need(design, build, at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_with_the_generated_security_job() {
        assert!(fields(&DependencyAndSourceScan, &preset("fastapi-react")).is_empty());
    }

    #[test]
    fn fails_without_a_security_job_or_with_a_partial_one() {
        let reported: Vec<Vec<String>> = DependencyAndSourceScan::failing_examples()
            .iter()
            .map(|design| fields(&DependencyAndSourceScan, design))
            .collect();
        assert_eq!(reported[0], ["pipeline.jobs"]);
        assert_eq!(reported[1], ["pipeline.jobs[2].commands"]);
        assert_eq!(reported[2], ["pipeline.jobs"]);
    }

    #[test]
    fn the_fix_gives_each_language_folder_its_security_job() {
        let mut design = DependencyAndSourceScan::failing_examples().remove(2);
        apply(&mut design, 0);
        let added = design
            .pipeline
            .jobs
            .iter()
            .find(|job| job.id == "frontend-security")
            .expect("a frontend security job");
        assert_eq!(added.working_directory, "frontend");
        assert!(added.runtime.is_some());
        assert!(fields(&DependencyAndSourceScan, &design).is_empty());
        let build = design
            .pipeline
            .jobs
            .iter()
            .find(|job| job.kind == JobKind::Build)
            .unwrap();
        assert!(build.needs.contains(&"frontend-security".to_owned()));
    }
}
