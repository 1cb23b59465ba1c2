use crate::model::{Design, Job, JobKind, PackageManager};
use crate::rules::ci::{add_need, any_segment, fresh_job_id, jobs_of, tool_and_args};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct DependencyAndSourceScan;

static DOC: RuleDoc = RuleDoc {
    id: "PIPELINE-005",
    name: "dependency-and-source-scan",
    severity: Severity::High,
    area: Area::Pipeline,
    title: "A security job audits dependencies and scans the source",
    what: "The pipeline has a security job (it runs on pull requests and pushes like every CI \
           job). With the default commands it gets the generated dependency audit and Trivy \
           filesystem scan; custom commands must keep both: an audit for each package manager \
           in use (`npm audit --audit-level=high`, `pip-audit`, `govulncheck`, `cargo audit`, \
           OWASP dependency-check) and `trivy fs --severity CRITICAL,HIGH`.",
    why: "Most vulnerabilities arrive through dependencies, not through the code a team \
          writes. Auditing on every pull request stops a vulnerable version before it merges, \
          and the source scan catches committed secrets and misconfigurations the audit \
          cannot see.",
    incorrect: "jobs:\n  security:\n    steps:\n      - run: echo skipped",
    correct: "jobs:\n  security:\n    steps:\n      - run: npm audit --audit-level=high\n      - uses: aquasecurity/trivy-action@0.28.0\n        with: {scan-type: fs, scan-ref: ., severity: 'CRITICAL,HIGH'}",
    fix: "Adds a security job (and makes the build wait for it) when there is none, or \
          appends the missing audit and Trivy commands to a custom security job.",
    source: "000 · Key Concepts › CI/CD Pipeline Stages (\"Security Scan – npm audit + \
             Trivy\"); CI/CD Pipelines › Complete Backend CI/CD Example (security-scan job); \
             Production Readiness Checklist › Security (\"Dependencies scanned\"); 004 · \
             CI/CD Pipelines › GitHub Actions (security job)",
    equivalents: &[],
};

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

/// The package managers CI installs with: the project's plus other languages' jobs.
fn managers(design: &Design) -> Vec<PackageManager> {
    let mut managers = vec![design.project.package_manager];
    for job in &design.pipeline.jobs {
        if let Some(runtime) = job.runtime {
            if runtime != design.project.runtime {
                let manager = runtime.default_package_manager();
                if !managers.contains(&manager) {
                    managers.push(manager);
                }
            }
        }
    }
    managers
}

/// What a custom security job is missing.
fn missing(design: &Design, job: &Job) -> Vec<String> {
    if job.commands.is_empty() {
        return Vec::new();
    }
    let runs =
        |test: &dyn Fn(&str) -> bool| job.commands.iter().any(|line| any_segment(line, test));
    let mut missing: Vec<String> = managers(design)
        .into_iter()
        .filter(|manager| !runs(&|segment| audits(*manager, segment)))
        .map(|manager| audit(manager).to_owned())
        .collect();
    missing.dedup();
    if !runs(&scans_filesystem) {
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
    fn doc(&self) -> &'static RuleDoc {
        &DOC
    }

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let security = jobs_of(design, JobKind::Security);
        if security.is_empty() {
            return vec![Violation::new(
                "pipeline.jobs",
                "The pipeline has no security job: dependencies are never audited.",
            )];
        }
        security
            .into_iter()
            .filter_map(|index| {
                let job = &design.pipeline.jobs[index];
                let missing = missing(design, job);
                (!missing.is_empty()).then(|| {
                    Violation::new(
                        format!("pipeline.jobs[{index}].commands"),
                        format!(
                            "Security job `{}` does not run `{}`.",
                            job.id,
                            missing.join("`, `")
                        ),
                    )
                })
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Audit dependencies and scan the source",
            safety: FixSafety::Safe,
            apply,
        })
    }
}

fn apply(design: &mut Design) {
    if jobs_of(design, JobKind::Security).is_empty() {
        let id = fresh_job_id(design, "security");
        let mut job = Job::new(&id, JobKind::Security, &[]);
        job.working_directory = design.project.directory.clone();
        design.pipeline.jobs.insert(0, job);
        for build in jobs_of(design, JobKind::Build) {
            add_need(design, build, 0);
        }
        return;
    }
    for index in jobs_of(design, JobKind::Security) {
        let additions = missing(design, &design.pipeline.jobs[index]);
        design.pipeline.jobs[index].commands.extend(additions);
    }
}

#[cfg(test)]
pub(super) fn failing_examples() -> Vec<Design> {
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
    vec![none, custom]
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
        let reported: Vec<Vec<String>> = failing_examples()
            .iter()
            .map(|design| fields(&DependencyAndSourceScan, design))
            .collect();
        assert_eq!(reported[0], ["pipeline.jobs"]);
        assert_eq!(reported[1], ["pipeline.jobs[2].commands"]);
    }
}
