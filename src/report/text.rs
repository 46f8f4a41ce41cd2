//! Numbers and Markdown for people: the report layer's one number formatter
//! and one Markdown escaper.
//!
//! Owns how a number becomes digits ([`number`]: rounding, sign, decimal and
//! thousands separators, non-finite values), how text is made safe inside
//! Markdown ([`md_escape`]), how control characters are kept out of every
//! output ([`without_controls`]) and how a file name becomes a link
//! ([`url_path`]). Both are used by the data exporters
//! ([`super::export`]) and the memo ([`super::memo::format`], whose filters
//! choose decimals, units and language on top of them). It decides nothing
//! about how many decimals a number deserves or what it means.

/// The characters between a number's digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Separators {
    /// Before the decimals.
    pub decimal: char,
    /// Between groups of three integer digits, if any.
    pub thousands: Option<char>,
}

impl Separators {
    /// The data tables (`table`, `md`): `12345.678`, no thousands separator,
    /// so that a number pastes into any tool.
    pub const PLAIN: Separators = Separators {
        decimal: '.',
        thousands: None,
    };
    /// Dutch: `12.345,6`.
    pub const DUTCH: Separators = Separators {
        decimal: ',',
        thousands: Some('.'),
    };
    /// English: `12,345.6`.
    pub const ENGLISH: Separators = Separators {
        decimal: '.',
        thousands: Some(','),
    };
}

/// What is printed for a number that is not finite (NaN, ±∞): a dash, never
/// `NaN` or `inf`.
pub const NOT_A_NUMBER: &str = "–";

/// `x` with exactly `decimals` decimals.
///
/// Rounds the exact binary value of `x` to the nearest, an exact half away
/// from zero, as Dutch (and most) financial practice does (`7242.5` →
/// `7243`, `8107.5` → `8108`, `-2.5` → `-3`, `0.125` → `0.13`), so that a
/// table of rounded amounts and its rounded total agree as often as they
/// can; `0.15`, stored as 0.1499…, gives `0.1`. A negative number that
/// rounds to zero prints without a minus sign (`-0.0004` → `0.000`). NaN
/// and infinities print as [`NOT_A_NUMBER`].
pub fn number(x: f64, decimals: usize, sep: Separators) -> String {
    if !x.is_finite() {
        return NOT_A_NUMBER.to_string();
    }
    let digits = round_half_away(x.abs(), decimals);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits.as_str(), None),
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if x < 0.0 && digits.bytes().any(|b| matches!(b, b'1'..=b'9')) {
        out.push('-');
    }
    let n = int.len();
    for (k, c) in int.chars().enumerate() {
        if let Some(t) = sep.thousands {
            if k > 0 && (n - k) % 3 == 0 {
                out.push(t);
            }
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push(sep.decimal);
        out.push_str(f);
    }
    out
}

/// Every fractional digit of an `f64` (the smallest subnormal has 1074).
const ALL_DIGITS: usize = 1074;

/// `ax ≥ 0` with `decimals` decimals, rounded half away from zero on its
/// exact decimal expansion (Rust's own formatting rounds an exact half to
/// even).
fn round_half_away(ax: f64, decimals: usize) -> String {
    let exact = format!("{ax:.ALL_DIGITS$}");
    let (int, frac) = exact.split_once('.').unwrap_or((exact.as_str(), ""));
    let keep = decimals.min(frac.len());
    let mut digits: Vec<u8> = int.bytes().chain(frac[..keep].bytes()).collect();
    if frac.as_bytes().get(keep).is_some_and(|&d| d >= b'5') {
        // Add one unit in the last kept place, carrying to the left.
        let mut k = digits.len();
        loop {
            if k == 0 {
                digits.insert(0, b'1');
                break;
            }
            k -= 1;
            if digits[k] == b'9' {
                digits[k] = b'0';
            } else {
                digits[k] += 1;
                break;
            }
        }
    }
    let int_len = digits.len() - keep;
    let mut out = String::from_utf8(digits[..int_len].to_vec()).unwrap_or_default();
    if decimals > 0 {
        out.push('.');
        out.push_str(std::str::from_utf8(&digits[int_len..]).unwrap_or_default());
    }
    out
}

/// Shown instead of a control character (U+FFFD, the replacement character).
pub const REPLACEMENT: char = '\u{FFFD}';

/// Whether `c` may not appear in any output: control characters (C0, DEL,
/// C1) other than tab and line feed. XML 1.0 forbids most of them even as
/// references, and a terminal interprets them (a bell, an escape sequence).
pub fn is_forbidden(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// `s` with every forbidden character ([`is_forbidden`]) replaced by
/// [`REPLACEMENT`], except a carriage return, which is dropped (Windows
/// line ends). Applied to every report, memo, chart and table before it is
/// written, so no data can ring a bell, move a cursor or make an SVG
/// invalid XML.
pub fn without_controls(s: &str) -> String {
    s.chars()
        .filter(|&c| c != '\r')
        .map(|c| if is_forbidden(c) { REPLACEMENT } else { c })
        .collect()
}

/// A file name as a relative link destination: every byte outside the
/// URL's unreserved characters (`A-Z a-z 0-9 - . _ ~`) percent-encoded, so
/// `advies 2019-bijdragen.svg` links as `advies%202019-bijdragen.svg`,
/// which every Markdown reader and browser accepts.
pub fn url_path(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What a piece of text is, for [`md_escape`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MdText {
    /// Free text from the decision files (titles, names, explanations):
    /// everything Markdown or HTML would interpret is made inert.
    Prose,
    /// An id, key or number in a data table: only what would break the
    /// table row is escaped, so it reads exactly as in the files and the
    /// JSON (`reach_share`, `weights.effect`).
    Identifier,
}

/// Escapes `s` for a Markdown line or table cell.
///
/// Always: `|` and `\` get a backslash and line breaks become one space, so
/// a table row stays one row. For [`MdText::Prose`] also: `<`, `>` and `&`
/// become entities (no raw HTML from data), `*`, `_`, `` ` ``, `[` and `]`
/// get a backslash (no emphasis, code or links), leading white space is
/// dropped (no code block), a leading `#`, `-`, `+`, `=` or `~` gets a
/// backslash (no heading, list, underline or fence), and so does the `.` or
/// `)` after leading digits (`1\. Eerst`: no numbered list). Control
/// characters become [`REPLACEMENT`] (see [`without_controls`]).
pub fn md_escape(s: &str, kind: MdText) -> String {
    let prose = kind == MdText::Prose;
    let mut out = String::with_capacity(s.len());
    let s = if prose { s.trim_start() } else { s };
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            '\r' => {}
            '\n' => out.push(' '),
            '<' if prose => out.push_str("&lt;"),
            '>' if prose => out.push_str("&gt;"),
            '&' if prose => out.push_str("&amp;"),
            '*' | '_' | '`' | '[' | ']' if prose => {
                out.push('\\');
                out.push(c);
            }
            c if is_forbidden(c) => out.push(REPLACEMENT),
            other => out.push(other),
        }
    }
    if prose {
        if out.starts_with(['#', '-', '+', '=', '~']) {
            out.insert(0, '\\');
        }
        let digits = out.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && out[digits..].starts_with(['.', ')']) {
            out.insert(digits, '\\');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NL: Separators = Separators::DUTCH;
    const EN: Separators = Separators::ENGLISH;
    const PLAIN: Separators = Separators::PLAIN;

    #[test]
    fn thousands_separators_per_language() {
        assert_eq!(number(50_122.0, 0, NL), "50.122");
        assert_eq!(number(50_122.0, 0, EN), "50,122");
        assert_eq!(number(50_122.0, 0, PLAIN), "50122");
        assert_eq!(number(1_234_567.891, 1, NL), "1.234.567,9");
        assert_eq!(number(1_234_567.891, 1, EN), "1,234,567.9");
        assert_eq!(number(999.0, 0, NL), "999");
        assert_eq!(number(100_000.0, 0, NL), "100.000");
        assert_eq!(number(0.08, 2, NL), "0,08");
        assert_eq!(number(0.08, 2, EN), "0.08");
    }

    #[test]
    fn negative_numbers_keep_their_sign_unless_they_round_to_zero() {
        assert_eq!(number(-1234.0, 0, EN), "-1,234");
        assert_eq!(number(-1234.5678, 3, PLAIN), "-1234.568");
        assert_eq!(number(-0.0004, 3, PLAIN), "0.000");
        assert_eq!(number(-0.001, 2, NL), "0,00");
        assert_eq!(number(-0.0, 1, NL), "0,0");
        assert_eq!(number(-0.006, 2, NL), "-0,01");
    }

    #[test]
    fn halves_round_away_from_zero_on_the_exact_binary_value() {
        assert_eq!(number(0.5, 0, PLAIN), "1");
        assert_eq!(number(1.5, 0, PLAIN), "2");
        assert_eq!(number(2.5, 0, PLAIN), "3");
        assert_eq!(number(-2.5, 0, PLAIN), "-3");
        assert_eq!(number(0.125, 2, PLAIN), "0.13");
        assert_eq!(number(0.375, 2, PLAIN), "0.38");
        // The cost table of the memo: half-euros of Twente's municipalities.
        assert_eq!(number(7_242.5, 0, NL), "7.243");
        assert_eq!(number(8_107.5, 0, NL), "8.108");
        // 0.15 and 0.35 are not halves in binary: 0.1499… and 0.3499….
        assert_eq!(number(0.15, 1, PLAIN), "0.1");
        assert_eq!(number(0.35, 1, PLAIN), "0.3");
        // Just below a half stays below.
        assert_eq!(number(2.499_999_999_999_999_6, 0, PLAIN), "2");
        // Rounding up can add a digit and a thousands group.
        assert_eq!(number(999.96, 1, NL), "1.000,0");
        assert_eq!(number(999_999.5, 0, EN), "1,000,000");
        assert_eq!(number(9.5, 0, PLAIN), "10");
        // Tiny and huge values keep every digit right.
        assert_eq!(number(5e-324, 3, PLAIN), "0.000");
        assert_eq!(number(1e15 + 0.5, 0, PLAIN), "1000000000000001");
    }

    #[test]
    fn nan_and_infinities_are_never_printed_as_such() {
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            for sep in [NL, EN, PLAIN] {
                assert_eq!(number(x, 2, sep), "–");
            }
        }
    }

    #[test]
    fn prose_is_inert_in_markdown() {
        assert_eq!(md_escape("a|b\nc", MdText::Prose), "a\\|b c");
        assert_eq!(md_escape("a\r\nb", MdText::Prose), "a b");
        assert_eq!(md_escape("<script>", MdText::Prose), "&lt;script&gt;");
        assert_eq!(md_escape("A & B", MdText::Prose), "A &amp; B");
        assert_eq!(md_escape("# kop", MdText::Prose), "\\# kop");
        assert_eq!(md_escape("- punt", MdText::Prose), "\\- punt");
        assert_eq!(md_escape("+ punt", MdText::Prose), "\\+ punt");
        assert_eq!(md_escape("{{ 7*7 }}", MdText::Prose), "{{ 7\\*7 }}");
        assert_eq!(
            md_escape("[a](b) `c` _d_", MdText::Prose),
            "\\[a\\](b) \\`c\\` \\_d\\_"
        );
        assert_eq!(md_escape("c:\\x", MdText::Prose), "c:\\\\x");
        assert_eq!(md_escape("1. Eerst", MdText::Prose), "1\\. Eerst");
        assert_eq!(md_escape("12) dan", MdText::Prose), "12\\) dan");
        assert_eq!(md_escape("2019 was", MdText::Prose), "2019 was");
        assert_eq!(md_escape("    code", MdText::Prose), "code");
        assert_eq!(md_escape("=== x", MdText::Prose), "\\=== x");
        assert_eq!(md_escape("~~~", MdText::Prose), "\\~~~");
        assert_eq!(md_escape("> citaat", MdText::Prose), "&gt; citaat");
        assert_eq!(
            md_escape("a\u{7}b\u{1b}[2J", MdText::Prose),
            "a\u{FFFD}b\u{FFFD}\\[2J"
        );
    }

    #[test]
    fn control_characters_are_replaced_and_carriage_returns_dropped() {
        assert_eq!(
            without_controls("a\u{7}b\u{1b}[0m\u{9b}c"),
            "a\u{FFFD}b\u{FFFD}[0m\u{FFFD}c"
        );
        assert_eq!(without_controls("a\r\n\tb\u{7f}"), "a\n\tb\u{FFFD}");
        assert_eq!(without_controls("één · ✓"), "één · ✓");
    }

    #[test]
    fn file_names_become_percent_encoded_links() {
        assert_eq!(
            url_path("advies 2019-bijdragen.svg"),
            "advies%202019-bijdragen.svg"
        );
        assert_eq!(url_path("a(b)<c>.svg"), "a%28b%29%3Cc%3E.svg");
        assert_eq!(url_path("één.svg"), "%C3%A9%C3%A9n.svg");
    }

    #[test]
    fn identifiers_keep_their_spelling_and_the_table_its_rows() {
        assert_eq!(
            md_escape("burgernet.reach_share", MdText::Identifier),
            "burgernet.reach_share"
        );
        assert_eq!(md_escape("group:cost", MdText::Identifier), "group:cost");
        assert_eq!(md_escape("-0.5", MdText::Identifier), "-0.5");
        assert_eq!(md_escape("a|b\\c\nd", MdText::Identifier), "a\\|b\\\\c d");
    }
}
