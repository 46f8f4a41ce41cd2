//! `afweging init DIR`: start a new decision folder from the shipped Twente
//! decision.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use clap::Args;

use super::Failure;

/// The shipped decision, embedded in the binary: (relative path, text).
const FILES: &[(&str, &str)] = &[
    ("afweging.toml", include_str!("../../afweging.toml")),
    (
        "criteria/twente.toml",
        include_str!("../../criteria/twente.toml"),
    ),
    (
        "initiatives/amberalert.toml",
        include_str!("../../initiatives/amberalert.toml"),
    ),
    (
        "initiatives/burgernet.toml",
        include_str!("../../initiatives/burgernet.toml"),
    ),
    (
        "initiatives/buurapp.toml",
        include_str!("../../initiatives/buurapp.toml"),
    ),
    (
        "initiatives/nlalert.toml",
        include_str!("../../initiatives/nlalert.toml"),
    ),
    (
        "initiatives/whatsapp.toml",
        include_str!("../../initiatives/whatsapp.toml"),
    ),
];

/// Arguments of `afweging init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (it may exist, but must not hold a decision yet).
    #[arg(value_name = "DIR")]
    pub dir: std::path::PathBuf,
}

pub(super) fn run(args: InitArgs) -> Result<ExitCode, Failure> {
    let dir = &args.dir;
    if let Some(existing) = FILES
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .find(|p| p.exists())
    {
        return Err(Failure::input(format!(
            "{} already exists: `init` never overwrites a decision; choose an empty or new folder",
            existing.display()
        )));
    }
    write_all(dir).map_err(|e| {
        Failure::other(format!(
            "cannot create the decision folder {}: {e}",
            dir.display()
        ))
    })?;
    eprintln!(
        "created {} from the shipped Twente decision; edit its files, then run `afweging check --dir {}`",
        dir.display(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn write_all(dir: &Path) -> std::io::Result<()> {
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// Every shipped file is embedded: a new initiative or criteria file at
    /// the root must be added to `FILES` too.
    #[test]
    fn embeds_every_shipped_file() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for sub in ["criteria", "initiatives"] {
            for entry in std::fs::read_dir(root.join(sub)).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                if name.ends_with(".toml") {
                    let rel = format!("{sub}/{name}");
                    assert!(
                        super::FILES.iter().any(|(r, _)| *r == rel),
                        "{rel} is not embedded"
                    );
                }
            }
        }
    }
}
