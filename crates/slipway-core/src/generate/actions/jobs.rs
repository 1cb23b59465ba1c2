//! Which workflow each job of the design belongs to, and the branches each deploy job runs
//! for: the facts `ci.yml`, `deploy.yml` and the trigger simulator share.

use super::{job_ids, needs_graph};
use crate::model::{Design, Job};

/// The name of the CI workflow, which calls `deploy.yml` after its build.
pub const CI_WORKFLOW_NAME: &str = "CI";

pub use crate::facts::jobs::is_ci_job;

/// Whether the design has a `deploy.yml`: Kubernetes is enabled and the pipeline has
/// a deploy job.
pub(crate) use crate::facts::deploys::has_deploy_workflow as deploys;

/// The jobs of the deploy workflow, their ids, `needs` and the branches each runs for.
pub(super) struct Plan<'a> {
    pub(super) jobs: Vec<(usize, &'a Job)>,
    pub(super) ids: Vec<String>,
    pub(super) graph: Vec<Vec<usize>>,
    pub(super) branches: Vec<Vec<String>>,
}

fn default_branch(design: &Design) -> String {
    let branch = design.repository.default_branch.trim();
    if branch.is_empty() {
        "main".to_owned()
    } else {
        branch.to_owned()
    }
}

pub(super) fn plan(design: &Design) -> Plan<'_> {
    let jobs: Vec<(usize, &Job)> = design
        .pipeline
        .jobs
        .iter()
        .enumerate()
        .filter(|(_, job)| !is_ci_job(job))
        .collect();
    let refs: Vec<&Job> = jobs.iter().map(|(_, job)| *job).collect();
    let ids = job_ids(&refs);
    let graph = needs_graph(&refs);
    let default = default_branch(design);
    let own: Vec<Vec<String>> = refs
        .iter()
        .map(|job| {
            let name = job.environment.trim();
            if name.is_empty() {
                return Vec::new();
            }
            let branch = design
                .environments
                .iter()
                .find(|env| env.name == name)
                .map(|env| env.branch.trim())
                .filter(|branch| !branch.is_empty())
                .unwrap_or(&default);
            vec![branch.to_owned()]
        })
        .collect();
    // A job also runs for every branch a job that waits for it runs for (the promotion
    // chain), and a job without an environment (notify) for the branches of what it waits for.
    // One pass each in dependency order keeps this linear in the number of `needs`.
    let order = dependents_first(&graph);
    let mut branches = own;
    for &from in &order {
        for &to in &graph[from] {
            let add: Vec<String> = branches[from]
                .iter()
                .filter(|b| !branches[to].contains(b))
                .cloned()
                .collect();
            branches[to].extend(add);
        }
    }
    for &from in order.iter().rev() {
        if branches[from].is_empty() {
            let mut inherited: Vec<String> = Vec::new();
            for &to in &graph[from] {
                for branch in &branches[to] {
                    if !inherited.contains(branch) {
                        inherited.push(branch.clone());
                    }
                }
            }
            branches[from] = inherited;
        }
    }
    for set in &mut branches {
        if set.is_empty() {
            set.push(default.clone());
        }
        set.sort_by_key(|branch| (branch != &default, branch.clone()));
    }
    Plan {
        jobs,
        ids,
        graph,
        branches,
    }
}

/// Job positions with every job before the jobs it needs (`graph` has no cycles).
fn dependents_first(graph: &[Vec<usize>]) -> Vec<usize> {
    let mut needed_by = vec![0usize; graph.len()];
    for needs in graph {
        for &to in needs {
            needed_by[to] += 1;
        }
    }
    let mut ready: Vec<usize> = (0..graph.len())
        .rev()
        .filter(|&job| needed_by[job] == 0)
        .collect();
    let mut order = Vec::with_capacity(graph.len());
    while let Some(from) = ready.pop() {
        order.push(from);
        for &to in &graph[from] {
            needed_by[to] -= 1;
            if needed_by[to] == 0 {
                ready.push(to);
            }
        }
    }
    order
}

/// The branches whose pushes run the deploy-workflow job at `index` in `pipeline.jobs`, or
/// `None` when it is not a deploy-workflow job. The trigger simulator uses this, so it shows
/// exactly what the generated workflow does.
pub fn branches_of_job(design: &Design, index: usize) -> Option<Vec<String>> {
    let plan = plan(design);
    let position = plan
        .jobs
        .iter()
        .position(|(job_index, _)| *job_index == index)?;
    plan.branches.get(position).cloned()
}

/// Branches whose pushes build and push an image: those the deploy workflow deploys, or the
/// default branch when nothing deploys from CI.
pub fn image_branches(design: &Design) -> Vec<String> {
    let default = default_branch(design);
    let mut all = vec![default.clone()];
    if deploys(design) {
        for set in plan(design).branches {
            for branch in set {
                if !all.contains(&branch) {
                    all.push(branch);
                }
            }
        }
    }
    all
}
