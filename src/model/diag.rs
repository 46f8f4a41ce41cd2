//! Diagnostics: what is wrong with an input file, where, and what to do.
//!
//! Owns the `path:line:col: message` rendering with the offending line and a
//! caret, and the collection of every problem found in one run. It does not
//! know about TOML or the model; the loader feeds it byte spans.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; the decision can still be analysed (an error under `check --strict`).
    Warning,
    /// The decision cannot be analysed until this is fixed.
    Error,
}

/// One problem in one input file.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as given (relative to the decision folder's parent when possible).
    pub file: PathBuf,
    /// 1-based line, when the problem has a place in the file.
    pub line: Option<usize>,
    /// 1-based column (in characters), when the problem has a place in the file.
    pub col: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it, when we can tell.
    pub help: Option<String>,
    /// The offending source line, for display.
    #[serde(skip)]
    pub snippet: Option<Snippet>,
}

/// The offending line and the part of it to underline.
#[derive(Debug, Clone, PartialEq)]
pub struct Snippet {
    /// The whole source line, without its line break.
    pub text: String,
    /// 0-based character column where the underline starts.
    pub start: usize,
    /// Length of the underline in characters (at least 1).
    pub len: usize,
}

impl Diagnostic {
    /// A problem with a whole file (missing, unreadable, empty folder…).
    pub fn file_error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            col: None,
            message: message.into(),
            help: None,
            snippet: None,
        }
    }

    /// A problem at a byte span of `src` (scans `src` for the line: for
    /// one-off messages; the loader uses [`Diagnostic::at_indexed`]).
    pub fn at(
        severity: Severity,
        file: &Path,
        src: &str,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
        Self::at_indexed(severity, file, src, &LineIndex::new(src), span, message)
    }

    /// A problem at a byte span of `src`, located through its precomputed
    /// [`LineIndex`]: O(log lines + 1 KiB), whatever the file's size.
    pub fn at_indexed(
        severity: Severity,
        file: &Path,
        src: &str,
        lines: &LineIndex,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
        let mut d = Diagnostic {
            severity,
            file: file.to_path_buf(),
            line: None,
            col: None,
            message: message.into(),
            help: None,
            snippet: None,
        };
        if let Some(span) = span {
            let (line, col, snippet) = lines.locate(src, span);
            d.line = Some(line);
            d.col = Some(col);
            d.snippet = Some(snippet);
        }
        d
    }

    /// Adds a suggestion.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `path:line:col` (or just `path`).
    pub fn location(&self) -> String {
        match (self.line, self.col) {
            (Some(l), Some(c)) => format!("{}:{}:{}", self.file.display(), l, c),
            _ => self.file.display().to_string(),
        }
    }
}

/// Bytes between the character-count checkpoints of a [`LineIndex`].
const CHECKPOINT_BYTES: usize = 1024;

/// Characters of the offending line shown on each side of the place.
const SNIPPET_CONTEXT: usize = 60;

/// Where the lines of one source text start, computed once per file so
/// that locating a diagnostic does not rescan the file (40,000 errors in a
/// 1 MiB file stay linear).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Byte offset of the start of every line.
    starts: Vec<usize>,
    /// Characters before byte `k * CHECKPOINT_BYTES` (floored to a
    /// character boundary), for columns on long lines.
    chars_before: Vec<usize>,
}

impl LineIndex {
    /// Indexes `src`.
    pub fn new(src: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            src.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut chars_before = Vec::with_capacity(src.len() / CHECKPOINT_BYTES + 1);
        let mut count = 0;
        let mut prev = 0;
        for k in 0..=src.len() / CHECKPOINT_BYTES {
            let at = floor_char_boundary(src, (k * CHECKPOINT_BYTES).min(src.len()));
            count += src[prev..at].chars().count();
            chars_before.push(count);
            prev = at;
        }
        LineIndex {
            starts,
            chars_before,
        }
    }

    /// Characters in `src[..at]` (`at` on a character boundary).
    fn chars_to(&self, src: &str, at: usize) -> usize {
        let k = (at / CHECKPOINT_BYTES).min(self.chars_before.len().saturating_sub(1));
        let from = floor_char_boundary(src, (k * CHECKPOINT_BYTES).min(at));
        self.chars_before.get(k).copied().unwrap_or(0) + src[from..at].chars().count()
    }

    /// Line, column (1-based, in characters) and the line's text (at most
    /// [`SNIPPET_CONTEXT`] characters each side of the place) for a byte span.
    fn locate(&self, src: &str, span: Range<usize>) -> (usize, usize, Snippet) {
        let start = floor_char_boundary(src, span.start.min(src.len()));
        let end = floor_char_boundary(src, span.end.clamp(start, src.len()));
        let line_idx = self.starts.partition_point(|&s| s <= start).max(1) - 1;
        let line_start = self.starts.get(line_idx).copied().unwrap_or(0).min(start);
        let line_end = self
            .starts
            .get(line_idx + 1)
            .map_or(src.len(), |&s| s - 1)
            .max(start);
        let col0 = self.chars_to(src, start) - self.chars_to(src, line_start);
        // The shown window: SNIPPET_CONTEXT characters each side of `start`.
        let from = src[line_start..start]
            .char_indices()
            .rev()
            .nth(SNIPPET_CONTEXT - 1)
            .map_or(line_start, |(i, _)| line_start + i);
        let to = src[start..line_end]
            .char_indices()
            .nth(SNIPPET_CONTEXT)
            .map_or(line_end, |(i, _)| start + i);
        let skipped = if from > line_start {
            col0 - SNIPPET_CONTEXT
        } else {
            0
        };
        let mut text = String::new();
        if from > line_start {
            text.push('…');
        }
        text.push_str(src[from..to].trim_end_matches(['\r', '\n']));
        if to < line_end && !src[to..line_end].trim_end_matches('\r').is_empty() {
            text.push('…');
        }
        let shown_start = col0 - skipped + usize::from(from > line_start);
        let len = src[start..end.min(to)].chars().count().max(1);
        (
            line_idx + 1,
            col0 + 1,
            Snippet {
                text,
                start: shown_start,
                len,
            },
        )
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}: {}: {}",
            self.location(),
            kind,
            visible(&self.message)
        )?;
        if let (Some(s), Some(line)) = (&self.snippet, self.line) {
            let gutter = line.to_string().len();
            write!(f, "\n{:gutter$} |", "")?;
            write!(f, "\n{line} | {}", visible(&s.text.replace('\t', " ")))?;
            write!(
                f,
                "\n{:gutter$} | {}{}",
                "",
                " ".repeat(s.start),
                "^".repeat(s.len.min(80))
            )?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {}", visible(help))?;
        }
        Ok(())
    }
}

/// `text` with every control character (other than a line break) shown as
/// its Unicode control picture (BEL as `␇`, ESC as `␛`; C1 controls as
/// `�`): a diagnostic quotes the file, and a raw escape sequence from it
/// must not reach the terminal. One character for one, so the caret under a
/// snippet stays aligned.
pub fn visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' => c,
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            '\u{80}'..='\u{9f}' => '\u{fffd}',
            _ => c,
        })
        .collect()
}

/// Every problem found while loading a decision folder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    /// All diagnostics, in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.severity == Severity::Error)
    }
    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }
    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
    /// Number of diagnostics.
    pub fn len(&self) -> usize {
        self.items.len()
    }
    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    /// Turns every warning into an error (`check --strict`).
    pub fn escalate_warnings(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }
    pub(crate) fn items_mut(&mut self) -> &mut Vec<Diagnostic> {
        &mut self.items
    }
    /// Consumes into the list.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.items.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Words longer than this (in characters) get no "did you mean": no id
/// or key is that long, and the edit distance would cost their length
/// squared.
pub const SUGGEST_MAX_CHARS: usize = 64;

/// The closest candidate to `word`, if it is close enough to be a likely typo.
///
/// Bounded: words or candidates over [`SUGGEST_MAX_CHARS`] characters are
/// skipped, and the distance stops as soon as it exceeds the limit.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    if word.chars().count() > SUGGEST_MAX_CHARS {
        return None;
    }
    let word: Vec<char> = word.to_lowercase().chars().collect();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c.chars().count() > SUGGEST_MAX_CHARS {
            continue;
        }
        let cand: Vec<char> = c.to_lowercase().chars().collect();
        let limit = (word.len().max(cand.len()) / 3).max(1);
        if let Some(d) = bounded_distance(&word, &cand, limit) {
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, c));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// Edit distance with adjacent transpositions (optimal string alignment),
/// or `None` as soon as it must exceed `limit`. Three rows of memory.
fn bounded_distance(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let w = b.len() + 1;
    let mut prev2 = vec![0usize; w];
    let mut prev: Vec<usize> = (0..w).collect();
    let mut cur = vec![0usize; w];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[b.len()]).filter(|&d| d <= limit)
}

/// A key or id for messages: as written when it is at most
/// [`SUGGEST_MAX_CHARS`] characters, else its start and its length (a
/// 1 MB key made a 1 MB message).
pub fn fmt_key(key: &str) -> String {
    let n = key.chars().count();
    if n <= SUGGEST_MAX_CHARS {
        key.to_string()
    } else {
        let start: String = key.chars().take(32).collect();
        format!("{start}… ({n} characters)")
    }
}

/// A number for messages: integers below 10^15 in full, other numbers
/// with at most 6 significant decimals, and very large or small ones in
/// exponent form (`1e308`, `-2.5e-12`), never 309 digits.
pub fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let a = x.abs();
    if x == x.trunc() && a < 1e15 {
        format!("{}", x as i64)
    } else if a >= 1e15 || (a > 0.0 && a < 1e-6) {
        let s = format!("{x:.6e}");
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let m = if m.contains('.') {
            m.trim_end_matches('0').trim_end_matches('.')
        } else {
            m
        };
        format!("{m}e{e}")
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_quoted_text_are_shown_not_sent() {
        assert_eq!(visible("a\u{7}b\u{1b}[31m\u{9b}\u{7f}\nc"), "a␇b␛[31m�␡\nc");
        let d = Diagnostic {
            severity: Severity::Error,
            file: "x.toml".into(),
            line: Some(1),
            col: Some(3),
            message: "bad \u{7}".into(),
            help: Some("\u{1b}c".into()),
            snippet: Some(Snippet {
                text: "a\u{7}b".into(),
                start: 2,
                len: 1,
            }),
        };
        let shown = d.to_string();
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "{shown:?}"
        );
        assert!(shown.contains("1 | a␇b"), "{shown}");
    }

    #[test]
    fn locates_line_and_column_in_characters() {
        let src = "a = 1\nnaam = \"é\" x\n";
        let start = src.find('x').unwrap();
        let d = Diagnostic::at(
            Severity::Error,
            Path::new("f.toml"),
            src,
            Some(start..start + 1),
            "bad",
        );
        assert_eq!(d.location(), "f.toml:2:12");
        let shown = d.to_string();
        assert!(shown.contains("2 | naam = \"é\" x"), "{shown}");
        assert!(shown.contains("           ^"), "{shown}");
    }

    #[test]
    fn suggests_close_ids_only() {
        let ids = ["reach_share", "annual_cost", "speed"];
        assert_eq!(did_you_mean("reach_shar", ids), Some("reach_share"));
        assert_eq!(did_you_mean("spede", ids), Some("speed"));
        assert_eq!(did_you_mean("completely_else", ids), None);
    }

    #[test]
    fn suggestions_are_bounded_in_length() {
        let long = "x".repeat(SUGGEST_MAX_CHARS + 1);
        assert_eq!(did_you_mean(&long, [long.as_str()]), None);
        // Transposition and early exit.
        let a: Vec<char> = "abcd".chars().collect();
        let b: Vec<char> = "bacd".chars().collect();
        assert_eq!(bounded_distance(&a, &b, 1), Some(1));
        let c: Vec<char> = "wxyz".chars().collect();
        assert_eq!(bounded_distance(&a, &c, 2), None);
    }

    #[test]
    fn numbers_are_compact() {
        assert_eq!(fmt_num(1e308), "1e308");
        assert_eq!(fmt_num(-1e308), "-1e308");
        assert_eq!(fmt_num(150_000.0), "150000");
        assert_eq!(fmt_num(0.125), "0.125");
        assert_eq!(fmt_num(2.5e-12), "2.5e-12");
        assert_eq!(fmt_num(1.0e15), "1e15");
        assert_eq!(fmt_key("annual_cost"), "annual_cost");
        assert_eq!(
            fmt_key(&"q".repeat(100)),
            format!("{}… (100 characters)", "q".repeat(32))
        );
    }

    #[test]
    fn long_lines_are_shown_as_a_window() {
        let src = format!("a = 1\nk = \"{}é\" x\n", "y".repeat(5000));
        let start = src.find(" x").unwrap() + 1;
        let d = Diagnostic::at(
            Severity::Error,
            Path::new("f.toml"),
            &src,
            Some(start..start + 1),
            "bad",
        );
        assert_eq!(d.location(), "f.toml:2:5009");
        let s = d.snippet.unwrap();
        assert!(
            s.text.chars().count() < 2 * SNIPPET_CONTEXT + 3,
            "{}",
            s.text
        );
        assert_eq!(s.text.chars().nth(s.start), Some('x'), "{}", s.text);
    }
}
