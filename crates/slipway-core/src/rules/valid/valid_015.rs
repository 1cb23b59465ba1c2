use crate::model::{Design, StateBackend};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct BackendConfigNotVariables;

fn interpolated(value: &str) -> bool {
    let value = value.trim();
    value.contains("${") || value.starts_with("var.") || value.starts_with("local.")
}

fn settings(state: &StateBackend) -> [(&'static str, &str); 3] {
    [
        ("bucket", &state.bucket),
        ("region", &state.region),
        ("dynamodb_table", &state.dynamodb_table),
    ]
}

impl Rule for BackendConfigNotVariables {
    const DOC: RuleDoc = RuleDoc {
        id: "VALID-015",
        name: "backend-config-not-variables",
        severity: Severity::High,
        area: Area::Validity,
        title: "The state backend uses no variables",
        what: "The backend's bucket, region and lock table are literals: no `var.`, `local.` or \
               `${...}` interpolation. The per-environment state key comes from the generated \
               `backend/<env>.hcl` files (TF-004).",
        why: "Terraform reads the backend before it evaluates variables, so `terraform init` \
              fails with \"Variables may not be used here\". The seed hardcodes \
              `key = \"prod/terraform.tfstate\"` while using per-environment tfvars (A17); making \
              it a variable is the natural but invalid repair.",
        incorrect: "backend \"s3\" {\n  bucket = var.state_bucket\n}",
        correct: "backend \"s3\" {\n  bucket = \"terraform-state\"\n}\n# terraform init -backend-config=backend/production.hcl",
        fix: "Restores the default literal for each interpolated setting. Unsafe: the written \
              value is replaced.",
        source: "Not in the documents (docs/defaults.md#a17-terraform): 000 · Environment \
                 Management › Infrastructure as Code (Terraform)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let infrastructure = &context.design.infrastructure;
        if !infrastructure.enabled {
            return Vec::new();
        }
        settings(&infrastructure.state)
            .into_iter()
            .filter(|(_, value)| interpolated(value))
            .map(|(name, value)| {
                Violation::new(
                    format!("infrastructure.state.{name}"),
                    format!("The backend's `{name}` is `{value}`: backends cannot read variables, so `terraform init` fails."),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Use literal backend settings",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        design.infrastructure.state.bucket = "var.state_bucket".into();
        design.infrastructure.state.region = "${var.region}".into();
        vec![design]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let defaults = StateBackend::default();
    let state = &mut design.infrastructure.state;
    if interpolated(&state.bucket) {
        state.bucket = defaults.bucket;
    }
    if interpolated(&state.region) {
        state.region = design.infrastructure.region.clone();
        if interpolated(&state.region) {
            state.region = defaults.region;
        }
    }
    if interpolated(&state.dynamodb_table) {
        state.dynamodb_table = String::new();
        state.use_lockfile = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&BackendConfigNotVariables, &Design::default()).is_empty());
    }

    #[test]
    fn fails_on_interpolated_settings() {
        assert_eq!(
            fields(
                &BackendConfigNotVariables,
                &BackendConfigNotVariables::failing_examples()[0]
            ),
            ["infrastructure.state.bucket", "infrastructure.state.region"]
        );
    }
}
