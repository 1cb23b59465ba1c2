//! Where the time goes on a large design: the slowest rules (a service rule summed over the
//! services) and every generator.
//! `cargo run --release -p slipway-core --example profile_rules [FACTOR] [services]`: the
//! largest preset FACTOR times over (100 by default), or with `services`, a design of FACTOR
//! services.

use slipway_core::facts::jobs::with_service_folders;
use slipway_core::rules::{self, Context, Scope};
use slipway_core::{presets, Design};
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let factor = args.next().and_then(|arg| arg.parse().ok()).unwrap_or(100);
    let design: Design = match args.next().as_deref() {
        Some("services") => presets::with_services(factor),
        _ => presets::scaled(factor),
    };
    // As a check runs them: the table of service folders is built once.
    let start = Instant::now();
    with_service_folders(&design, || rules::check(&design));
    println!("check {:?}", start.elapsed());
    let mut times: Vec<(Duration, &str)> = with_service_folders(&design, || {
        let contexts = Context::for_each_service(&design);
        rules::registry()
            .iter()
            .map(|rule| {
                let start = Instant::now();
                match rule.scope() {
                    Scope::Design => drop(rule.check(&contexts[0])),
                    Scope::Service => contexts
                        .iter()
                        .for_each(|context| drop(rule.check(context))),
                }
                (start.elapsed(), rule.doc().id)
            })
            .collect()
    });
    times.sort();
    times.reverse();
    for (time, id) in times.iter().take(10) {
        println!("{id} {time:?}");
    }
    for generator in slipway_core::generate::GENERATORS {
        let start = Instant::now();
        let _ = (generator.generate)(&design);
        println!("gen {} {:?}", generator.id, start.elapsed());
    }
}
