//! The rule engine: one rule per file, one explicit registry, pure checks.
//!
//! A rule reads a [`Context`] (the design plus what is derived from it, such as the resolved
//! Dockerfile stages) and reports [`Violation`]s. The engine turns them into [`Finding`]s with
//! the rule's id and severity, marks waived ones, and sorts them most severe first.

/// Declares an area's rules, one line each (`module::Rule`): the rule's file and its place in
/// the registry, in catalog order.
macro_rules! rules {
    ($($module:ident::$rule:ident),* $(,)?) => {
        $(mod $module;)*

        pub(super) static RULES: &[&dyn $crate::rules::AnyRule] = &[$(&$module::$rule),*];
    };
}

/// Declares the rule areas, in catalog order: their folders and their part of the registry.
macro_rules! areas {
    ($($area:ident),* $(,)?) => {
        $(mod $area;)*

        /// Every rule Slipway checks, in catalog order, then the consistency and profile checks.
        pub fn registry() -> &'static [&'static dyn AnyRule] {
            static ALL: OnceLock<Vec<&'static dyn AnyRule>> = OnceLock::new();
            ALL.get_or_init(|| [$($area::RULES),*].concat())
        }
    };
}

areas! {
    pipeline,
    workflow,
    branch,
    cache,
    docker,
    k8s,
    rollout,
    helm,
    terraform,
    railway,
    migration,
    secrets,
    observability,
    readiness,
    services,
    valid,
}

pub mod reference;
#[cfg(test)]
pub(crate) mod support;

use std::cell::OnceCell;
use std::rc::Rc;
use std::sync::OnceLock;

use serde::Serialize;

use crate::model::{Design, Service, Stage};

/// How bad a violated rule is (docs/defaults.md#conventions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks the export until fixed or waived with a written reason.
    Critical,
    /// An error; the export is still allowed.
    High,
    /// A warning.
    Medium,
    /// A suggestion.
    Low,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }

    /// What the severity means to the user.
    pub fn meaning(self) -> &'static str {
        match self {
            Severity::Critical => "blocks export",
            Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low => "suggestion",
        }
    }
}

/// The part of the delivery setup a rule is about, in catalog order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Area {
    Pipeline,
    Branch,
    Cache,
    Docker,
    K8s,
    Rollout,
    Helm,
    Terraform,
    Railway,
    Migration,
    Secrets,
    Observability,
    Readiness,
    Services,
    Validity,
}

impl Area {
    pub fn label(self) -> &'static str {
        match self {
            Area::Pipeline => "Pipeline",
            Area::Branch => "Branch protection",
            Area::Cache => "Caching",
            Area::Docker => "Container image",
            Area::K8s => "Kubernetes",
            Area::Rollout => "Rollout",
            Area::Helm => "Helm",
            Area::Terraform => "Terraform",
            Area::Railway => "Railway",
            Area::Migration => "Migrations",
            Area::Secrets => "Secrets",
            Area::Observability => "Observability",
            Area::Readiness => "Production readiness",
            Area::Services => "Services",
            Area::Validity => "Platform validity",
        }
    }
}

/// A rule's documentation, written for the person reading the finding.
#[derive(Debug, Serialize)]
pub struct RuleDoc {
    /// Stable catalog id, e.g. `DOCKER-001`.
    pub id: &'static str,
    /// Kebab-case name, e.g. `non-root-user`.
    pub name: &'static str,
    pub severity: Severity,
    pub area: Area,
    pub title: &'static str,
    /// What the rule checks.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// A design fragment or artifact excerpt that violates the rule.
    pub incorrect: &'static str,
    /// The same fragment, corrected.
    pub correct: &'static str,
    /// What the fix does, or how to fix it by hand.
    pub fix: &'static str,
    /// Where the rule comes from in the source documents.
    pub source: &'static str,
    /// Equivalent checks in third-party tools (hadolint, checkov, kube-linter, ...).
    pub equivalents: &'static [&'static str],
}

/// Whether a fix only adds or tightens settings (safe) or may discard something the user
/// wrote (unsafe: applied only when asked for explicitly).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixSafety {
    Safe,
    Unsafe,
}

/// A one-click fix: a pure edit of the design.
pub struct Fix {
    pub label: &'static str,
    pub safety: FixSafety,
    /// Edits the design; a service rule's fix edits the service at the given index (a design
    /// rule's fix is given 0 and ignores it).
    pub apply: fn(&mut Design, usize),
}

/// What a rule checks once: the whole design, or each service in turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Checked once per design; its fields are paths from the design's root.
    Design,
    /// Checked once per service, through [`Context::service`]; its fields are paths inside
    /// the service (`container.port`) and its findings name the service
    /// (`services[1].container.port`).
    Service,
}

/// A rule, declared once in its own file: its documentation, a pure check and, where
/// possible, a fix. Registering it is one line in its area's `rules!` list.
pub trait Rule: Sync + 'static {
    const DOC: RuleDoc;
    const SCOPE: Scope = Scope::Design;
    /// Whether the check reads `project` (the system's name and description), directly or
    /// through a fact that does (`facts::cloud::project_slug` and `cluster`,
    /// `facts::gitops::project_name`). An edit to the project alone re-runs only these rules
    /// (typing the system's name); the registry's tests hold every rule to its answer.
    const READS_PROJECT: bool = false;

    fn check(&self, context: &Context) -> Vec<Violation>;

    fn fix(&self) -> Option<Fix> {
        None
    }

    /// Designs the rule must report, for the registry-wide tests (and its fix's tests).
    #[cfg(test)]
    fn failing_examples() -> Vec<Design>;

    /// Workflows (YAML) the rule must report when audit mode reads them, for a rule that judges
    /// audited workflows ([`crate::facts::audited_workflow`]).
    #[cfg(test)]
    fn failing_workflows() -> Vec<&'static str> {
        Vec::new()
    }
}

/// A registered rule of any type: what the registry holds and the engine runs.
pub trait AnyRule: Sync {
    fn doc(&self) -> &'static RuleDoc;
    fn scope(&self) -> Scope;
    fn reads_project(&self) -> bool;
    fn check(&self, context: &Context) -> Vec<Violation>;
    fn fix(&self) -> Option<Fix>;
    #[cfg(test)]
    fn failing_examples(&self) -> Vec<Design>;
    #[cfg(test)]
    fn failing_workflows(&self) -> Vec<&'static str>;
}

impl<R: Rule> AnyRule for R {
    fn doc(&self) -> &'static RuleDoc {
        const { &R::DOC }
    }

    fn scope(&self) -> Scope {
        R::SCOPE
    }

    fn reads_project(&self) -> bool {
        R::READS_PROJECT
    }

    fn check(&self, context: &Context) -> Vec<Violation> {
        Rule::check(self, context)
    }

    fn fix(&self) -> Option<Fix> {
        Rule::fix(self)
    }

    #[cfg(test)]
    fn failing_examples(&self) -> Vec<Design> {
        R::failing_examples()
    }

    #[cfg(test)]
    fn failing_workflows(&self) -> Vec<&'static str> {
        R::failing_workflows()
    }
}

/// What a check reports: a message and the design field at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub message: String,
    /// Dotted path into the design (`container.user.uid`), used to focus the field.
    pub field: String,
    /// A milder severity than the rule's, for the parts the catalog only recommends
    /// (e.g. linear history on `dev`). `None` keeps the rule's severity.
    pub severity: Option<Severity>,
    /// The rule's fix does not reach this violation (text the user wrote that only they can
    /// rewrite): its finding offers no fix.
    pub beyond_fix: bool,
}

impl Violation {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Violation {
            message: message.into(),
            field: field.into(),
            severity: None,
            beyond_fix: false,
        }
    }

    /// Marks a violation the rule's fix does not clear: its finding offers no fix.
    pub fn without_fix(mut self) -> Self {
        self.beyond_fix = true;
        self
    }

    /// Reports this violation at a milder severity than the rule's own.
    pub fn downgraded(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }
}

/// A violated rule in a specific design.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    /// The service a service rule found this in, by name.
    pub service: Option<String>,
    pub severity: Severity,
    pub area: Area,
    pub title: &'static str,
    pub message: String,
    pub field: String,
    pub fix: Option<FixSafety>,
    /// Accepted on purpose, with a reason in the design's waivers.
    pub waived: bool,
}

/// The design plus what several rules derive from it, computed once per check: for a
/// service rule, the service it checks and that service's resolved Dockerfile stages.
pub struct Context<'a> {
    pub design: &'a Design,
    service: Option<&'a Service>,
    /// The index of [`Context::service`] in the design's services.
    pub index: usize,
    /// The service's Dockerfile stages, explicit or from the runtime template.
    pub stages: Vec<Stage>,
    /// Facts about the whole design, shared by every service's context of one check.
    shared: Rc<SharedFacts>,
}

/// What rules of every service need to know about the whole design: computed at most once
/// per check (on first use), so that a service rule that looks at every job stays linear in
/// the number of services.
#[derive(Default)]
pub(crate) struct SharedFacts {
    job_services: OnceCell<Vec<Option<usize>>>,
    testing_jobs: OnceCell<Vec<usize>>,
    needs: OnceCell<crate::facts::needs::Needs>,
}

impl<'a> Context<'a> {
    /// The context of the design and its first service.
    pub fn new(design: &'a Design) -> Self {
        Context::for_service(design, 0)
    }

    /// The context of the design and the service at `index`.
    pub fn for_service(design: &'a Design, index: usize) -> Self {
        Context::sharing(design, index, Rc::default())
    }

    /// A context for each service of the design, sharing what a check derives once (the
    /// `needs` graph, each job's service), as a check builds them.
    pub fn for_each_service(design: &'a Design) -> Vec<Self> {
        let shared: Rc<SharedFacts> = Rc::default();
        (0..design.services.len().max(1))
            .map(|index| Context::sharing(design, index, Rc::clone(&shared)))
            .collect()
    }

    fn sharing(design: &'a Design, index: usize, shared: Rc<SharedFacts>) -> Self {
        let service = design.services.get(index);
        Context {
            design,
            service,
            index,
            stages: service
                .map(crate::facts::stages::resolve)
                .unwrap_or_default(),
            shared,
        }
    }

    /// The service each CI job works on (by its working directory), by job index.
    pub fn job_services(&self) -> &[Option<usize>] {
        self.shared.job_services.get_or_init(|| {
            let design = self.design;
            design
                .pipeline
                .jobs
                .iter()
                .map(|job| crate::facts::jobs::job_service(design, job).map(|(index, _)| index))
                .collect()
        })
    }

    /// The pipeline's `needs` graph, built once per check.
    pub(crate) fn needs(&self) -> &crate::facts::needs::Needs {
        self.shared
            .needs
            .get_or_init(|| crate::facts::needs::Needs::new(self.design))
    }

    /// The indices of the test jobs that run a test suite.
    pub fn testing_jobs(&self) -> &[usize] {
        self.shared
            .testing_jobs
            .get_or_init(|| crate::facts::jobs::testing_jobs(self.design))
    }

    /// The service being checked. A design always has one (loading refuses a design
    /// without); a design built in code without any gets the default service's view.
    pub fn service(&self) -> &'a Service {
        static FALLBACK: OnceLock<Service> = OnceLock::new();
        self.service
            .unwrap_or_else(|| FALLBACK.get_or_init(Service::default))
    }

    /// Whether the stages come from the template (so fields, not instructions, are at fault).
    pub fn templated(&self) -> bool {
        self.service().container.stages.is_empty()
    }

    /// Index of the final stage, the one that ships.
    pub fn final_stage(&self) -> Option<(usize, &Stage)> {
        self.stages
            .len()
            .checked_sub(1)
            .map(|i| (i, &self.stages[i]))
    }

    /// The field path of an instruction in an explicit stage.
    pub fn instruction_field(&self, stage: usize, instruction: usize) -> String {
        format!("container.stages[{stage}].instructions[{instruction}]")
    }
}

/// The fields of a service, the roots of the paths a service rule reports.
pub const SERVICE_FIELDS: &[&str] = &[
    "name",
    "kind",
    "directory",
    "runtime",
    "runtime_version",
    "package_manager",
    "lockfile",
    "commands",
    "container",
    "kubernetes",
    "railway",
    "talks_to",
    "migrations",
];

/// The design path of a field a service rule reports for the service at `index`: a path
/// inside the service gets the service's prefix (`container.port` →
/// `services[1].container.port`); a path into the design's shared sections
/// (`pipeline.jobs[2]`) stays as it is.
pub fn service_field(index: usize, field: &str) -> String {
    let root = field.split(['.', '[']).next().unwrap_or("");
    if field.is_empty() {
        format!("services[{index}]")
    } else if SERVICE_FIELDS.contains(&root) {
        format!("services[{index}].{field}")
    } else {
        field.to_owned()
    }
}

/// The service a design path points into, and the path inside it
/// (`services[1].container.port` → `(1, "container.port")`).
pub fn split_service_field(field: &str) -> Option<(usize, &str)> {
    let rest = field.strip_prefix("services[")?;
    let (index, rest) = rest.split_once(']')?;
    Some((index.parse().ok()?, rest.trim_start_matches('.')))
}

/// Looks a rule up by its id (case-insensitive).
pub fn find(id: &str) -> Option<&'static dyn AnyRule> {
    registry()
        .iter()
        .copied()
        .find(|rule| rule.doc().id.eq_ignore_ascii_case(id))
}

/// Checks a design against every rule: design rules once, service rules once per service.
/// Most severe first, then by rule id.
/// Checks a design against every rule: design rules once, service rules once per service.
/// Most severe first, then by rule id.
pub fn check(design: &Design) -> Vec<Finding> {
    crate::facts::jobs::with_service_folders(design, || {
        let shared = Rc::new(SharedFacts::default());
        let design_part = design_findings(design, &shared);
        let services: Vec<Vec<Vec<Finding>>> = (0..design.services.len())
            .map(|index| service_findings(design, index, &shared))
            .collect();
        merge(design_part, services)
    })
}

/// [`check`] with only the rules `keep` selects: what an audit that keeps the findings of a
/// few rules runs, without the cost of the others.
pub fn check_only(design: &Design, keep: &dyn Fn(&RuleDoc) -> bool) -> Vec<Finding> {
    crate::facts::jobs::with_service_folders(design, || {
        let shared = Rc::new(SharedFacts::default());
        let mut findings = Vec::new();
        let design_context = Context::sharing(design, 0, Rc::clone(&shared));
        let contexts: Vec<Context> = (0..design.services.len())
            .map(|index| Context::sharing(design, index, Rc::clone(&shared)))
            .collect();
        for rule in registry().iter().filter(|rule| keep(rule.doc())) {
            match rule.scope() {
                Scope::Design => findings.extend(
                    rule.check(&design_context)
                        .into_iter()
                        .map(|violation| finding(design, *rule, violation, None)),
                ),
                Scope::Service => {
                    for (index, context) in contexts.iter().enumerate() {
                        findings.extend(
                            rule.check(context)
                                .into_iter()
                                .map(|violation| finding(design, *rule, violation, Some(index))),
                        );
                    }
                }
            }
        }
        findings.sort_by(|a, b| (a.severity, a.rule).cmp(&(b.severity, b.rule)));
        findings
    })
}

/// The findings of the design-wide rules, one list per rule of the registry (empty for the
/// rules of a service).
pub(crate) fn design_findings(design: &Design, shared: &Rc<SharedFacts>) -> Vec<Vec<Finding>> {
    findings_of(design, None, shared, Vec::new(), |_| true)
}

/// The findings of the service rules on the service at `index`, one list per rule of the
/// registry (empty for the design-wide rules).
pub(crate) fn service_findings(
    design: &Design,
    index: usize,
    shared: &Rc<SharedFacts>,
) -> Vec<Vec<Finding>> {
    findings_of(design, Some(index), shared, Vec::new(), |_| true)
}

/// The findings of the design rules (`service` `None`) or of the service rules on one service,
/// one list per rule of the registry: the rules `rerun` picks are checked, the others keep
/// their list from `previous` (empty when it has none).
pub(crate) fn findings_of(
    design: &Design,
    service: Option<usize>,
    shared: &Rc<SharedFacts>,
    previous: Vec<Vec<Finding>>,
    rerun: impl Fn(&dyn AnyRule) -> bool,
) -> Vec<Vec<Finding>> {
    let context = Context::sharing(design, service.unwrap_or(0), Rc::clone(shared));
    let scope = match service {
        Some(_) => Scope::Service,
        None => Scope::Design,
    };
    let mut previous = previous.into_iter();
    registry()
        .iter()
        .map(|rule| {
            let kept = previous.next();
            match kept {
                _ if rule.scope() != scope => Vec::new(),
                Some(kept) if !rerun(*rule) => kept,
                _ => rule
                    .check(&context)
                    .into_iter()
                    .map(|violation| finding(design, *rule, violation, service))
                    .collect(),
            }
        })
        .collect()
}

/// The findings of every rule in registry order (a design rule's, then a service rule's for
/// each service in turn), sorted by severity and rule: what [`check`] returns.
pub(crate) fn merge(design: Vec<Vec<Finding>>, services: Vec<Vec<Vec<Finding>>>) -> Vec<Finding> {
    let mut services: Vec<std::vec::IntoIter<Vec<Finding>>> =
        services.into_iter().map(Vec::into_iter).collect();
    let mut findings: Vec<Finding> = Vec::new();
    for (rule, design_part) in registry().iter().zip(design) {
        findings.extend(design_part);
        for service in &mut services {
            let part = service.next().unwrap_or_default();
            if rule.scope() == Scope::Service {
                findings.extend(part);
            }
        }
    }
    findings.sort_by(|a, b| (a.severity, a.rule).cmp(&(b.severity, b.rule)));
    findings
}

/// A violation of `rule` as a finding: in the service at `service`, when it is one's.
fn finding(
    design: &Design,
    rule: &dyn AnyRule,
    violation: Violation,
    service: Option<usize>,
) -> Finding {
    let doc = rule.doc();
    Finding {
        rule: doc.id,
        service: service
            .and_then(|index| design.services.get(index))
            .map(|service| service.name.clone()),
        // A downgrade never makes a finding more severe than its rule.
        severity: violation.severity.unwrap_or(doc.severity).max(doc.severity),
        area: doc.area,
        title: doc.title,
        message: violation.message,
        field: match service {
            Some(index) => service_field(index, &violation.field),
            None => violation.field,
        },
        fix: if violation.beyond_fix {
            None
        } else {
            rule.fix().map(|fix| fix.safety)
        },
        waived: design.is_waived(doc.id),
    }
}

/// Applies a rule's fix where the rule fires: once for a design rule, in every service it
/// fires in for a service rule. Returns whether a fix ran.
pub fn apply_fix(design: &mut Design, rule_id: &str) -> bool {
    let Some(rule) = find(rule_id) else {
        return false;
    };
    match rule.scope() {
        Scope::Design => apply_fix_to(design, rule_id, 0),
        Scope::Service => {
            let firing: Vec<usize> = (0..design.services.len())
                .filter(|&index| !rule.check(&Context::for_service(design, index)).is_empty())
                .collect();
            let mut applied = false;
            for index in firing {
                applied |= apply_fix_to(design, rule_id, index);
            }
            applied
        }
    }
}

/// Applies a rule's fix to the service at `service` (ignored by design rules), if the rule
/// has a fix and the service exists. Returns whether a fix ran.
pub fn apply_fix_to(design: &mut Design, rule_id: &str, service: usize) -> bool {
    let Some(rule) = find(rule_id) else {
        return false;
    };
    if rule.scope() == Scope::Service && service >= design.services.len() {
        return false;
    }
    match rule.fix() {
        Some(fix) => {
            (fix.apply)(design, service);
            true
        }
        None => false,
    }
}

/// Applies the fix of a finding: its rule's, in the service the finding names.
pub fn apply_finding_fix(design: &mut Design, finding: &Finding) -> bool {
    if finding.fix.is_none() {
        return false;
    }
    let service = split_service_field(&finding.field).map_or(0, |(index, _)| index);
    apply_fix_to(design, finding.rule, service)
}

/// Critical findings that are not waived: these block the export.
pub fn blocking(findings: &[Finding]) -> impl Iterator<Item = &Finding> {
    findings
        .iter()
        .filter(|finding| finding.severity == Severity::Critical && !finding.waived)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// What a rule reports on a design: once for a design rule, for every service for a
    /// service rule.
    fn violations_anywhere(rule: &dyn AnyRule, design: &Design) -> Vec<Violation> {
        match rule.scope() {
            Scope::Design => rule.check(&Context::new(design)),
            Scope::Service => (0..design.services.len())
                .flat_map(|index| rule.check(&Context::for_service(design, index)))
                .collect(),
        }
    }

    #[test]
    fn rule_ids_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for rule in registry() {
            let doc = rule.doc();
            assert!(seen.insert(doc.id), "duplicate id {}", doc.id);
            let (prefix, number) = doc.id.split_once('-').expect("AREA-NNN");
            assert!(
                prefix
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
                "{}",
                doc.id
            );
            assert!(
                doc.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{} name {}",
                doc.id,
                doc.name
            );
            assert!(!doc.source.trim().is_empty(), "{} has no source", doc.id);
            assert_eq!(number.len(), 3, "{}", doc.id);
            for text in [
                doc.title,
                doc.what,
                doc.why,
                doc.incorrect,
                doc.correct,
                doc.fix,
            ] {
                assert!(!text.trim().is_empty(), "{} has an empty doc field", doc.id);
            }
        }
    }

    #[test]
    fn every_preset_is_free_of_critical_and_high_findings() {
        for preset in crate::presets::all() {
            let design = (preset.build)();
            let serious: Vec<_> = check(&design)
                .into_iter()
                .filter(|finding| finding.severity <= Severity::High)
                .collect();
            assert!(serious.is_empty(), "{}: {serious:#?}", preset.id);
        }
    }

    #[test]
    fn every_fix_clears_its_finding_and_is_idempotent() {
        for rule in registry() {
            if rule.fix().is_none() {
                continue;
            }
            for design in rule.failing_examples() {
                let mut fixed = design.clone();
                apply_fix(&mut fixed, rule.doc().id);
                let once = fixed.clone();
                let left: Vec<Violation> = violations_anywhere(*rule, &fixed)
                    .into_iter()
                    .filter(|violation| !violation.beyond_fix)
                    .collect();
                assert!(
                    left.is_empty(),
                    "{} fix did not clear its finding: {left:#?}",
                    rule.doc().id
                );
                apply_fix(&mut fixed, rule.doc().id);
                assert_eq!(fixed, once, "{} fix is not idempotent", rule.doc().id);
                let worst_before = check(&design).iter().map(|f| f.severity).min();
                let worst_after = check(&fixed).iter().map(|f| f.severity).min();
                if let (Some(before), Some(after)) = (worst_before, worst_after) {
                    assert!(
                        after >= before,
                        "{} fix introduced a worse finding",
                        rule.doc().id
                    );
                }
            }
        }
    }

    #[test]
    fn every_rule_fails_its_examples_and_never_reports_above_its_severity() {
        for rule in registry() {
            let doc = rule.doc();
            let examples = rule.failing_examples();
            let workflows = rule.failing_workflows();
            assert!(
                !examples.is_empty() || !workflows.is_empty(),
                "{} has no failing examples",
                doc.id
            );
            let audited = workflows.into_iter().map(|yaml| {
                let document = serde_norway::from_str(yaml).expect("an example workflow");
                crate::facts::audited_workflow::with_workflow(document, || {
                    violations_anywhere(*rule, &Design::default())
                })
            });
            for violations in examples
                .iter()
                .map(|design| violations_anywhere(*rule, design))
                .chain(audited)
            {
                assert!(
                    !violations.is_empty(),
                    "{} passed a failing example",
                    doc.id
                );
                for violation in violations {
                    assert!(!violation.field.is_empty(), "{} without a field", doc.id);
                    assert!(
                        violation.severity.is_none_or(|s| s >= doc.severity),
                        "{} reports above its severity",
                        doc.id
                    );
                }
            }
        }
    }

    #[test]
    fn rules_are_listed_in_catalog_order() {
        let docs: Vec<&RuleDoc> = registry().iter().map(|rule| rule.doc()).collect();
        for pair in docs.windows(2) {
            assert!(
                pair[0].area <= pair[1].area,
                "{} before {}",
                pair[0].id,
                pair[1].id
            );
        }
        let mut prefixes_done: Vec<&str> = Vec::new();
        for pair in docs.windows(2) {
            let (prefix, number) = pair[0].id.split_once('-').expect("AREA-NNN");
            let (next_prefix, next_number) = pair[1].id.split_once('-').expect("AREA-NNN");
            if prefix == next_prefix {
                assert!(number < next_number, "{} before {}", pair[0].id, pair[1].id);
            } else {
                prefixes_done.push(prefix);
                assert!(
                    !prefixes_done.contains(&next_prefix),
                    "{next_prefix} is split"
                );
            }
        }
    }

    /// The findings of every rule alone, for each service (service rules) or once.
    fn findings_per_rule(design: &Design) -> Vec<(&'static str, Vec<Finding>)> {
        let shared = Rc::default();
        let mut all = design_findings(design, &shared);
        for index in 0..design.services.len() {
            for (rule, part) in all.iter_mut().zip(service_findings(design, index, &shared)) {
                rule.extend(part);
            }
        }
        registry()
            .iter()
            .map(|rule| rule.doc().id)
            .zip(all)
            .collect()
    }

    #[test]
    fn only_the_rules_that_say_so_read_the_project() {
        let mut designs: Vec<Design> = crate::presets::all()
            .iter()
            .map(|preset| (preset.build)())
            .collect();
        designs.push(crate::presets::with_services(4));
        for design in designs {
            let before = findings_per_rule(&design);
            for (name, description) in
                [("orders-platform-2", "what it is for"), ("", ""), ("X", "")]
            {
                let mut renamed = design.clone();
                renamed.project.name = name.into();
                renamed.project.description = description.into();
                for ((id, old), (_, new)) in before.iter().zip(findings_per_rule(&renamed)) {
                    let reads = find(id).is_some_and(|rule| rule.reads_project());
                    assert!(
                        reads || *old == new,
                        "{id} reads the project (`{name}`) but does not say so: set READS_PROJECT"
                    );
                }
            }
        }
    }

    #[test]
    fn a_rule_that_uses_a_fact_of_the_project_says_it_reads_it() {
        // What reads `project`: the field itself and the facts derived from it.
        let readers = [
            ".project",
            "project_slug",
            "project_name",
            "cloud::cluster",
            "crate::generate",
        ];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
        let mut files = vec![root];
        let mut checked = 0;
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(
                    std::fs::read_dir(&path)
                        .unwrap()
                        .map(|entry| entry.unwrap().path()),
                );
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            if !text.contains("impl Rule for") {
                continue;
            }
            checked += 1;
            let code = text.split("\n#[cfg(test)]").next().unwrap_or_default();
            if let Some(reader) = readers.iter().find(|reader| code.contains(**reader)) {
                assert!(
                    code.contains("const READS_PROJECT: bool = true;"),
                    "{} uses `{reader}`: declare READS_PROJECT",
                    path.display()
                );
            }
        }
        assert!(checked >= registry().len(), "{checked} rule files");
    }

    #[test]
    fn the_cli_clean_design_has_no_open_finding() {
        // The CLI's integration test lints exactly this file and expects no open finding.
        let design = crate::io::parse_design(CLEAN_DESIGN).unwrap();
        let open: Vec<_> = check(&design).into_iter().filter(|f| !f.waived).collect();
        assert!(open.is_empty(), "{open:#?}");
    }

    const CLEAN_DESIGN: &str = "version: 1\nproject:\n  name: api\nwaivers:\n- rule: PIPELINE-020\n  reason: deploys are announced by the platform bot\n- rule: PIPELINE-021\n  reason: integration and end-to-end suites run in the release repository\n- rule: BRANCH-005\n  reason: dev keeps merge commits\n- rule: BRANCH-007\n  reason: the security scan is advisory on dev\n- rule: ROLLOUT-010\n  reason: rolling updates without unavailability are enough here\n";

    #[test]
    fn waived_findings_do_not_block() {
        let mut design = crate::presets::for_runtime(crate::model::Runtime::Node);
        design.services[0].container.dockerignore.clear();
        assert!(blocking(&check(&design)).next().is_some());
        design.waivers.push(crate::model::Waiver {
            rule: "DOCKER-003".into(),
            reason: "build context is generated by CI".into(),
        });
        assert!(blocking(&check(&design)).next().is_none());
    }
}
