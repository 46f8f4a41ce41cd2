//! The `afweging` binary: parse, run, report the error once, exit.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = afweging::cli::Cli::parse();
    match afweging::cli::run(cli) {
        Ok(code) => code,
        Err(failure) => {
            // Never panic while reporting: stderr may be closed or full.
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "{}", failure.message).and_then(|()| err.flush());
            ExitCode::from(failure.code)
        }
    }
}
