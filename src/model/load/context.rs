//! Diagnostics over TOML text: parsing one file with spans (`toml_edit`)
//! and [`Cx`], the builder of `file:line:col` errors and warnings with the
//! typed readers every part of the loader shares (strings, numbers, texts,
//! ids, arrays of tables, unknown keys with a did-you-mean).
//!
//! It knows no part of the decision format; the frame, criteria, profiles
//! and initiatives modules do.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml_edit::{ImDocument, Item, TableLike, Value as TValue};

use super::super::diag::{did_you_mean, fmt_key, Diagnostic, Diagnostics, LineIndex, Severity};
use super::super::limits;
use super::super::Text;

/// One parsed input file.
pub(super) struct Source {
    /// Path for display.
    pub(super) path: PathBuf,
    /// Its text.
    pub(super) text: String,
    /// Where its lines start.
    pub(super) lines: LineIndex,
    /// Its parsed document (None after a syntax error).
    pub(super) doc: Option<ImDocument<String>>,
}

/// Parses one file, recording size, UTF-8, empty-file and syntax errors.
pub(super) fn parse_source(path: &Path, bytes: &[u8], diags: &mut Diagnostics) -> Option<Source> {
    if bytes.len() > limits::MAX_FILE_BYTES {
        diags.push(
            Diagnostic::file_error(
                path,
                format!(
                    "the file is {} bytes, more than the limit of {} bytes (1 MiB) for one decision file",
                    bytes.len(),
                    limits::MAX_FILE_BYTES
                ),
            )
            .with_help("a decision file holds a few kilobytes of text; split it, or check that this is the right file"),
        );
        return None;
    }
    let text = match String::from_utf8(bytes.to_vec()) {
        Ok(t) => t,
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..good]).into_owned();
            let at = prefix.len();
            diags.push(
                Diagnostic::at(
                    Severity::Error,
                    path,
                    &lossy,
                    Some(at..at + 1),
                    format!("the file is not valid UTF-8 (bad byte at offset {good})"),
                )
                .with_help("save the file as UTF-8 (most editors: \"Save with encoding\" → UTF-8)"),
            );
            return None;
        }
    };
    if text.trim().is_empty() {
        diags.push(
            Diagnostic::file_error(path, "the file is empty")
                .with_help("fill it in (see the README for the format) or delete it"),
        );
        return None;
    }
    let lines = LineIndex::new(&text);
    let doc = match ImDocument::parse(text.clone()) {
        Ok(d) => Some(d),
        Err(e) => {
            let msg = e
                .message()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
            let d = Diagnostic::at_indexed(
                Severity::Error,
                path,
                &text,
                &lines,
                e.span(),
                format!("TOML syntax error: {msg}"),
            );
            let line = d.line.and_then(|l| text.lines().nth(l - 1)).unwrap_or("");
            let help = match decimal_comma(line) {
                Some((written, meant)) => format!(
                    "use a decimal point: {meant} (not {written}); TOML numbers are written the English way"
                ),
                None => "check quotes, brackets and `key = value` pairs on this line".to_string(),
            };
            diags.push(d.with_help(help));
            None
        }
    };
    Some(Source {
        path: path.to_path_buf(),
        lines,
        text,
        doc,
    })
}

/// A number written with a decimal comma after a `=` on `line` (`3,5`),
/// and the same with a point: the Dutch habit that TOML reads as two values.
fn decimal_comma(line: &str) -> Option<(String, String)> {
    for (eq, _) in line.match_indices('=') {
        let rest = line[eq + 1..].trim_start();
        let sign = usize::from(rest.starts_with('-') || rest.starts_with('+'));
        let int = rest[sign..].bytes().take_while(u8::is_ascii_digit).count();
        let after = &rest[sign + int..];
        let Some(frac) = after.strip_prefix(',') else {
            continue;
        };
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if int > 0 && digits > 0 {
            let written = &rest[..sign + int + 1 + digits];
            return Some((written.to_string(), written.replace(',', ".")));
        }
    }
    None
}

/// What a string is, for its limits: an id, a one-line name or a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TextClass {
    /// At most `MAX_ID_CHARS` (its characters are checked by [`Cx::id`]).
    Id,
    /// One line, at most `MAX_NAME_CHARS`.
    Name,
    /// Lines and tabs, at most `MAX_TEXT_CHARS`.
    Text,
}

impl TextClass {
    /// The class of the string under `key`.
    pub(super) fn of(key: &str) -> TextClass {
        match key {
            "id" => TextClass::Id,
            "name" | "unit" | "title" | "decided_by" | "prepared_by" | "group"
            | "decision_date" | "template" | "publisher" => TextClass::Name,
            _ => TextClass::Text,
        }
    }
    fn max_chars(self) -> usize {
        match self {
            TextClass::Id => limits::MAX_ID_CHARS,
            TextClass::Name => limits::MAX_NAME_CHARS,
            TextClass::Text => limits::MAX_TEXT_CHARS,
        }
    }
    fn plural(self) -> &'static str {
        match self {
            TextClass::Id => "an id",
            TextClass::Name => "a name",
            TextClass::Text => "a text",
        }
    }
    fn shorten(self) -> &'static str {
        match self {
            TextClass::Id => "use a short id such as `reach_share`; the name can be longer",
            TextClass::Name => "shorten it; put the details in a description or summary",
            TextClass::Text => "shorten it, or refer to a document with the full text",
        }
    }
}

/// A builder for diagnostics in one file.
pub(super) struct Cx<'a> {
    pub(super) file: &'a Path,
    pub(super) src: &'a str,
    pub(super) lines: &'a LineIndex,
    pub(super) diags: &'a mut Diagnostics,
    /// The declared sources, for resolving citations (`None`: not yet read).
    pub(super) catalog: Option<&'a super::references::Catalog>,
}

/// A handle to the diagnostic just pushed, to add help.
pub(super) struct Pushed<'a>(&'a mut Diagnostics);

impl Pushed<'_> {
    pub(super) fn help(self, text: impl Into<String>) {
        if let Some(last) = self.0.last_mut() {
            last.help = Some(text.into());
        }
    }
}

impl Diagnostics {
    fn last_mut(&mut self) -> Option<&mut Diagnostic> {
        self.items_mut().last_mut()
    }
}

/// What kind of TOML value an item is, for messages.
pub(super) fn kind_of(item: &Item) -> &'static str {
    match item {
        Item::None => "nothing",
        Item::Value(v) => match v {
            TValue::String(_) => "a string",
            TValue::Integer(_) => "an integer",
            TValue::Float(_) => "a number",
            TValue::Boolean(_) => "a boolean",
            TValue::Datetime(_) => "a date",
            TValue::Array(_) => "an array",
            TValue::InlineTable(_) => "a table",
        },
        Item::Table(_) => "a table",
        Item::ArrayOfTables(_) => "an array of tables",
    }
}

pub(super) fn value_kind(v: &TValue) -> &'static str {
    kind_of(&Item::Value(v.clone()))
}

impl<'a> Cx<'a> {
    pub(super) fn new(source: &'a Source, diags: &'a mut Diagnostics) -> Self {
        Cx {
            file: &source.path,
            src: &source.text,
            lines: &source.lines,
            diags,
            catalog: None,
        }
    }

    /// A diagnostic at `span` of this file (not recorded).
    pub(super) fn diagnostic(
        &self,
        severity: Severity,
        span: Option<Range<usize>>,
        msg: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::at_indexed(severity, self.file, self.src, self.lines, span, msg)
    }

    pub(super) fn error(
        &mut self,
        span: Option<Range<usize>>,
        msg: impl Into<String>,
    ) -> Pushed<'_> {
        let d = self.diagnostic(Severity::Error, span, msg);
        self.diags.push(d);
        Pushed(self.diags)
    }

    pub(super) fn warn(
        &mut self,
        span: Option<Range<usize>>,
        msg: impl Into<String>,
    ) -> Pushed<'_> {
        let d = self.diagnostic(Severity::Warning, span, msg);
        self.diags.push(d);
        Pushed(self.diags)
    }

    pub(super) fn location(&self, span: Option<Range<usize>>) -> String {
        self.diagnostic(Severity::Error, span, "").location()
    }

    /// Reports keys of `t` not in `allowed`, with a suggestion.
    pub(super) fn check_keys(&mut self, t: &dyn TableLike, allowed: &[&str], what: &str) {
        for (k, _) in t.iter() {
            if !allowed.contains(&k) {
                let span = t.get_key_value(k).and_then(|(key, _)| key.span());
                let hint = match did_you_mean(k, allowed.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "the keys of {what} are {}",
                        allowed
                            .iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                self.error(span, format!("unknown key `{}` in {what}", fmt_key(k)))
                    .help(hint);
            }
        }
    }

    pub(super) fn key_span(t: &dyn TableLike, key: &str) -> Option<Range<usize>> {
        t.get_key_value(key)
            .and_then(|(k, v)| v.span().or_else(|| k.span()))
    }

    /// A required item; reports it missing at `place`.
    pub(super) fn req<'t>(
        &mut self,
        t: &'t dyn TableLike,
        key: &str,
        place: Option<Range<usize>>,
        what: &str,
    ) -> Option<&'t Item> {
        match t.get(key) {
            Some(i) if !i.is_none() => Some(i),
            _ => {
                self.error(place, format!("{what} is missing `{key}`"))
                    .help(format!("add `{key} = …`"));
                None
            }
        }
    }

    pub(super) fn string(&mut self, item: &Item, what: &str) -> Option<String> {
        match item.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.error(
                    item.span(),
                    format!("{what} must be a string, found {}", kind_of(item)),
                )
                .help("put the text in double quotes");
                None
            }
        }
    }

    /// Checks a string read for `key` against its class's limits (length,
    /// control characters), reporting at `span`.
    pub(super) fn limited(
        &mut self,
        s: String,
        span: Option<Range<usize>>,
        key: &str,
    ) -> Option<String> {
        let class = TextClass::of(key);
        let max = class.max_chars();
        let n = s.chars().count();
        if n > max {
            self.error(
                span,
                format!(
                    "`{key}` is {n} characters long, more than the limit of {max} for {}",
                    class.plural()
                ),
            )
            .help(class.shorten());
            return None;
        }
        let allowed_ws = |c: char| class == TextClass::Text && matches!(c, '\n' | '\t' | '\r');
        if let Some((i, c)) = s
            .chars()
            .enumerate()
            .find(|&(_, c)| limits::is_forbidden_char(c) && !allowed_ws(c))
        {
            self.error(
                span,
                format!(
                    "`{key}` contains the control character U+{:04X} at character {}",
                    u32::from(c),
                    i + 1
                ),
            )
            .help(match class {
                TextClass::Text => "remove it: only line breaks and tabs may appear in a text (control characters would reach terminals, HTML and charts)",
                _ => "remove it: names and ids are one line of printable characters (control characters would reach terminals, HTML and charts)",
            });
            return None;
        }
        Some(s)
    }

    pub(super) fn req_string(
        &mut self,
        t: &dyn TableLike,
        key: &str,
        place: Option<Range<usize>>,
        what: &str,
    ) -> Option<String> {
        let item = self.req(t, key, place, what)?;
        let s = self.string(item, &format!("`{key}`"))?;
        let s = self.limited(s, item.span(), key)?;
        if s.trim().is_empty() {
            self.error(item.span(), format!("`{key}` of {what} is empty"))
                .help("write something here");
            return None;
        }
        Some(s)
    }

    pub(super) fn opt_string(&mut self, t: &dyn TableLike, key: &str) -> Option<String> {
        let item = t.get(key)?;
        let s = self.string(item, &format!("`{key}`"))?;
        self.limited(s, item.span(), key)
    }

    /// A finite number (integer or float).
    pub(super) fn number_value(&mut self, v: &TValue, what: &str) -> Option<f64> {
        let x = match v {
            TValue::Integer(i) => *i.value() as f64,
            TValue::Float(f) => *f.value(),
            other => {
                self.error(
                    other.span(),
                    format!("{what} must be a number, found {}", value_kind(other)),
                );
                return None;
            }
        };
        if !x.is_finite() {
            self.error(
                v.span(),
                format!("{what} is {x}: only finite numbers are allowed"),
            )
            .help("replace nan/inf with an ordinary number");
            return None;
        }
        Some(x)
    }

    pub(super) fn number(&mut self, item: &Item, what: &str) -> Option<f64> {
        match item {
            Item::Value(v) => self.number_value(v, what),
            other => {
                self.error(
                    other.span(),
                    format!("{what} must be a number, found {}", kind_of(other)),
                );
                None
            }
        }
    }

    /// An array of exactly `n` finite numbers (n = 0: any length ≥ 1).
    pub(super) fn numbers(&mut self, item: &Item, n: usize, what: &str) -> Option<Vec<f64>> {
        let Some(arr) = item.as_array() else {
            self.error(
                item.span(),
                format!(
                    "{what} must be an array of {} numbers, found {}",
                    if n == 0 {
                        "".to_string()
                    } else {
                        n.to_string()
                    },
                    kind_of(item)
                )
                .replace("of  numbers", "of numbers"),
            );
            return None;
        };
        if n > 0 && arr.len() != n {
            self.error(
                item.span(),
                format!("{what} needs {n} numbers, found {}", arr.len()),
            );
            return None;
        }
        let mut out = Vec::with_capacity(arr.len());
        let mut ok = true;
        for v in arr.iter() {
            match self.number_value(v, what) {
                Some(x) => out.push(x),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// An optional array of strings.
    pub(super) fn string_list(&mut self, t: &dyn TableLike, key: &str) -> Vec<String> {
        let mut out = Vec::new();
        let Some(r) = t.get(key) else {
            return out;
        };
        let Some(arr) = r.as_array() else {
            self.error(
                r.span(),
                format!("`{key}` must be an array of strings, found {}", kind_of(r)),
            )
            .help(format!("write {key} = [\"…\", \"…\"]"));
            return out;
        };
        for v in arr.iter() {
            match v.as_str() {
                Some(s) => {
                    if let Some(s) = self.limited(s.to_string(), v.span(), key) {
                        out.push(s);
                    }
                }
                None => {
                    self.error(
                        v.span(),
                        format!(
                            "each entry of `{key}` must be a string, found {}",
                            value_kind(v)
                        ),
                    );
                }
            }
        }
        out
    }

    pub(super) fn text(
        &mut self,
        t: &dyn TableLike,
        key: &str,
        place: Option<Range<usize>>,
        what: &str,
    ) -> Option<Text> {
        let item = self.req(t, key, place, what)?;
        if let Some(s) = item.as_str() {
            let s = self.limited(s.to_string(), item.span(), key)?;
            return Some(Text {
                nl: s.clone(),
                en: s,
            });
        }
        let Some(tt) = item.as_table_like() else {
            self.error(
                item.span(),
                format!(
                    "`{key}` must be {{ nl = \"…\", en = \"…\" }} or a string, found {}",
                    kind_of(item)
                ),
            );
            return None;
        };
        self.check_keys(tt, &["nl", "en"], &format!("`{key}`"));
        let span = item.span();
        let nl = self.req_string(tt, "nl", span.clone(), &format!("`{key}`"))?;
        let nl = self.limited(nl, Self::key_span(tt, "nl"), key)?;
        let en = match tt.get("en") {
            Some(i) => {
                let en = self.string(i, "`en`")?;
                self.limited(en, i.span(), key)?
            }
            None => nl.clone(),
        };
        Some(Text { nl, en })
    }

    pub(super) fn id(
        &mut self,
        t: &dyn TableLike,
        place: Option<Range<usize>>,
        what: &str,
    ) -> Option<(String, Option<Range<usize>>)> {
        let id = self.req_string(t, "id", place, what)?;
        let span = Self::key_span(t, "id");
        if !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            self.error(
                span,
                format!("id `{id}` may only contain letters, digits, `_` and `-`"),
            )
            .help("ids are used in command lines and JSON keys; use e.g. `reach_share`");
            return None;
        }
        Some((id, span))
    }

    /// The tables of an array of tables (`[[x]]`) or an array of inline tables.
    pub(super) fn tables<'t>(
        &mut self,
        item: &'t Item,
        key: &str,
    ) -> Vec<(&'t dyn TableLike, Option<Range<usize>>)> {
        if let Some(aot) = item.as_array_of_tables() {
            return aot
                .iter()
                .map(|t| (t as &dyn TableLike, t.span()))
                .collect();
        }
        if let Some(arr) = item.as_array() {
            let mut out = Vec::new();
            for v in arr.iter() {
                match v.as_inline_table() {
                    Some(t) => out.push((t as &dyn TableLike, t.span())),
                    None => {
                        self.error(
                            v.span(),
                            format!("each `{key}` must be a table, found {}", value_kind(v)),
                        );
                    }
                }
            }
            return out;
        }
        self.error(
            item.span(),
            format!(
                "`{key}` must be written as [[{key}]] tables, found {}",
                kind_of(item)
            ),
        );
        Vec::new()
    }
}
