//! Custom Dockerfile stages.

use crate::model::{Service, Stage, StageRole};

/// Adds an empty stage named `stage-<n>` (the first free name) on the runtime image, just
/// before the final stage so that the one that ships stays last.
pub fn add_stage(service: &mut Service) {
    let stages = &mut service.container.stages;
    let name = (1..)
        .map(|n| format!("stage-{n}"))
        .find(|name| stages.iter().all(|stage| &stage.name != name))
        .unwrap_or_default();
    let position = stages.len().saturating_sub(1);
    stages.insert(
        position,
        Stage {
            name,
            image: service.container.runtime_image.clone(),
            role: StageRole::Other,
            instructions: Vec::new(),
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_stage_goes_before_the_final_one_with_a_free_name() {
        let mut service = crate::model::Service::default();
        add_stage(&mut service);
        assert_eq!(service.container.stages[0].name, "stage-1");
        service.container.stages = crate::facts::stages::template(&service);
        let last = service.container.stages.last().unwrap().name.clone();
        add_stage(&mut service);
        add_stage(&mut service);
        let stages = &service.container.stages;
        assert_eq!(stages.last().unwrap().name, last);
        assert_eq!(stages[stages.len() - 3].name, "stage-1");
        assert_eq!(stages[stages.len() - 2].name, "stage-2");
        assert_eq!(
            stages[stages.len() - 2].image,
            service.container.runtime_image
        );
    }
}
