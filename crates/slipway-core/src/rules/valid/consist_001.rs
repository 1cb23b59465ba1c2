use crate::model::{Design, Probe, Service};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct HealthPathConsistency;

fn normalized(path: &str) -> String {
    let trimmed = path.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        "/".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// The service's health root: the HEALTHCHECK path, else Railway's.
fn root(service: &Service) -> Option<String> {
    let container = &service.container;
    if container.healthcheck.enabled && !container.healthcheck.path.trim().is_empty() {
        return Some(normalized(&container.healthcheck.path));
    }
    None
}

fn under(root: &str, path: &str) -> bool {
    let path = normalized(path);
    root == "/" || path == root || path.starts_with(&format!("{root}/"))
}

fn railway_checked(service: &Service) -> bool {
    let railway = &service.railway;
    railway.enabled
        && service.kind.is_web()
        && railway.cron_schedule.trim().is_empty()
        && !railway.healthcheck_path.trim().is_empty()
}

fn probes(service: &Service) -> Vec<(&'static str, &Probe)> {
    let k8s = &service.kubernetes;
    if !k8s.enabled || !service.kind.is_web() {
        return Vec::new();
    }
    [
        ("startup", &k8s.probes.startup),
        ("liveness", &k8s.probes.liveness),
        ("readiness", &k8s.probes.readiness),
    ]
    .into_iter()
    .filter(|(_, probe)| probe.enabled && !probe.path.trim().is_empty())
    .collect()
}

impl Rule for HealthPathConsistency {
    const DOC: RuleDoc = RuleDoc {
        id: "CONSIST-001",
        name: "health-path-consistency",
        severity: Severity::Medium,
        area: Area::Validity,
        title: "One health endpoint across Docker, Kubernetes and Railway",
        what: "The Docker `HEALTHCHECK` path is the service's health root (default `/health`). \
               Railway's `healthcheckPath` is that same path, and every Kubernetes probe path is \
               the root or below it (`/health/startup`, `/health/liveness`, \
               `/health/readiness`). A root of `/` (static sites) only constrains Railway.",
        why: "Each platform calls the endpoint it was told about, and the app serves the ones \
              its developers wrote. When the three drift apart (`/actuator/health` in the image, \
              `/health` on Railway, `/healthz` in the probes) one of them probes a 404: Railway \
              fails every deploy or Kubernetes restarts healthy pods, and only on that platform.",
        incorrect: "HEALTHCHECK ... http://127.0.0.1:8080/actuator/health\nrailway: healthcheckPath: /health\nlivenessProbe: {httpGet: {path: /health/liveness}}",
        correct: "HEALTHCHECK ... http://127.0.0.1:8080/actuator/health\nrailway: healthcheckPath: /actuator/health\nlivenessProbe: {httpGet: {path: /actuator/health/liveness}}",
        fix: "Sets Railway's path to the health root and moves each probe below it, keeping the \
              probe's last path segment (`/health/liveness` → `/actuator/health/liveness`). \
              Unsafe: the written paths are replaced.",
        source: "Cross-artifact check (issue: consistency); 000 · Docker: Layer Security \
                 (HEALTHCHECK); Kubernetes Basics › Health Probes; railway.json Configuration \
                 › Deploy Settings (`healthcheckPath`); A7, A10",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let service = context.service();
        let Some(root) = root(service) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        if railway_checked(service) && normalized(&service.railway.healthcheck_path) != root {
            found.push(Violation::new(
                "railway.healthcheck_path",
                format!(
                    "Railway checks `{}` but the image's HEALTHCHECK checks `{root}`.",
                    service.railway.healthcheck_path
                ),
            ));
        }
        for (name, probe) in probes(service) {
            if !under(&root, &probe.path) {
                found.push(Violation::new(
                    format!("kubernetes.probes.{name}.path"),
                    format!(
                        "The {name} probe calls `{}`, outside the health root `{root}` the \
                         HEALTHCHECK and Railway use.",
                        probe.path
                    ),
                ));
            }
        }
        found
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Align the health paths",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut actuator = Design::default();
        actuator.services[0].container.healthcheck.path = "/actuator/health".into();
        let mut railway = Design::default();
        railway.services[0].railway.healthcheck_path = "/healthz".into();
        vec![actuator, railway]
    }
}

fn rebased(root: &str, path: &str) -> String {
    let last = normalized(path).rsplit('/').next().unwrap_or("").to_owned();
    if last.is_empty() || format!("/{last}") == root {
        root.to_owned()
    } else {
        format!("{}/{last}", root.trim_end_matches('/'))
    }
}

fn apply(design: &mut Design, index: usize) {
    let service = &mut design.services[index];
    let Some(root) = root(service) else {
        return;
    };
    if railway_checked(service) {
        service.railway.healthcheck_path = root.clone();
    }
    if !service.kubernetes.enabled || !service.kind.is_web() {
        return;
    }
    let probes = &mut service.kubernetes.probes;
    for probe in [
        &mut probes.startup,
        &mut probes.liveness,
        &mut probes.readiness,
    ] {
        if probe.enabled && !probe.path.trim().is_empty() && !under(&root, &probe.path) {
            probe.path = rebased(&root, &probe.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_for_every_preset() {
        for preset in crate::presets::all() {
            assert!(
                fields(&HealthPathConsistency, &(preset.build)()).is_empty(),
                "{}",
                preset.id
            );
        }
    }

    #[test]
    fn fails_when_the_paths_drift_apart() {
        assert_eq!(
            fields(
                &HealthPathConsistency,
                &HealthPathConsistency::failing_examples()[0]
            ),
            [
                "railway.healthcheck_path",
                "kubernetes.probes.startup.path",
                "kubernetes.probes.liveness.path",
                "kubernetes.probes.readiness.path"
            ]
        );
        assert_eq!(
            fields(
                &HealthPathConsistency,
                &HealthPathConsistency::failing_examples()[1]
            ),
            ["railway.healthcheck_path"]
        );
    }

    #[test]
    fn the_fix_keeps_each_probe_purpose() {
        let mut design = HealthPathConsistency::failing_examples().remove(0);
        apply(&mut design, 0);
        assert_eq!(
            design.services[0].kubernetes.probes.liveness.path,
            "/actuator/health/liveness"
        );
        assert_eq!(
            design.services[0].railway.healthcheck_path,
            "/actuator/health"
        );
    }
}
