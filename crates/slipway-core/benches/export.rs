//! How long checking, generating and zipping take: for every preset, for each generator on the
//! largest preset, for the autosave, for designs 1×, 10× and 100× the largest preset, and for
//! designs of 1, 10 and 100 services, whose throughput in jobs (or services) per second shows
//! whether cost grows linearly (it should stay flat).
//!
//! Run: `cargo bench -p slipway-core --bench export` (divan; `-- --help` for filters and
//! sample counts). Figures only: no pass/fail threshold.

use divan::counter::ItemsCount;
use divan::{black_box, Bencher};
use slipway_core::generate::GENERATORS;
use slipway_core::incremental::Incremental;
use slipway_core::{presets, Design};

const LARGEST: &str = "fastapi-react";
const SCALES: [usize; 3] = [1, 10, 100];

fn main() {
    print_sizes();
    print_recomputed();
    divan::main();
}

/// What one keystroke recomputes in the editor (`slipway_core::incremental`): an edit to one
/// service of N, an edit to the system's name (which every file and few rules read), and an
/// edit to the pipeline, which every rule may read.
fn print_recomputed() {
    println!(
        "\n{:<14}{:<22}{:>22}{:>18}",
        "services", "edit", "rule runs", "files"
    );
    for count in SCALES {
        let mut design = presets::with_services(count);
        let mut editor = Incremental::new();
        let edit = |editor: &mut Incremental, design: &Design| {
            let findings = editor.check(design);
            editor.generate(design, &findings);
            editor.recomputed()
        };
        edit(&mut editor, &design);
        let last = design.services.len() - 1;
        design.services[last].container.healthcheck.path = "/ready".to_owned();
        let one = edit(&mut editor, &design);
        design.project.name = "orders".to_owned();
        let name = edit(&mut editor, &design);
        design.pipeline.jobs[0].timeout_minutes += 1;
        let wide = edit(&mut editor, &design);
        for (name, figures) in [
            ("one service's field", one),
            ("the system's name", name),
            ("a job's timeout", wide),
        ] {
            println!(
                "{:<14}{:<22}{:>22}{:>18}",
                count,
                name,
                format!("{} of {}", figures.rule_runs, figures.rule_runs_total),
                format!("{} of {}", figures.files, figures.files_total)
            );
        }
    }
}

fn preset_ids() -> Vec<&'static str> {
    presets::all().iter().map(|preset| preset.id).collect()
}

fn generator_ids() -> Vec<&'static str> {
    GENERATORS.iter().map(|generator| generator.id).collect()
}

fn preset(id: &str) -> Design {
    (presets::find(id).expect("a known preset").build)()
}

/// What the timings below are about: how many files each design exports and how big its zip is.
fn print_sizes() {
    println!(
        "{:<24}{:>8}{:>8}{:>14}{:>8}{:>10}",
        "design", "jobs", "stages", "environments", "files", "zip KB"
    );
    let designs = presets::all()
        .iter()
        .map(|preset| (preset.id.to_owned(), (preset.build)()))
        .chain(
            SCALES
                .iter()
                .map(|&factor| (format!("{LARGEST} ×{factor}"), presets::scaled(factor))),
        )
        .chain(
            SCALES
                .iter()
                .map(|&count| (format!("{count} services"), presets::with_services(count))),
        );
    for (name, design) in designs {
        let bundle = slipway_core::generate(&design);
        println!(
            "{:<24}{:>8}{:>8}{:>14}{:>8}{:>10.1}",
            name,
            design.pipeline.jobs.len(),
            design
                .services
                .iter()
                .map(|service| slipway_core::facts::stages::resolve(service).len())
                .sum::<usize>(),
            design.environments.len(),
            bundle.files.len(),
            bundle.to_zip().len() as f64 / 1024.0
        );
    }
    println!();
}

/// Each preset as it ships.
mod per_preset {
    use super::*;

    #[divan::bench(args = preset_ids())]
    fn check(bencher: Bencher, id: &str) {
        let design = preset(id);
        bencher.bench_local(|| slipway_core::check(black_box(&design)));
    }

    #[divan::bench(args = preset_ids())]
    fn generate(bencher: Bencher, id: &str) {
        let design = preset(id);
        bencher.bench_local(|| slipway_core::generate(black_box(&design)));
    }

    #[divan::bench(args = preset_ids())]
    fn zip(bencher: Bencher, id: &str) {
        let bundle = slipway_core::generate(&preset(id));
        bencher.bench_local(|| black_box(&bundle).to_zip());
    }
}

/// Where the largest preset's generation time goes.
mod per_generator {
    use super::*;

    #[divan::bench(args = generator_ids())]
    fn generate(bencher: Bencher, id: &str) {
        let design = preset(LARGEST);
        let generator = GENERATORS
            .iter()
            .find(|generator| generator.id == id)
            .expect("a known generator");
        bencher.bench_local(|| (generator.generate)(black_box(&design)));
    }

    /// Every edit in the browser autosaves the design as JSON.
    #[divan::bench]
    fn autosave_json(bencher: Bencher) {
        let design = preset(LARGEST);
        bencher.bench_local(|| slipway_core::io::to_json(black_box(&design)));
    }
}

/// The largest preset copied `factor` times (jobs with their `needs`, Dockerfile stages,
/// environments, secrets).
/// Throughput is in jobs per second: flat across factors means linear cost.
mod scaling {
    use super::*;

    fn scaled<'a, 'b>(bencher: Bencher<'a, 'b>, factor: usize) -> (Bencher<'a, 'b>, Design) {
        let design = presets::scaled(factor);
        let jobs = design.pipeline.jobs.len();
        (bencher.counter(ItemsCount::new(jobs)), design)
    }

    #[divan::bench(args = SCALES, max_time = 3)]
    fn check(bencher: Bencher, factor: usize) {
        let (bencher, design) = scaled(bencher, factor);
        bencher.bench_local(|| slipway_core::check(black_box(&design)));
    }

    #[divan::bench(args = SCALES, max_time = 3)]
    fn generate(bencher: Bencher, factor: usize) {
        let (bencher, design) = scaled(bencher, factor);
        bencher.bench_local(|| slipway_core::generate(black_box(&design)));
    }

    #[divan::bench(args = SCALES, max_time = 3)]
    fn zip(bencher: Bencher, factor: usize) {
        let (bencher, design) = scaled(bencher, factor);
        let bundle = slipway_core::generate(&design);
        bencher.bench_local(|| black_box(&bundle).to_zip());
    }

    /// What an export costs end to end: check, generate, zip.
    #[divan::bench(args = SCALES, max_time = 3)]
    fn check_generate_zip(bencher: Bencher, factor: usize) {
        let (bencher, design) = scaled(bencher, factor);
        bencher.bench_local(|| {
            slipway_core::check(black_box(&design));
            slipway_core::generate(black_box(&design)).to_zip()
        });
    }
}

/// Designs of 1, 10 and 100 services (the web + API + worker preset's three, copied), each with
/// its own checks, image, chart and Railway config. Throughput is in services per second: flat
/// across counts means every service costs the same.
mod services {
    use super::*;

    /// One keystroke in one service of N, in the editor: check and generate again,
    /// incrementally.
    #[divan::bench(args = SCALES, max_time = 3)]
    fn edit_one_service(bencher: Bencher, count: usize) {
        let (bencher, design) = with_services(bencher, count);
        let mut editor = Incremental::new();
        let findings = editor.check(&design);
        editor.generate(&design, &findings);
        let mut typed = design.clone();
        let mut n = 0u32;
        bencher.bench_local(|| {
            n += 1;
            typed.services[0].container.healthcheck.path = format!("/health-{n}");
            let findings = editor.check(black_box(&typed));
            editor.generate(&typed, &findings)
        });
    }

    /// One keystroke in a job's name with N services, in the editor: every rule may read the
    /// pipeline, and the design-wide files that read it are written again.
    #[divan::bench(args = SCALES, max_time = 3)]
    fn edit_pipeline(bencher: Bencher, count: usize) {
        let (bencher, design) = with_services(bencher, count);
        let mut editor = Incremental::new();
        let findings = editor.check(&design);
        editor.generate(&design, &findings);
        let mut typed = design.clone();
        let mut n = 0u32;
        bencher.bench_local(|| {
            n += 1;
            typed.pipeline.jobs[0].name = format!("Lint {n}");
            let findings = editor.check(black_box(&typed));
            editor.generate(&typed, &findings)
        });
    }

    fn with_services<'a, 'b>(bencher: Bencher<'a, 'b>, count: usize) -> (Bencher<'a, 'b>, Design) {
        let design = presets::with_services(count);
        (bencher.counter(ItemsCount::new(count)), design)
    }

    #[divan::bench(args = SCALES, max_time = 3)]
    fn check(bencher: Bencher, count: usize) {
        let (bencher, design) = with_services(bencher, count);
        bencher.bench_local(|| slipway_core::check(black_box(&design)));
    }

    #[divan::bench(args = SCALES, max_time = 3)]
    fn generate(bencher: Bencher, count: usize) {
        let (bencher, design) = with_services(bencher, count);
        bencher.bench_local(|| slipway_core::generate(black_box(&design)));
    }
}
