//! The image's runtime user.

use crate::model::Instruction;
use crate::rules::Context;

/// The final stage's last `USER`, with its instruction position.
pub(super) fn final_user(context: &Context) -> Option<(usize, String)> {
    let (_, stage) = context.final_stage()?;
    stage.instructions.iter().enumerate().rev().find_map(
        |(position, instruction)| match instruction {
            Instruction::User { user } => Some((position, user.trim().to_owned())),
            Instruction::Other { keyword, arguments } if keyword.eq_ignore_ascii_case("USER") => {
                Some((position, arguments.trim().to_owned()))
            }
            _ => None,
        },
    )
}

/// The uid of a numeric `USER` (`1001` or `1001:1001`); `None` for a name.
pub(super) fn numeric_uid(user: &str) -> Option<u32> {
    user.split(':').next()?.trim().parse().ok()
}

/// The gid of a numeric `USER uid:gid`.
pub(super) fn numeric_gid(user: &str) -> Option<u32> {
    user.split_once(':')?.1.trim().parse().ok()
}
