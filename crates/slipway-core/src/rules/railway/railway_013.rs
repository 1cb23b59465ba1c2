use crate::facts::naming::service_folder;
use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};
use crate::text::identifier;

pub struct MonorepoServiceRoots;

/// The earlier Railway service that has the same root folder as the service at `index`.
fn shares_root_with(design: &Design, index: usize) -> Option<usize> {
    let service = design.services.get(index)?;
    if !service.railway.enabled {
        return None;
    }
    let root = service_folder(service);
    design.services[..index]
        .iter()
        .position(|other| other.railway.enabled && service_folder(other) == root)
}

impl Rule for MonorepoServiceRoots {
    const DOC: RuleDoc = RuleDoc {
        id: "RAILWAY-013",
        name: "monorepo-service-roots",
        severity: Severity::Medium,
        area: Area::Railway,
        title: "Each Railway service has its own root directory",
        what: "In a monorepo, no two services deployed to Railway share a root directory: each \
               has its own folder, which holds its `railway.json` (and `nixpacks.toml`).",
        why: "Railway builds a service from its root directory and reads the config file there. \
              Two services with one root build the same code, and a push to either service's \
              code redeploys both; their configs cannot both be `railway.json` in that folder, \
              so one of them needs a custom config path set by hand in the dashboard.",
        incorrect:
            "services:\n  - {name: api, directory: backend}\n  - {name: worker, directory: backend}",
        correct:
            "services:\n  - {name: api, directory: backend}\n  - {name: worker, directory: worker}",
        fix: "Moves the later service to a folder named after it. Unsafe: the service's code \
              must be moved there too.",
        source: "000 · Railway Deployment Patterns › Multi-Service Setup; Multi-Service Setup on \
                 Railway › Monorepo Configuration",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(other) = shares_root_with(context.design, context.index) else {
            return Vec::new();
        };
        let service = context.service();
        vec![Violation::new(
            "directory",
            format!(
                "`{}` and `{}` are both deployed to Railway from `{}`: each builds the other's \
                 code, and only one can have `railway.json` there.",
                context.design.services[other].name,
                service.name,
                service_folder(service).unwrap_or_else(|| ".".to_owned())
            ),
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Give the service its own folder",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        let mut worker = design.services[0].clone();
        worker.name = "worker".to_owned();
        design.services.push(worker);
        vec![design]
    }
}

fn apply(design: &mut Design, index: usize) {
    if shares_root_with(design, index).is_none() {
        return;
    }
    let name = identifier(&design.services[index].name, "service");
    let parent = service_folder(&design.services[index]);
    let taken = |folder: &str| {
        design
            .services
            .iter()
            .any(|service| service_folder(service).as_deref() == Some(folder))
    };
    let base = match parent {
        Some(parent) => format!("{parent}/{name}"),
        None => name,
    };
    design.services[index].directory = crate::text::first_free(&base, taken);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_one_service_and_services_in_their_own_folders() {
        let design = Design::default();
        assert!(MonorepoServiceRoots
            .check(&Context::new(&design))
            .is_empty());
        let mut split = MonorepoServiceRoots::failing_examples().remove(0);
        split.services[1].directory = "worker".to_owned();
        assert!(MonorepoServiceRoots
            .check(&Context::for_service(&split, 1))
            .is_empty());
    }

    #[test]
    fn fails_the_later_service_and_the_fix_moves_it() {
        let mut design = MonorepoServiceRoots::failing_examples().remove(0);
        assert_eq!(
            MonorepoServiceRoots
                .check(&Context::for_service(&design, 1))
                .len(),
            1
        );
        apply(&mut design, 1);
        assert_eq!(design.services[1].directory, "worker");
    }
}
