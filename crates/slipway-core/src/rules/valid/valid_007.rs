use crate::model::{Design, Instruction};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use crate::facts::ports::{listen_port, replace_trailing_number, url_port};

pub struct PortConsistency;

/// Every place that names a port other than the service's, with its field.
fn mismatches(context: &Context) -> Vec<(String, u16, &'static str)> {
    let service = context.service();
    let port = service.container.port;
    let mut found = Vec::new();
    if let Some((_, start_port)) = listen_port(&service.commands.start) {
        if start_port != port {
            found.push((
                "commands.start".to_owned(),
                start_port,
                "the start command listens on",
            ));
        }
    }
    if context.templated() {
        return found;
    }
    let Some((stage_index, stage)) = context.final_stage() else {
        return found;
    };
    for (position, instruction) in stage.instructions.iter().enumerate() {
        let named = match instruction {
            Instruction::Expose { port } => Some((*port, "EXPOSE names")),
            Instruction::Healthcheck { command, .. } => command
                .iter()
                .find_map(|word| url_port(word))
                .map(|port| (port, "the HEALTHCHECK probes")),
            _ => None,
        };
        if let Some((named, what)) = named.filter(|(named, _)| *named != port) {
            found.push((
                context.instruction_field(stage_index, position),
                named,
                what,
            ));
        }
    }
    found
}

impl Rule for PortConsistency {
    const DOC: RuleDoc = RuleDoc {
        id: "VALID-007",
        name: "port-consistency",
        severity: Severity::High,
        area: Area::Validity,
        title: "One port from EXPOSE to the Service",
        what: "The design's single port (`container.port`) is the one the app listens on: the \
               start command's port flag (`--port`, `-p`, `--bind host:port`, `--server.port`), \
               every `EXPOSE` and every `HEALTHCHECK` URL of an explicit Dockerfile agree with \
               it. `containerPort`, the probes, the Service `targetPort` and the metrics scrape \
               are generated from the same field, so they follow. On Railway the app reads \
               `$PORT` instead (RAILWAY-009). This is also the cross-artifact port check.",
        why: "One mismatch anywhere and the chain breaks silently: the Service forwards to a \
              port nobody listens on, probes fail and pods restart forever, or the HEALTHCHECK \
              marks a healthy container unhealthy. The seed itself exposes 3000 and probes 8080.",
        incorrect: "EXPOSE 3000\nCMD [\"uvicorn\", \"app.main:app\", \"--port\", \"8000\"]",
        correct: "EXPOSE 8000\nCMD [\"uvicorn\", \"app.main:app\", \"--port\", \"8000\"]",
        fix: "Rewrites the start command's port, each EXPOSE and each HEALTHCHECK URL to the \
              design's port. Unsafe: the written values are replaced.",
        source: "Not in the documents (docs/defaults.md#a7-liveness-delay): 000's Dockerfile \
                 `EXPOSE 3000` vs its probes on 8080",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        if !context.service().kind.is_web() {
            return Vec::new();
        }
        let port = context.service().container.port;
        mismatches(context)
            .into_iter()
            .map(|(field, named, what)| {
                Violation::new(
                    field,
                    format!(
                        "{what} port {named}, but the service's port (containerPort, Service, \
                         probes) is {port}.",
                        what = capitalised(what)
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Use the design's port everywhere",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut start = crate::presets::for_runtime(crate::model::Runtime::Python);
        start.services[0].container.port = 3000;
        let mut explicit = crate::rules::support::explicit_stages();
        for instruction in &mut explicit.services[0].container.stages[2].instructions {
            if let Instruction::Expose { port } = instruction {
                *port = 8080;
            }
        }
        vec![start, explicit]
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn apply(design: &mut Design, index: usize) {
    let service = &mut design.services[index];
    let port = service.container.port;
    if let Some((position, _)) = listen_port(&service.commands.start) {
        let arg = &mut service.commands.start[position];
        *arg = replace_trailing_number(arg, port);
    }
    let Some(stage) = service.container.stages.last_mut() else {
        return;
    };
    for instruction in &mut stage.instructions {
        match instruction {
            Instruction::Expose { port: exposed } => *exposed = port,
            Instruction::Healthcheck { command, .. } => {
                for word in command.iter_mut() {
                    if let Some(old) = url_port(word) {
                        *word = word.replacen(&format!(":{old}"), &format!(":{port}"), 1);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_for_every_preset() {
        for preset in crate::presets::all() {
            assert!(fields(&PortConsistency, &(preset.build)()).is_empty());
        }
    }

    #[test]
    fn fails_on_a_second_port() {
        assert_eq!(
            fields(&PortConsistency, &PortConsistency::failing_examples()[0]),
            ["commands.start"]
        );
        let explicit = fields(&PortConsistency, &PortConsistency::failing_examples()[1]);
        assert_eq!(explicit.len(), 1);
        assert!(explicit[0].starts_with("container.stages[2].instructions["));
    }
}
