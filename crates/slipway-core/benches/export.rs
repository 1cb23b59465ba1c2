//! Prints how long checking, generating and zipping take for every preset (release build).
//! Run: `cargo bench -p slipway-core --bench export`. Figures only: no pass/fail threshold.

use std::hint::black_box;
use std::time::{Duration, Instant};

use slipway_core::{check, generate, presets};

/// Median time of `runs` calls of `work`.
fn median(runs: usize, mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn micros(duration: Duration) -> String {
    format!("{:>9.1} µs", duration.as_secs_f64() * 1e6)
}

fn main() {
    println!(
        "{:<16}{:>12}{:>12}{:>12}{:>12}{:>10}",
        "preset", "check", "generate", "zip", "all", "zip KB"
    );
    for preset in presets::all() {
        let design = (preset.build)();
        let bundle = generate(&design);
        let zip_size = bundle.to_zip().len();
        let runs = 101;
        let check_time = median(runs, || {
            black_box(check(black_box(&design)));
        });
        let generate_time = median(runs, || {
            black_box(generate(black_box(&design)));
        });
        let zip_time = median(runs, || {
            black_box(bundle.to_zip());
        });
        let all_time = median(runs, || {
            black_box(check(&design));
            black_box(generate(&design).to_zip());
        });
        println!(
            "{:<16}{}{}{}{}{:>10.1}",
            preset.id,
            micros(check_time),
            micros(generate_time),
            micros(zip_time),
            micros(all_time),
            zip_size as f64 / 1024.0
        );
    }
}
