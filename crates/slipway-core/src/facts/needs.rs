//! The `needs` graph of the pipeline: which jobs a job waits for, and adding a wait without
//! closing a cycle.

use std::collections::{HashMap, HashSet};

use crate::model::{Design, Job};

/// The position of each job id in `jobs`; when ids repeat, the first job wins (as `needs`
/// resolve).
pub(crate) fn positions_by_id<'a>(
    jobs: impl DoubleEndedIterator<Item = &'a Job> + ExactSizeIterator,
) -> HashMap<&'a str, usize> {
    jobs.enumerate()
        .rev()
        .map(|(index, job)| (job.id.as_str(), index))
        .collect()
}

/// The `needs` of every job as indices (unknown ids dropped), built once so that many
/// ancestor walks cost only what they visit.
pub(crate) struct Needs {
    edges: Vec<Vec<usize>>,
}

impl Needs {
    pub(crate) fn new(design: &Design) -> Self {
        let jobs = &design.pipeline.jobs;
        let by_id = positions_by_id(jobs.iter());
        let edges = jobs
            .iter()
            .map(|job| {
                job.needs
                    .iter()
                    .filter_map(|need| by_id.get(need.as_str()).copied())
                    .collect()
            })
            .collect();
        Needs { edges }
    }

    /// Every job `index` waits for, directly or indirectly.
    pub(crate) fn ancestors(&self, index: usize) -> HashSet<usize> {
        let mut seen = HashSet::new();
        let mut stack = vec![index];
        while let Some(current) = stack.pop() {
            for &found in &self.edges[current] {
                if found != index && seen.insert(found) {
                    stack.push(found);
                }
            }
        }
        seen
    }
}

/// Every job `index` depends on, directly or indirectly (unknown ids and cycles are ignored).
pub(crate) fn ancestors(design: &Design, index: usize) -> HashSet<usize> {
    Needs::new(design).ancestors(index)
}

/// Whether job `from` depends on job `on`, directly or indirectly.
pub(crate) fn depends_on(design: &Design, from: usize, on: usize) -> bool {
    ancestors(design, from).contains(&on)
}

/// Makes job `from` need job `on` unless it already does (directly or indirectly) or the
/// link would close a cycle. Returns whether a link was added.
pub(crate) fn add_need(design: &mut Design, from: usize, on: usize) -> bool {
    if from == on || depends_on(design, from, on) || depends_on(design, on, from) {
        return false;
    }
    let id = design.pipeline.jobs[on].id.clone();
    design.pipeline.jobs[from].needs.push(id);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::jobs::job_index;

    #[test]
    fn the_standard_set_chains_build_after_checks() {
        let design = Design::default();
        let build = job_index(&design, "build").unwrap();
        let lint = job_index(&design, "lint").unwrap();
        let production = job_index(&design, "deploy-production").unwrap();
        assert!(depends_on(&design, build, lint));
        assert!(depends_on(&design, production, lint));
        assert!(!depends_on(&design, lint, build));
    }
}
