use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct GoldenSignalDashboards;

impl Rule for GoldenSignalDashboards {
    const DOC: RuleDoc = RuleDoc {
        id: "OBS-010",
        name: "golden-signal-dashboards",
        severity: Severity::Low,
        area: Area::Observability,
        title: "A dashboard shows the four golden signals",
        what: "The export includes a Grafana dashboard with latency (p95), traffic (request \
               rate), errors (error rate) and saturation (CPU and memory per pod).",
        why: "During an incident nobody writes PromQL from scratch: the dashboard is where \
              \"is it us, and since when?\" gets answered in seconds, and where a deploy's \
              effect is seen.",
        incorrect: "dashboard: false",
        correct: "dashboard: true   # grafana/dashboard.json with the four golden signals",
        fix: "Adds the dashboard to the export.",
        source: "000 · Observability & Monitoring › Grafana Dashboard Queries, Golden Signals; \
                 Production Readiness Checklist › Observability (\"Dashboards created (Grafana)\")",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        if design.observability.dashboard || !super::web::any_web(design) {
            return Vec::new();
        }
        vec![Violation::new(
            "observability.dashboard",
            "No golden-signal dashboard is exported.",
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Export the dashboard",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_observability(|o| o.dashboard = false)]
    }
}

fn apply(design: &mut Design, _service: usize) {
    design.observability.dashboard = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&GoldenSignalDashboards, &Design::default()).is_empty());
    }

    #[test]
    fn fails_without_a_dashboard() {
        assert_eq!(
            fields(
                &GoldenSignalDashboards,
                &GoldenSignalDashboards::failing_examples()[0]
            ),
            ["observability.dashboard"]
        );
    }
}
