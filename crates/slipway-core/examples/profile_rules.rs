//! Where the time goes on a design 100 times the largest preset: context, the slowest rules,
//! and every generator. `cargo run --release -p slipway-core --example profile_rules [FACTOR]`.

use slipway_core::{presets, rules};
use std::time::Instant;
fn main() {
    let factor = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(100);
    let design = presets::scaled(factor);
    let start = Instant::now();
    let context = rules::Context::new(&design);
    println!("context {:?}", start.elapsed());
    let mut times: Vec<(std::time::Duration, &str)> = rules::registry()
        .iter()
        .map(|rule| {
            let s = Instant::now();
            let _ = rule.check(&context);
            (s.elapsed(), rule.doc().id)
        })
        .collect();
    times.sort();
    times.reverse();
    for (t, id) in times.iter().take(8) {
        println!("{id} {t:?}");
    }
    for g in slipway_core::generate::GENERATORS {
        let s = Instant::now();
        let _ = (g.generate)(&design);
        println!("gen {} {:?}", g.id, s.elapsed());
    }
}
