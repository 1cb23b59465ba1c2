//! Container image rules (docs/rules.md#container-image), checked on the resolved stages: the
//! design's explicit ones, or the runtime template filled in from the container settings.
//!
//! Not implemented: DOCKER-018 (the design models no docker-compose development setup).

rules! {
    docker_001::NonRootUser,
    docker_002::NoSecretsInImage,
    docker_003::DockerignoreRequired,
    docker_004::FinalStageExplicitCopy,
    docker_005::CopyChown,
    docker_006::MinimalBaseImage,
    docker_007::ExplicitBaseTag,
    docker_008::MultiStageBuild,
    docker_009::ThreeStageLayout,
    docker_010::ProdDepsOnlyInFinal,
    docker_011::NpmCiInImage,
    docker_012::CleanCacheSameLayer,
    docker_013::TestsInBuilder,
    docker_014::ManifestFirstLayerOrder,
    docker_015::HealthcheckInstruction,
    docker_016::NodeEnvProduction,
    docker_017::ExecFormCmd,
}

mod install;
mod layout;

