//! Workflow security rules (docs/rules.md#pipeline): the attacks on a GitHub Actions workflow
//! file itself — injected expressions, privileged triggers, broad tokens, leaked credentials,
//! movable action references — that workflow-security linters look for.
//!
//! They judge the workflow under audit (`facts::audited_workflow`), read as YAML, and report paths
//! into it (`workflow.jobs.build.steps[2].uses`) that the audit turns into lines. On a design
//! they judge what the design says (its commands, its job variables, whether actions are
//! pinned): the generator writes everything else safe by construction.

rules! {
    workflow_001::TemplateInjection,
    workflow_002::DangerousTriggers,
    workflow_003::ExcessivePermissions,
    workflow_004::PersistedCheckoutCredentials,
    workflow_005::UnpinnedUses,
    workflow_006::CachePoisoning,
    workflow_007::HardcodedContainerCredentials,
    workflow_008::SecretsInherit,
    workflow_009::InsecureCommands,
    workflow_010::GithubEnv,
}

mod file;
