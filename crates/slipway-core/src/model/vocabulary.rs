//! The words of every choice a design offers: each enum's variants in display order, the id
//! `slipway.yaml` writes for each, and the label the web app shows. Views build their options
//! from here instead of typing ids and labels themselves.

use super::{
    AlertSeverity, CanaryEngine, CloudAuth, Color, Delivery, EnvironmentTier, FlagProvider,
    JobKind, LogFormat, LogSink, MigrationPhase, OperationKind, PackageManager, Profile,
    RailwayBuilder, RestartPolicy, RolloutStrategy, RouteLabel, Runtime, Scrape, SecretSource,
    ServiceKind, StageRole, SyncMode, TraceExporter,
};

/// An enum whose variants are a fixed set of named choices.
pub trait Vocabulary: Copy + Eq + 'static {
    /// Every variant, in display order.
    const ALL: &'static [Self];
    /// The serde name (what `slipway.yaml` holds).
    fn id(self) -> &'static str;
    /// The name shown to users.
    fn label(self) -> &'static str;
    /// The variant whose [`Vocabulary::id`] is `id`.
    fn parse(id: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|choice| choice.id() == id)
    }
}

/// Declares each enum's variants with their id and label, as inherent items (`ALL`, `id`,
/// `label`, `parse`) and as the [`Vocabulary`] trait for generic code.
macro_rules! vocabulary {
    ($($name:ident { $($variant:ident => $id:literal, $label:literal;)+ })+) => {
        $(
            impl $name {
                /// Every variant, in display order.
                pub const ALL: [$name; [$($id),+].len()] = [$($name::$variant),+];

                /// The serde name (what `slipway.yaml` holds).
                pub fn id(self) -> &'static str {
                    match self {
                        $($name::$variant => $id,)+
                    }
                }

                /// The name shown to users.
                pub fn label(self) -> &'static str {
                    match self {
                        $($name::$variant => $label,)+
                    }
                }

                /// The variant whose id is `id`.
                pub fn parse(id: &str) -> Option<$name> {
                    match id {
                        $($id => Some($name::$variant),)+
                        _ => None,
                    }
                }
            }

            impl Vocabulary for $name {
                const ALL: &'static [Self] = &$name::ALL;

                fn id(self) -> &'static str {
                    $name::id(self)
                }

                fn label(self) -> &'static str {
                    $name::label(self)
                }

                fn parse(id: &str) -> Option<Self> {
                    $name::parse(id)
                }
            }
        )+

        #[cfg(test)]
        mod declared {
            use super::*;

            /// Hands `check` each declared enum's name and, for every variant, its id, what serde
            /// writes for it and whether its id parses back to it.
            pub fn each(mut check: impl FnMut(&'static str, Vec<(&'static str, serde_json::Value, bool)>)) {
                $(
                    check(
                        stringify!($name),
                        $name::ALL
                            .into_iter()
                            .map(|choice| {
                                (
                                    choice.id(),
                                    serde_json::to_value(choice).unwrap(),
                                    $name::parse(choice.id()) == Some(choice),
                                )
                            })
                            .collect(),
                    );
                )+
            }
        }
    };
}

vocabulary! {
    Profile {
        Seed => "seed", "Seed: the source documents' values (uid 1001, …)";
        Strict => "strict", "Strict: checkov and kube-score thresholds where sources disagree";
    }
    SecretSource {
        GithubActions => "github-actions", "github-actions";
        AwsSecretsManager => "aws-secrets-manager", "aws-secrets-manager";
        Vault => "vault", "vault";
        Railway => "railway", "railway";
    }
    ServiceKind {
        WebService => "web-service", "Web service";
        Worker => "worker", "Worker";
        StaticSite => "static-site", "Static site";
    }
    Runtime {
        Node => "node", "Node.js";
        Python => "python", "Python";
        Go => "go", "Go";
        Rust => "rust", "Rust";
        Java => "java", "Java";
    }
    PackageManager {
        Npm => "npm", "npm";
        Pnpm => "pnpm", "pnpm";
        Yarn => "yarn", "yarn";
        Poetry => "poetry", "poetry";
        Pip => "pip", "pip";
        GoModules => "go-modules", "go-modules";
        Cargo => "cargo", "cargo";
        Maven => "maven", "maven";
        Gradle => "gradle", "gradle";
    }
    CloudAuth {
        Oidc => "oidc", "OIDC: short-lived credentials per deploy";
        KubeconfigSecret => "kubeconfig-secret", "KUBECONFIG secret (long-lived)";
    }
    Delivery {
        Push => "push", "Push (Helm)";
        Gitops => "gitops", "GitOps";
    }
    FlagProvider {
        None => "none", "None: a deploy releases everything";
        LaunchDarkly => "launchdarkly", "LaunchDarkly";
        Unleash => "unleash", "Unleash";
        Flagsmith => "flagsmith", "Flagsmith";
        GrowthBook => "growthbook", "GrowthBook";
        Flagd => "flagd", "flagd (OpenFeature)";
    }
    SyncMode {
        Automated => "automated", "Automated";
        Manual => "manual", "Manual";
    }
    EnvironmentTier {
        Development => "development", "development";
        Staging => "staging", "staging";
        Production => "production", "production";
    }
    StageRole {
        Deps => "deps", "production dependencies";
        Builder => "builder", "build";
        Runner => "runner", "runtime (ships)";
        Other => "other", "other";
    }
    JobKind {
        Lint => "lint", "Lint & type-check";
        Test => "test", "Test";
        Security => "security", "Security scan";
        Build => "build", "Build & push image";
        Deploy => "deploy", "Deploy";
        Migrate => "migrate", "Migrate database";
        Smoke => "smoke", "Smoke test";
        Notify => "notify", "Notify";
    }
    RailwayBuilder {
        Dockerfile => "dockerfile", "Dockerfile";
        Nixpacks => "nixpacks", "Nixpacks";
        Railpack => "railpack", "Railpack";
    }
    RestartPolicy {
        OnFailure => "on-failure", "On failure";
        Always => "always", "Always";
        Never => "never", "Never";
    }
    Scrape {
        ServiceMonitor => "service-monitor", "ServiceMonitor";
        Annotations => "annotations", "Pod annotations";
        None => "none", "None";
    }
    RouteLabel {
        Template => "template", "Route template";
        RawPath => "raw-path", "Raw path";
    }
    AlertSeverity {
        Critical => "critical", "Critical";
        Warning => "warning", "Warning";
        Info => "info", "Info";
    }
    LogFormat {
        Json => "json", "JSON";
        Text => "text", "Text";
    }
    LogSink {
        Loki => "loki", "Loki";
        Elk => "elk", "ELK";
        Platform => "platform", "The platform's log view";
        None => "none", "None";
    }
    TraceExporter {
        Otlp => "otlp", "OTLP";
        Jaeger => "jaeger", "Jaeger";
        Tempo => "tempo", "Tempo";
    }
    RolloutStrategy {
        Rolling => "rolling", "Rolling update";
        BlueGreen => "blue-green", "Blue-green";
        Canary => "canary", "Canary";
    }
    Color {
        Blue => "blue", "Blue";
        Green => "green", "Green";
    }
    CanaryEngine {
        ArgoRollouts => "argo-rollouts", "Argo Rollouts (setWeight / pause)";
        ReplicaRatio => "replica-ratio", "Replica ratio (two Deployments)";
    }
    OperationKind {
        AddTable => "add-table", "Add table";
        AddColumn => "add-column", "Add column";
        AddIndex => "add-index", "Add index";
        Backfill => "backfill", "Backfill";
        SetNotNull => "set-not-null", "Set NOT NULL";
        AddConstraint => "add-constraint", "Add constraint";
        RenameColumn => "rename-column", "Rename column";
        DropColumn => "drop-column", "Drop column";
        ChangeType => "change-type", "Change type";
    }
    MigrationPhase {
        Expand => "expand", "Expand";
        Migrate => "migrate", "Migrate";
        Contract => "contract", "Contract";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_is_the_serde_name_and_parses_back() {
        let mut enums = 0;
        declared::each(|name, choices| {
            enums += 1;
            let ids: std::collections::BTreeSet<_> =
                choices.iter().map(|choice| choice.0).collect();
            assert_eq!(ids.len(), choices.len(), "{name} lists a variant twice");
            for (id, written, parses_back) in choices {
                assert_eq!(written, serde_json::Value::from(id), "{name}::{id}");
                assert!(parses_back, "{name}::{id}");
            }
        });
        assert_eq!(enums, 25);
    }

    #[test]
    fn an_unknown_id_parses_to_nothing() {
        assert_eq!(
            RolloutStrategy::parse("blue-green"),
            Some(RolloutStrategy::BlueGreen)
        );
        assert_eq!(RolloutStrategy::parse("Blue-green"), None);
        assert_eq!(
            <PackageManager as Vocabulary>::parse("go-modules"),
            Some(PackageManager::GoModules)
        );
    }
}
