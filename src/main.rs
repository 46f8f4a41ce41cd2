//! The `afweging` binary: parse, run, report the error once, exit.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = afweging::cli::Cli::parse();
    match afweging::cli::run(cli) {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("{}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}
