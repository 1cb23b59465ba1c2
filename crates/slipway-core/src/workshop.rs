//! Guided exercises for onboarding workshops: each starts from a design that breaks a few
//! rules on purpose, states a goal, and is done when those rules pass.

use crate::model::{Design, IntOrPercent};
use crate::rules::{self, RuleDoc};

/// One exercise: a broken design and the rules that make up its goal.
pub struct Exercise {
    pub id: &'static str,
    pub title: &'static str,
    /// What the trainee is asked to do, in one or two sentences.
    pub goal: &'static str,
    /// The rules the design must pass; they all fail at the start.
    pub rules: &'static [&'static str],
    pub build: fn() -> Design,
}

/// One goal rule and whether the design meets it now.
pub struct Step {
    pub doc: &'static RuleDoc,
    pub met: bool,
}

/// Every exercise, easiest first.
pub static EXERCISES: &[Exercise] = &[
    Exercise {
        id: "non-root",
        title: "Make the container non-root",
        goal: "The image and the pods run as root. Give the final image a numeric non-root \
               user and make Kubernetes refuse to start the pod as root.",
        rules: &["DOCKER-001", "K8S-001"],
        build: root_container,
    },
    Exercise {
        id: "build-context",
        title: "Keep secrets out of the image",
        goal: "The build context sends `.env` and the Git history to the builder. Fix the \
               .dockerignore so they never reach a layer.",
        rules: &["DOCKER-003"],
        build: leaky_context,
    },
    Exercise {
        id: "caching",
        title: "Make the pipeline pass the caching rules",
        goal: "One job installs dependencies from scratch on every run, and the other caches \
               are keyed on the manifest with no fallback. Key every cache on the lockfile, with \
               restore keys.",
        rules: &["CACHE-001", "CACHE-002", "CACHE-004"],
        build: uncached_pipeline,
    },
    Exercise {
        id: "protect-main",
        title: "Protect the main branch",
        goal: "Anyone can push to `main`. Require pull requests with two approvals and the \
               lint, test and security checks.",
        rules: &["BRANCH-001", "BRANCH-002"],
        build: unprotected_main,
    },
    Exercise {
        id: "zero-downtime",
        title: "Roll out without downtime",
        goal: "Deploys take pods down before new ones are ready, and nothing tells Kubernetes \
               when a pod can serve. Keep full capacity during rollouts and add the probes.",
        rules: &["ROLLOUT-001", "K8S-005", "K8S-007"],
        build: downtime_rollout,
    },
];

/// The exercise with this id.
pub fn find(id: &str) -> Option<&'static Exercise> {
    EXERCISES.iter().find(|exercise| exercise.id == id)
}

/// Where the design stands on each of the exercise's rules.
pub fn progress(exercise: &Exercise, design: &Design) -> Vec<Step> {
    let findings = rules::check(design);
    exercise
        .rules
        .iter()
        .filter_map(|id| rules::find(id).map(|rule| rule.doc()))
        .map(|doc| Step {
            doc,
            met: !findings
                .iter()
                .any(|finding| finding.rule == doc.id && !finding.waived),
        })
        .collect()
}

fn root_container() -> Design {
    let mut design = Design::default();
    design.services[0].container.user.uid = 0;
    design.services[0].container.user.gid = 0;
    design.services[0]
        .kubernetes
        .security_context
        .run_as_non_root = false;
    design.services[0].kubernetes.security_context.run_as_user = 0;
    design
}

fn leaky_context() -> Design {
    let mut design = Design::default();
    design.services[0].container.dockerignore = vec!["node_modules".into(), "*.md".into()];
    design
}

fn uncached_pipeline() -> Design {
    let mut design = Design::default();
    for job in &mut design.pipeline.jobs {
        if job.cache.enabled {
            job.cache.key_files = vec!["package.json".into()];
            job.cache.restore_keys = false;
        }
    }
    if let Some(job) = design
        .pipeline
        .jobs
        .iter_mut()
        .find(|job| job.cache.enabled)
    {
        job.cache.enabled = false;
    }
    design
}

fn unprotected_main() -> Design {
    let mut design = Design::default();
    if let Some(main) = design.repository.branches.first_mut() {
        main.protection.require_pull_request = false;
        main.protection.required_approvals = 0;
        main.protection.required_checks.clear();
    }
    design
}

fn downtime_rollout() -> Design {
    let mut design = Design::default();
    design.services[0].kubernetes.rollout.max_surge = IntOrPercent::Int(0);
    design.services[0].kubernetes.rollout.max_unavailable = IntOrPercent::percent(50);
    design.services[0].kubernetes.probes.startup.enabled = false;
    design.services[0].kubernetes.probes.readiness.enabled = false;
    design
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_exercise_names_real_rules_and_starts_broken() {
        for exercise in EXERCISES {
            let steps = progress(exercise, &(exercise.build)());
            assert_eq!(
                steps.len(),
                exercise.rules.len(),
                "{}: unknown rule id",
                exercise.id
            );
            for step in steps {
                assert!(!step.met, "{}: {} already passes", exercise.id, step.doc.id);
            }
        }
    }

    #[test]
    fn every_exercise_can_be_completed_with_the_fixes() {
        for exercise in EXERCISES {
            let mut design = (exercise.build)();
            for rule in exercise.rules {
                rules::apply_fix(&mut design, rule);
            }
            let unmet: Vec<_> = progress(exercise, &design)
                .iter()
                .filter(|step| !step.met)
                .map(|step| step.doc.id)
                .collect();
            assert!(unmet.is_empty(), "{}: still failing {unmet:?}", exercise.id);
        }
    }

    #[test]
    fn exercise_ids_are_unique() {
        for exercise in EXERCISES {
            assert!(std::ptr::eq(find(exercise.id).unwrap(), exercise));
        }
    }
}
