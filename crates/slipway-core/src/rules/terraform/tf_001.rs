use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::infrastructure::terraform;

pub struct RemoteStateBackend;

fn missing(design: &Design) -> Vec<&'static str> {
    let Some(infrastructure) = terraform(design) else {
        return Vec::new();
    };
    let state = &infrastructure.state;
    let mut found = Vec::new();
    if state.bucket.trim().is_empty() {
        found.push("bucket");
    }
    if state.region.trim().is_empty() {
        found.push("region");
    }
    found
}

impl Rule for RemoteStateBackend {
    const DOC: RuleDoc = RuleDoc {
        id: "TF-001",
        name: "remote-state-backend",
        severity: Severity::High,
        area: Area::Terraform,
        title: "Terraform state lives in a remote S3 backend",
        what: "The root module declares `backend \"s3\"` with a bucket and a region. Without a \
               bucket the generated Terraform would keep local state.",
        why: "Local state lives on one laptop or one CI runner: the next run does not see it, \
              recreates everything or fails on existing resources, and the state (which holds \
              secrets such as generated passwords) is never backed up.",
        incorrect: "terraform {\n  # no backend: terraform.tfstate on disk\n}",
        correct: "terraform {\n  backend \"s3\" {\n    bucket = \"terraform-state\"\n    region = \"us-east-1\"\n  }\n}",
        fix: "Sets the bucket to `<project>-terraform-state` and the region to the design's.",
        source: "000 · Environment Management › Infrastructure as Code (Terraform) (\"Remote state \
                 in S3\")",
        equivalents: &[],
    };
    const READS_PROJECT: bool = true;

    fn check(&self, context: &Context) -> Vec<Violation> {
        missing(context.design)
            .into_iter()
            .map(|name| {
                Violation::new(
                    format!("infrastructure.state.{name}"),
                    format!("The S3 backend has no {name}: Terraform state would stay local."),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Use a remote backend",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_infrastructure(|infrastructure| {
            infrastructure.state.bucket.clear();
            infrastructure.state.region.clear();
        })]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let bucket = format!(
        "{}-terraform-state",
        crate::text::identifier(&design.project.name, "app")
    );
    let region = match design.infrastructure.region.trim() {
        "" => "us-east-1".to_owned(),
        region => region.to_owned(),
    };
    let state = &mut design.infrastructure.state;
    if state.bucket.trim().is_empty() {
        state.bucket = bucket;
    }
    if state.region.trim().is_empty() {
        state.region = region;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&RemoteStateBackend, &Design::default()).is_empty());
    }

    #[test]
    fn fails_without_bucket_or_region() {
        assert_eq!(
            fields(
                &RemoteStateBackend,
                &RemoteStateBackend::failing_examples()[0]
            ),
            ["infrastructure.state.bucket", "infrastructure.state.region"]
        );
    }
}
