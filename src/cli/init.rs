//! `afweging init DIR`: start a new decision folder from the shipped Twente
//! decision.
//!
//! The new `afweging.toml` carries the marker `template = "twente-2019"`:
//! while it is there, `check` warns about every text that still mentions
//! Twente and every scale sized for Twente's population (the model's
//! `load::advice`). `init` uses no `--profile`: it is refused rather than
//! ignored. (clap gives the global `--dir` and the positional DIR one id,
//! so `--dir X` names the new folder too.)

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use clap::Args;

use super::{Failure, Global};

/// The marker written into the new `afweging.toml` (a documented key).
const MARKER: &str = "twente-2019";

/// The shipped decision, embedded in the binary: (relative path, text).
const FILES: &[(&str, &str)] = &[
    ("afweging.toml", include_str!("../../afweging.toml")),
    ("sources.toml", include_str!("../../sources.toml")),
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
    // Its own id: the global `--dir` (the folder to read) must not fill it.
    #[arg(id = "target", value_name = "DIR")]
    pub dir: std::path::PathBuf,
}

pub(super) fn run(global: &Global, args: InitArgs) -> Result<ExitCode, Failure> {
    if let Some(p) = &global.profile {
        return Err(Failure::input(format!(
            "`init` does not use --profile (got `{p}`): it copies the whole template decision, every profile included; leave the flag out"
        )));
    }
    if global.dir != Path::new(".") {
        return Err(Failure::input(format!(
            "`init` does not use --dir (got `{}`): give the folder to create as its argument, `afweging init {}`",
            global.dir.display(),
            global.dir.display()
        )));
    }
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
        "created {} from the shipped Twente decision (marked `template = \"{MARKER}\"` in afweging.toml).\n\
         Next: run `afweging check --dir {}`: while the marker is there it warns about every text that still\n\
         mentions Twente and every scale sized for Twente's population. Rewrite those for your region, then\n\
         remove the marker.",
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
        if *rel == "afweging.toml" {
            fs::write(path, with_marker(text))?;
        } else {
            fs::write(path, text)?;
        }
    }
    Ok(())
}

/// `afweging.toml` with the template marker before its first key.
fn with_marker(text: &str) -> String {
    let marker = format!(
        "# Made by `afweging init` from the shipped template decision. While the next line\n\
         # is here, `afweging check` warns about texts and scales of the template's region;\n\
         # remove it when this folder describes your region.\n\
         template = \"{MARKER}\"\n\n"
    );
    match text.find("\ntitle =") {
        Some(i) => format!("{}{marker}{}", &text[..=i], &text[i + 1..]),
        None => format!("{marker}{text}"),
    }
}

#[cfg(test)]
mod tests {
    /// The marker is a top-level key of the new afweging.toml.
    #[test]
    fn marker_is_a_top_level_key() {
        let text = super::with_marker(super::FILES[0].1);
        let doc: toml_edit::DocumentMut = text.parse().unwrap();
        assert_eq!(doc["template"].as_str(), Some(super::MARKER));
    }

    /// Every shipped file is embedded: `sources.toml` and a new initiative
    /// or criteria file at the root must be added to `FILES` too.
    #[test]
    fn embeds_every_shipped_file() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for rel in ["afweging.toml", "sources.toml"] {
            if root.join(rel).exists() {
                assert!(
                    super::FILES.iter().any(|(r, _)| *r == rel),
                    "{rel} is not embedded"
                );
            }
        }
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
