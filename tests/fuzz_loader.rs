//! A mutation fuzzer for the loader that runs on the stable toolchain, under
//! `cargo test`, for a bounded number of cases and a bounded time.
//!
//! Each case takes a valid decision (the control folder `tests/defects/_valid`
//! or the frozen Twente decision `tests/data/twente-v1`, which has every kind
//! of scale, distribution and weight level), mutates one of its files one to four times (numbers replaced by extreme or
//! malformed ones, strings by control characters, reserved or very long ids,
//! lines deleted, duplicated or spliced in from the seed corpus — every TOML
//! file under `tests/defects/` — and raw bytes flipped), loads it, and
//! requires:
//!
//! - no panic and no hang (a watchdog aborts the run, naming the case, when
//!   one case takes longer than [`CASE_LIMIT`]);
//! - a refusal carries at least one error, and every error tied to a line
//!   names its `file:line:col`;
//! - an accepted decision scores every profile to finite totals.
//!
//! The run is deterministic for a seed. Environment: `AFWEGING_FUZZ_CASES`
//! (default 1500), `AFWEGING_FUZZ_SECS` (default 60, a cap for slow
//! machines), `AFWEGING_FUZZ_SEED` (default fixed). A failing case is kept in
//! `target/fuzz-failures/<seed>-<case>/`; once fixed, keep it as a defect
//! folder under `tests/defects/` (its lines then seed the corpus too).
//! To fuzz longer:
//! `AFWEGING_FUZZ_CASES=1000000 AFWEGING_FUZZ_SECS=3600 AFWEGING_FUZZ_SEED=$RANDOM cargo test --release --test fuzz_loader -- --nocapture`.

mod util;

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use afweging::engine::compiled::CompiledDecision;
use afweging::engine::score::score;
use afweging::model::{load, Severity};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use util::{copy_dir, repo_root};

/// Longest time one case may take (load and score) before it counts as a hang.
const CASE_LIMIT: Duration = Duration::from_secs(20);

/// Numbers that have broken numerical code elsewhere.
const NUMBERS: &[&str] = &[
    "nan",
    "inf",
    "-inf",
    "+inf",
    "0",
    "-0.0",
    "1",
    "-1",
    "0.5",
    "1e308",
    "-1e308",
    "1.7e308",
    "4.5e307",
    "-4.5e307",
    "1e-320",
    "5e-324",
    "1e16",
    "-1000",
    "709.8",
    "-709.8",
    "18446744073709551615",
    "18446744073709551616",
    "9223372036854775807",
    "-9223372036854775808",
    "3,5",
    "1_000",
    "0x10",
    "1e",
    ".5",
    "5.",
    "\"12\"",
    "true",
    "[]",
    "{}",
];

/// Strings that ids, names and texts must survive.
const STRINGS: &[&str] = &[
    "\"\"",
    "\"\\u0007bel\"",
    "\"\\u001b[31mred\"",
    "\"weights\"",
    "\"status_quo\"",
    "\"a.b\"",
    "\"group:x\"",
    "\"{{ 7*7 }}\"",
    "\"<script>alert(1)</script>\"",
    "\"1. list\"",
    "\"ééé\"",
    "\"\\r\\n\"",
];

struct Corpus {
    /// Lines of every seed file, for splicing.
    lines: Vec<String>,
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            toml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

fn corpus() -> Corpus {
    let mut files = Vec::new();
    toml_files(&repo_root().join("tests/defects"), &mut files);
    let lines = files
        .iter()
        .filter_map(|f| fs::read_to_string(f).ok())
        .flat_map(|t| t.lines().map(str::to_owned).collect::<Vec<_>>())
        .filter(|l| !l.trim().is_empty())
        .collect();
    Corpus { lines }
}

/// Byte ranges of number-like and string tokens in `text`.
/// A token's byte range.
type Span = (usize, usize);

fn tokens(text: &str) -> (Vec<Span>, Vec<Span>) {
    let b = text.as_bytes();
    let (mut numbers, mut strings) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'"' {
            let start = i;
            i += 1;
            while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            if i < b.len() && b[i] == b'"' {
                strings.push((start, i + 1));
            }
            i += 1;
        } else if b[i].is_ascii_digit()
            || (b[i] == b'-' && i + 1 < b.len() && b[i + 1].is_ascii_digit())
        {
            let start = i;
            i += 1;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b"._-+".contains(&b[i])) {
                i += 1;
            }
            numbers.push((start, i));
        } else {
            i += 1;
        }
    }
    (numbers, strings)
}

/// One mutation of `text`.
fn mutate(text: &str, rng: &mut Xoshiro256PlusPlus, corpus: &Corpus) -> String {
    let (numbers, strings) = tokens(text);
    let mut lines: Vec<&str> = text.lines().collect();
    match rng.gen_range(0..9) {
        0..=2 if !numbers.is_empty() => {
            // A line first, then a number on it: sparse lines (a scale's
            // curvature) are hit as often as dense ones (a municipality list).
            let line_of = |pos: usize| text[..pos].matches('\n').count();
            let line = line_of(numbers[rng.gen_range(0..numbers.len())].0);
            let on_line: Vec<_> = numbers.iter().filter(|n| line_of(n.0) == line).collect();
            let (s, e) = *on_line[rng.gen_range(0..on_line.len())];
            let with = NUMBERS[rng.gen_range(0..NUMBERS.len())];
            format!("{}{}{}", &text[..s], with, &text[e..])
        }
        3 if !strings.is_empty() => {
            let (s, e) = strings[rng.gen_range(0..strings.len())];
            let with = if rng.gen_bool(0.2) {
                format!("\"{}\"", "x".repeat(rng.gen_range(1..20_000)))
            } else {
                STRINGS[rng.gen_range(0..STRINGS.len())].to_owned()
            };
            format!("{}{}{}", &text[..s], with, &text[e..])
        }
        4 if !lines.is_empty() => {
            lines.remove(rng.gen_range(0..lines.len()));
            lines.join("\n")
        }
        5 if !lines.is_empty() => {
            let i = rng.gen_range(0..lines.len());
            lines.insert(i, lines[i]);
            lines.join("\n")
        }
        6 if !corpus.lines.is_empty() => {
            let donor = &corpus.lines[rng.gen_range(0..corpus.lines.len())];
            let i = rng.gen_range(0..=lines.len());
            lines.insert(i, donor);
            lines.join("\n")
        }
        7 if !text.is_empty() => {
            let mut bytes = text.as_bytes().to_vec();
            let i = rng.gen_range(0..bytes.len());
            match rng.gen_range(0..3) {
                0 => bytes[i] ^= 1 << rng.gen_range(0..8),
                1 => bytes.insert(i, rng.gen()),
                _ => bytes.truncate(i),
            }
            // Bytes that break UTF-8 become U+FFFD (non-UTF-8 files have
            // their own defect folder).
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        }
        _ => {
            // Swap two lines.
            if lines.len() > 1 {
                let (a, b) = (rng.gen_range(0..lines.len()), rng.gen_range(0..lines.len()));
                lines.swap(a, b);
            }
            lines.join("\n")
        }
    }
}

/// What went wrong with one case, if anything.
fn check_case(dir: &Path) -> Result<(), String> {
    let outcome = catch_unwind(AssertUnwindSafe(|| match load(dir) {
        Err(e) => {
            let diags = e.diagnostics();
            let errors: Vec<_> = diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            if errors.is_empty() {
                return Err(format!("refused without an error: {e}"));
            }
            for d in errors {
                if d.line.is_some() != d.col.is_some() {
                    return Err(format!("an error with a line but no column: {d}"));
                }
            }
            Ok(())
        }
        Ok(decision) => {
            for profile in &decision.profiles {
                let compiled = CompiledDecision::new(&decision, profile)
                    .map_err(|e| format!("accepted, but does not compile: {e}"))?;
                let result = score(&compiled);
                for alt in &result.initiatives {
                    if !alt.total.is_finite() {
                        return Err(format!(
                            "accepted, but `{}` scores {} under profile `{}`",
                            alt.id, alt.total, profile.id
                        ));
                    }
                }
            }
            Ok(())
        }
    }));
    match outcome {
        Ok(r) => r,
        Err(panic) => Err(format!(
            "panic: {}",
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default()
        )),
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Starts a watchdog that aborts the process when the case counter has not
/// moved for [`CASE_LIMIT`]; the case is already on disk then.
fn watchdog(counter: Arc<AtomicU64>, done: Arc<AtomicU64>) {
    std::thread::spawn(move || {
        let mut last = u64::MAX;
        let mut since = Instant::now();
        while done.load(Ordering::Relaxed) == 0 {
            std::thread::sleep(Duration::from_millis(200));
            let now = counter.load(Ordering::Relaxed);
            if now != last {
                last = now;
                since = Instant::now();
            } else if since.elapsed() > CASE_LIMIT {
                eprintln!(
                    "fuzz case {now} hangs (over {CASE_LIMIT:?}); its folder is under target/fuzz-failures/"
                );
                std::process::abort();
            }
        }
    });
}

#[test]
fn mutated_decisions_are_refused_with_their_place_or_score_finitely() {
    let cases = env_u64("AFWEGING_FUZZ_CASES", 1500);
    let secs = env_u64("AFWEGING_FUZZ_SECS", 60);
    let seed = env_u64("AFWEGING_FUZZ_SEED", 0x5EED_2019);
    let corpus = corpus();
    assert!(corpus.lines.len() > 500, "the seed corpus is there");
    let bases: Vec<(PathBuf, Vec<(PathBuf, String)>)> =
        ["tests/defects/_valid", "tests/data/twente-v1"]
            .iter()
            .map(|b| {
                let base = repo_root().join(b);
                let mut files = Vec::new();
                toml_files(&base, &mut files);
                let texts = files
                    .iter()
                    .map(|f| {
                        (
                            f.strip_prefix(&base).unwrap().to_path_buf(),
                            fs::read_to_string(f).unwrap(),
                        )
                    })
                    .collect();
                (base, texts)
            })
            .collect();

    let failures_root = repo_root().join("target/fuzz-failures");
    let work = tempfile::tempdir().unwrap();
    let counter = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicU64::new(0));
    watchdog(counter.clone(), done.clone());
    let start = Instant::now();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut failures = Vec::new();
    let mut accepted = 0u64;
    let mut ran = 0u64;
    for case in 0..cases {
        if start.elapsed() > Duration::from_secs(secs) {
            break;
        }
        let dir = work.path().join(format!("case-{case}"));
        let (base, originals) = &bases[rng.gen_range(0..bases.len())];
        copy_dir(base, &dir).unwrap();
        let (rel, text) = &originals[rng.gen_range(0..originals.len())];
        let mut text = text.clone();
        for _ in 0..rng.gen_range(1..=4) {
            text = mutate(&text, &mut rng, &corpus);
        }
        fs::write(dir.join(rel), &text).unwrap();
        counter.store(case + 1, Ordering::Relaxed);
        let kept = failures_root.join(format!("{seed}-{case}"));
        let result = check_case(&dir);
        ran += 1;
        match result {
            Ok(()) => {
                if load(&dir).is_ok() {
                    accepted += 1;
                }
            }
            Err(why) => {
                let _ = copy_dir(&dir, &kept);
                failures.push(format!("case {case} ({}): {why}", kept.display()));
            }
        }
        fs::remove_dir_all(&dir).unwrap();
    }
    done.store(1, Ordering::Relaxed);
    eprintln!(
        "fuzz: {ran} cases in {:.1?} (seed {seed}), {accepted} accepted, {} failures",
        start.elapsed(),
        failures.len()
    );
    assert!(ran >= cases.min(100), "at least 100 cases ran ({ran})");
    assert!(accepted > 0, "some mutants are still valid decisions");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
