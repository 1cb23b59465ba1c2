//! The CI pipeline's job list.

use crate::model::Design;

/// Moves a job one place earlier (`step` -1) or later (`step` 1) in the list, which is its row
/// on the canvas; a job already at that end stays.
pub fn move_job(design: &mut Design, id: &str, step: isize) {
    let jobs = &mut design.pipeline.jobs;
    let Some(index) = jobs.iter().position(|job| job.id == id) else {
        return;
    };
    if let Some(target) = index.checked_add_signed(step).filter(|&t| t < jobs.len()) {
        jobs.swap(index, target);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(design: &Design) -> Vec<&str> {
        design
            .pipeline
            .jobs
            .iter()
            .map(|job| job.id.as_str())
            .collect()
    }

    #[test]
    fn a_job_moves_one_row_and_stops_at_the_ends() {
        let mut design = Design::default();
        let before: Vec<String> = order(&design).into_iter().map(str::to_owned).collect();
        let first = before[0].clone();
        move_job(&mut design, &first, -1);
        assert_eq!(order(&design), before);
        move_job(&mut design, &first, 1);
        assert_eq!(order(&design)[..2], [before[1].as_str(), first.as_str()]);
        let last = before.last().unwrap().clone();
        move_job(&mut design, &last, 1);
        assert_eq!(order(&design).last(), Some(&last.as_str()));
        move_job(&mut design, "no-such-job", 1);
        assert_eq!(order(&design).len(), before.len());
    }
}
