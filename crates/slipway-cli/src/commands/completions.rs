//! `slipway completions`: a shell completion script generated from the argument definitions.

use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::input::BadInput;

pub const MANUAL: &str = "\
Print a shell completion script

DESCRIPTION:
  Prints a completion script for bash, zsh, fish, PowerShell or Elvish on standard output,
  completing commands, options and their values (formats, severities, shells).";

pub const EXAMPLES: &str = "\
EXAMPLES:
  slipway completions bash > ~/.local/share/bash-completion/completions/slipway
  slipway completions zsh > \"${fpath[1]}/_slipway\"
  slipway completions fish > ~/.config/fish/completions/slipway.fish
  slipway completions powershell >> $PROFILE
  eval (slipway completions elvish | slurp)

EXIT STATUS:
  0  printed
  2  unknown shell";

pub fn run(shell: Shell) -> Result<ExitCode, BadInput> {
    clap_complete::generate(
        shell,
        &mut Cli::command(),
        "slipway",
        &mut std::io::stdout(),
    );
    Ok(ExitCode::SUCCESS)
}
