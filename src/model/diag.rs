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

    /// A problem at a byte span of `src`.
    pub fn at(
        severity: Severity,
        file: &Path,
        src: &str,
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
            let (line, col, snippet) = locate(src, span);
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

/// Line, column (1-based, in characters) and the line's text for a byte span.
fn locate(src: &str, span: Range<usize>) -> (usize, usize, Snippet) {
    let start = floor_char_boundary(src, span.start.min(src.len()));
    let end = floor_char_boundary(src, span.end.clamp(start, src.len()));
    let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
    let line_no = src[..start].matches('\n').count() + 1;
    let text = src[line_start..line_end].trim_end_matches('\r').to_string();
    let col0 = src[line_start..start].chars().count();
    let len = src[start..end.min(line_end)].chars().count().max(1);
    (
        line_no,
        col0 + 1,
        Snippet {
            text,
            start: col0,
            len,
        },
    )
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
        write!(f, "{}: {}: {}", self.location(), kind, self.message)?;
        if let (Some(s), Some(line)) = (&self.snippet, self.line) {
            let gutter = line.to_string().len();
            write!(f, "\n{:gutter$} |", "")?;
            write!(f, "\n{line} | {}", s.text.replace('\t', " "))?;
            write!(
                f,
                "\n{:gutter$} | {}{}",
                "",
                " ".repeat(s.start),
                "^".repeat(s.len.min(80))
            )?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
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

/// The closest candidate to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = levenshtein(&word.to_lowercase(), &c.to_lowercase());
        let limit = (word.chars().count().max(c.chars().count()) / 3).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Edit distance with adjacent transpositions (optimal string alignment).
fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, x) in d.iter_mut().take(w).enumerate() {
        *x = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
