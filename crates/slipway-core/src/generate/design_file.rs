use crate::bundle::{GeneratedFile, Syntax};
use crate::model::Design;

/// `slipway.yaml`: the design, so an exported bundle can be opened in Slipway again.
pub fn generate(design: &Design) -> Vec<GeneratedFile> {
    let header =
        "# Slipway design file. Open it in Slipway (Import) or run `slipway export slipway.yaml`\n\
                  # to regenerate every file of this bundle.\n";
    vec![GeneratedFile::new(
        "slipway.yaml",
        Syntax::Yaml,
        format!("{header}{}", crate::io::to_yaml(design)),
    )]
}

/// The README's steps for `slipway.yaml` (Markdown).
pub fn how_to_apply(_design: &Design) -> Option<String> {
    Some("Open `slipway.yaml` in Slipway (Import) to keep designing, or regenerate every file with `slipway export slipway.yaml --out .`.".to_owned())
}
