use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct DockerignoreVsBuilderTests;

fn excludes_tests(pattern: &str) -> bool {
    let trimmed = pattern
        .trim()
        .trim_start_matches("./")
        .trim_start_matches('/')
        .trim_end_matches("/**")
        .trim_end_matches('/');
    matches!(
        trimmed,
        "tests" | "test" | "__tests__" | "spec" | "**/tests" | "**/test"
    )
}

impl Rule for DockerignoreVsBuilderTests {
    const DOC: RuleDoc = RuleDoc {
        id: "VALID-011",
        name: "dockerignore-vs-builder-tests",
        severity: Severity::High,
        area: Area::Validity,
        title: "Tests run in the image only if the tests are in the build context",
        what: "When the builder stage runs the test suite, `.dockerignore` does not exclude the \
               test folders (`tests/`, `test/`, `__tests__/`, `spec/`).",
        why: "The seed requires `tests/` in `.dockerignore` and also runs `npm run test` in the \
              builder (A10): the image build then fails, or worse, the runner finds no tests and \
              passes. Either keep tests out of the image and rely on the CI test job \
              (PIPELINE-008 runs it before the build), or let them into the context.",
        incorrect: ".dockerignore: tests/\nbuilder: RUN npm run build && npm run test",
        correct:
            ".dockerignore: tests/\nbuilder: RUN npm run build   # tests run in the CI test job",
        fix: "Stops running tests in the image; the CI test job already runs them before the \
              build. Unsafe: the in-image test run is dropped.",
        source: "Not in the documents (docs/defaults.md#a10-image-tests): 000 · Docker: Layer \
                 Security (`.dockerignore` lists `tests/`) vs Docker: Multi-Stage Builds (builder \
                 runs tests)",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let container = &context.service().container;
        if !context.templated() || !container.run_tests_in_builder {
            return Vec::new();
        }
        container
            .dockerignore
            .iter()
            .enumerate()
            .filter(|(_, pattern)| excludes_tests(pattern))
            .map(|(index, pattern)| {
                Violation::new(
                    format!("container.dockerignore[{index}]"),
                    format!("The builder runs the tests but `.dockerignore` excludes `{pattern}`."),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Test in CI, not in the image",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        design.services[0].container.run_tests_in_builder = true;
        vec![design]
    }
}

fn apply(design: &mut Design, index: usize) {
    let container = &mut design.services[index].container;
    if container.dockerignore.iter().any(|p| excludes_tests(p)) {
        container.run_tests_in_builder = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_without_tests_in_the_image_or_with_tests_in_context() {
        assert!(fields(&DockerignoreVsBuilderTests, &Design::default()).is_empty());
        let mut included = DockerignoreVsBuilderTests::failing_examples().remove(0);
        included.services[0]
            .container
            .dockerignore
            .retain(|p| !excludes_tests(p));
        assert!(fields(&DockerignoreVsBuilderTests, &included).is_empty());
    }

    #[test]
    fn fails_when_the_tests_are_ignored() {
        assert_eq!(
            fields(
                &DockerignoreVsBuilderTests,
                &DockerignoreVsBuilderTests::failing_examples()[0]
            ),
            ["container.dockerignore[6]"]
        );
    }
}
