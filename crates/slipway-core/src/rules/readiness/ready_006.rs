use crate::model::{Design, ServiceKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct CdnForStaticAssets;

impl Rule for CdnForStaticAssets {
    const DOC: RuleDoc = RuleDoc {
        id: "READY-006",
        name: "cdn-for-static-assets",
        severity: Severity::Low,
        area: Area::Readiness,
        title: "A static front end is served through a CDN",
        what: "A static site is served from a CDN (e.g. S3 + CloudFront) and the deploy \
               invalidates the CDN cache after uploading.",
        why: "Served only from the origin, every asset request crosses the world and every \
              traffic spike lands on a couple of pods. Without the invalidation, users keep the \
              old bundle (or a mix of old and new chunks) after a deploy.",
        incorrect: "kind: static-site\nreadiness: {cdn: false}",
        correct: "aws s3 sync dist/ s3://site --delete\naws cloudfront create-invalidation --distribution-id $CDN_ID --paths '/*'",
        fix: "Serves the site through a CDN with invalidation on deploy.",
        source: "000 · Production Readiness Checklist › Infrastructure (\"CDN for static \
                 assets\"); GitHub Actions CI/CD Example › Deploy Pipeline (S3 sync and \
                 CloudFront invalidation)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let static_site = design
            .services
            .iter()
            .any(|service| service.kind == ServiceKind::StaticSite);
        if !static_site || design.readiness.cdn {
            return Vec::new();
        }
        vec![Violation::new(
            "readiness.cdn",
            "The static site is served without a CDN.",
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Serve through a CDN",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = crate::rules::support::preset("static-site");
        design.readiness.cdn = false;
        vec![design]
    }
}

fn apply(design: &mut Design, _service: usize) {
    design.readiness.cdn = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_for_the_static_preset_and_for_apis() {
        assert!(fields(&CdnForStaticAssets, &preset("static-site")).is_empty());
        let mut api = Design::default();
        api.readiness.cdn = false;
        assert!(fields(&CdnForStaticAssets, &api).is_empty());
    }

    #[test]
    fn fails_without_a_cdn() {
        assert_eq!(
            fields(
                &CdnForStaticAssets,
                &CdnForStaticAssets::failing_examples()[0]
            ),
            ["readiness.cdn"]
        );
    }
}
