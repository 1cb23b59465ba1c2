//! The pipeline as a graph: layered layout for the canvas and cycle-safe edits of `needs`.

use crate::model::{Design, Job, JobKind};

/// Where a job sits on the canvas: its column (layer) and row within that column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub job: usize,
    pub layer: usize,
    pub row: usize,
}

/// A layered drawing of the DAG: jobs in columns by dependency depth, edges as index pairs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Layout {
    pub placements: Vec<Placement>,
    /// `(needed, dependent)` job indexes.
    pub edges: Vec<(usize, usize)>,
    pub layers: usize,
    pub rows: usize,
}

fn index_of(jobs: &[Job], id: &str) -> Option<usize> {
    jobs.iter().position(|job| job.id == id)
}

/// Lays jobs out in layers: a job sits one layer right of the deepest job it needs. Unknown
/// `needs` are ignored; a cycle (which edits refuse, but a file may contain) cannot loop.
pub fn layout(jobs: &[Job]) -> Layout {
    let count = jobs.len();
    let edges: Vec<(usize, usize)> = jobs
        .iter()
        .enumerate()
        .flat_map(|(dependent, job)| {
            job.needs
                .iter()
                .filter_map(|need| index_of(jobs, need))
                .map(move |needed| (needed, dependent))
        })
        .collect();
    // Longest-path layering by relaxation, bounded by the job count so cycles terminate.
    let mut layer = vec![0usize; count];
    for _ in 0..count {
        let mut changed = false;
        for &(needed, dependent) in &edges {
            if layer[dependent] < layer[needed] + 1 && layer[needed] + 1 < count.max(1) {
                layer[dependent] = layer[needed] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let layers = layer.iter().max().map_or(0, |max| max + 1);
    let mut rows_used = vec![0usize; layers];
    let placements = (0..count)
        .map(|job| {
            let row = rows_used[layer[job]];
            rows_used[layer[job]] += 1;
            Placement {
                job,
                layer: layer[job],
                row,
            }
        })
        .collect();
    Layout {
        placements,
        edges,
        layers,
        rows: rows_used.into_iter().max().unwrap_or(0),
    }
}

/// Whether `job` (transitively) needs `ancestor`.
pub fn depends_on(jobs: &[Job], job: &str, ancestor: &str) -> bool {
    let mut stack = vec![job.to_owned()];
    let mut seen = std::collections::HashSet::new();
    while let Some(current) = stack.pop() {
        if current == ancestor {
            return true;
        }
        if !seen.insert(current.clone()) {
            continue;
        }
        if let Some(index) = index_of(jobs, &current) {
            stack.extend(jobs[index].needs.iter().cloned());
        }
    }
    false
}

/// Makes `dependent` need `needed`. Refuses self-edges, unknown jobs and cycles, saying why.
pub fn connect(design: &mut Design, needed: &str, dependent: &str) -> Result<(), String> {
    let jobs = &design.pipeline.jobs;
    if needed == dependent {
        return Err(format!("`{needed}` cannot need itself."));
    }
    let (Some(_), Some(target)) = (index_of(jobs, needed), index_of(jobs, dependent)) else {
        return Err("Both jobs must exist.".to_owned());
    };
    if depends_on(jobs, needed, dependent) {
        return Err(format!(
            "`{dependent}` cannot need `{needed}`: `{needed}` already runs after `{dependent}`, so this would make a cycle."
        ));
    }
    let needs = &mut design.pipeline.jobs[target].needs;
    if !needs.iter().any(|need| need == needed) {
        needs.push(needed.to_owned());
    }
    Ok(())
}

/// Removes the `needs` edge from `dependent` to `needed`, if present.
pub fn disconnect(design: &mut Design, needed: &str, dependent: &str) {
    if let Some(index) = index_of(&design.pipeline.jobs, dependent) {
        design.pipeline.jobs[index]
            .needs
            .retain(|need| need != needed);
    }
}

/// Moves the arrow `needed → dependent` so that `new_dependent` needs `needed` instead: one
/// change, or none when the new link is refused (a cycle, a job needing itself, a missing job).
pub fn reconnect(
    design: &mut Design,
    needed: &str,
    dependent: &str,
    new_dependent: &str,
) -> Result<(), String> {
    if new_dependent == dependent {
        return Ok(());
    }
    let mut moved = design.clone();
    disconnect(&mut moved, needed, dependent);
    connect(&mut moved, needed, new_dependent)?;
    *design = moved;
    Ok(())
}

/// Adds a job of `kind` with a fresh id; returns the id.
pub fn add_job(design: &mut Design, kind: JobKind) -> String {
    let id = crate::facts::jobs::fresh_job_id(design, kind.id());
    let mut job = Job::new(&id, kind, &[]);
    if kind == JobKind::Deploy {
        job.environment = design
            .environments
            .first()
            .map(|env| env.name.clone())
            .unwrap_or_default();
    }
    design.pipeline.jobs.push(job);
    id
}

/// Adds a job of `kind` that needs `needed` (when given and present), so that it runs, and is
/// drawn, one layer after it; returns the new job's id.
pub fn add_job_after(design: &mut Design, kind: JobKind, needed: Option<&str>) -> String {
    let id = add_job(design, kind);
    if let Some(needed) = needed.filter(|needed| index_of(&design.pipeline.jobs, needed).is_some())
    {
        if let Some(job) = design.pipeline.jobs.last_mut() {
            job.needs.push(needed.to_owned());
        }
    }
    id
}

/// The job a new job must need to be laid out in `layer`: in the layer before, the one whose
/// row is nearest `row` (fractional, in rows). `None` for the first layer, which needs nothing,
/// and for a layer beyond the one after the last.
pub fn anchor_for_layer(layout: &Layout, layer: usize, row: f64) -> Option<usize> {
    let before = layer.checked_sub(1)?;
    layout
        .placements
        .iter()
        .filter(|placement| placement.layer == before)
        .min_by(|a, b| {
            let distance = |placement: &&Placement| (placement.row as f64 - row).abs();
            distance(a).total_cmp(&distance(b))
        })
        .map(|placement| placement.job)
}

/// Removes a job and every `needs` edge that pointed at it.
pub fn remove_job(design: &mut Design, id: &str) {
    design.pipeline.jobs.retain(|job| job.id != id);
    for job in &mut design.pipeline.jobs {
        job.needs.retain(|need| need != id);
    }
}

/// Renames a job, keeping the edges that point at it. Refuses empty or taken ids.
pub fn rename_job(design: &mut Design, id: &str, new_id: &str) -> Result<(), String> {
    let new_id = new_id.trim();
    if new_id.is_empty() {
        return Err("A job id cannot be empty.".to_owned());
    }
    if new_id != id && index_of(&design.pipeline.jobs, new_id).is_some() {
        return Err(format!("A job `{new_id}` already exists."));
    }
    for job in &mut design.pipeline.jobs {
        if job.id == id {
            job.id = new_id.to_owned();
        }
        for need in &mut job.needs {
            if need == id {
                *need = new_id.to_owned();
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reconnecting_moves_an_arrow_or_changes_nothing() {
        let mut design = Design::default();
        reconnect(&mut design, "lint", "build", "security").unwrap();
        let job = |design: &Design, id: &str| {
            design
                .pipeline
                .jobs
                .iter()
                .find(|job| job.id == id)
                .unwrap()
                .needs
                .clone()
        };
        assert!(!job(&design, "build").contains(&"lint".to_owned()));
        assert!(job(&design, "security").contains(&"lint".to_owned()));
        // Onto a job that runs before it: a cycle, refused, and nothing moved.
        let before = design.clone();
        assert!(reconnect(&mut design, "build", "deploy-staging", "lint").is_err());
        assert_eq!(design, before);
        assert!(reconnect(&mut design, "build", "deploy-staging", "build").is_err());
        assert_eq!(design, before);
    }

    #[test]
    fn the_standard_pipeline_lays_out_in_four_layers() {
        let layout = layout(&Job::standard_set());
        assert_eq!(layout.layers, 4);
        assert_eq!(layout.rows, 3);
        let build = layout.placements[3];
        assert_eq!(build.layer, 1);
    }

    #[test]
    fn cycles_are_refused_with_a_reason() {
        let mut design = Design::default();
        let error = connect(&mut design, "deploy-production", "lint").unwrap_err();
        assert!(error.contains("cycle"), "{error}");
        assert!(connect(&mut design, "lint", "lint").is_err());
        assert!(connect(&mut design, "lint", "deploy-staging").is_ok());
    }

    #[test]
    fn a_cyclic_file_still_lays_out() {
        let mut jobs = Job::standard_set();
        jobs[0].needs.push("build".into());
        let layout = layout(&jobs);
        assert!(layout.layers <= jobs.len());
    }

    #[test]
    fn removing_and_renaming_keep_edges_consistent() {
        let mut design = Design::default();
        rename_job(&mut design, "build", "image").unwrap();
        assert!(design.pipeline.jobs[4].needs.contains(&"image".to_owned()));
        remove_job(&mut design, "image");
        assert!(design
            .pipeline
            .jobs
            .iter()
            .all(|job| !job.needs.contains(&"image".to_owned())));
        assert_eq!(add_job(&mut design, JobKind::Lint), "lint-2");
    }

    #[test]
    fn a_job_added_after_another_lands_in_the_next_layer() {
        let mut design = Design::default();
        let before = layout(&design.pipeline.jobs);
        let build = design
            .pipeline
            .jobs
            .iter()
            .position(|job| job.id == "build")
            .unwrap();
        let build_layer = before.placements[build].layer;
        let id = add_job_after(&mut design, JobKind::Smoke, Some("build"));
        let after = layout(&design.pipeline.jobs);
        let added = design.pipeline.jobs.len() - 1;
        assert_eq!(design.pipeline.jobs[added].id, id);
        assert_eq!(design.pipeline.jobs[added].needs, ["build"]);
        assert_eq!(after.placements[added].layer, build_layer + 1);
        // An unknown job is not needed: the new job starts the pipeline.
        add_job_after(&mut design, JobKind::Lint, Some("nope"));
        assert!(design.pipeline.jobs.last().unwrap().needs.is_empty());
    }

    #[test]
    fn the_anchor_of_a_layer_is_the_nearest_job_in_the_layer_before() {
        let jobs = Job::standard_set();
        let layout = layout(&jobs);
        assert_eq!(anchor_for_layer(&layout, 0, 0.0), None);
        for layer in 1..=layout.layers {
            for row in [0.0, 0.6, 1.4, 5.0] {
                let anchor = anchor_for_layer(&layout, layer, row).unwrap();
                assert_eq!(layout.placements[anchor].layer, layer - 1);
                let nearest = layout
                    .placements
                    .iter()
                    .filter(|p| p.layer == layer - 1)
                    .map(|p| (p.row as f64 - row).abs())
                    .fold(f64::INFINITY, f64::min);
                assert_eq!((layout.placements[anchor].row as f64 - row).abs(), nearest);
            }
        }
        assert_eq!(anchor_for_layer(&layout, layout.layers + 1, 0.0), None);
    }
}
