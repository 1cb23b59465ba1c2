//! Container image references.

/// The curl image of the probes Slipway runs inside a cluster (blue-green's analysis pod, the
/// GitOps smoke-test hook): unprivileged (it runs as a non-root user), pinned to an exact
/// release like every tool Slipway writes, never `latest`. Bump it here, for every use at once.
pub(crate) const CURL_IMAGE: &str = "curlimages/curl:8.11.1";

/// The tag of an image reference, if any (`registry:5000/app` has none).
pub(crate) fn tag(image: &str) -> Option<&str> {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last_segment = without_digest.rsplit('/').next().unwrap_or(without_digest);
    last_segment.split_once(':').map(|(_, tag)| tag)
}
