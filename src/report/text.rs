//! Numbers and Markdown for people: the report layer's one number formatter
//! and one Markdown escaper.
//!
//! Owns how a number becomes digits ([`number`]: rounding, sign, decimal and
//! thousands separators, non-finite values) and how text is made safe inside
//! Markdown ([`md_escape`]). Both are used by the data exporters
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
/// Rounds the exact binary value of `x` to the nearest; an exact half (only
/// halves that are binary fractions, such as 2.5 or 0.125) goes to the even
/// digit (`2.5` → `2`, `0.125` → `0.12`, `0.375` → `0.38`), while `0.15`,
/// stored as 0.1499…, gives `0.1`. A negative number that rounds to zero
/// prints without a minus sign (`-0.0004` → `0.000`). NaN and infinities
/// print as [`NOT_A_NUMBER`].
pub fn number(x: f64, decimals: usize, sep: Separators) -> String {
    if !x.is_finite() {
        return NOT_A_NUMBER.to_string();
    }
    let digits = format!("{:.*}", decimals, x.abs());
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
/// get a backslash (no emphasis, code or links), and a leading `#`, `-` or
/// `+` gets a backslash (no heading or list).
pub fn md_escape(s: &str, kind: MdText) -> String {
    let prose = kind == MdText::Prose;
    let mut out = String::with_capacity(s.len());
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
            other => out.push(other),
        }
    }
    if prose && out.starts_with(['#', '-', '+']) {
        out.insert(0, '\\');
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
    fn halves_round_to_even_on_the_exact_binary_value() {
        assert_eq!(number(0.5, 0, PLAIN), "0");
        assert_eq!(number(1.5, 0, PLAIN), "2");
        assert_eq!(number(2.5, 0, PLAIN), "2");
        assert_eq!(number(-2.5, 0, PLAIN), "-2");
        assert_eq!(number(0.125, 2, PLAIN), "0.12");
        assert_eq!(number(0.375, 2, PLAIN), "0.38");
        // 0.15 and 0.35 are not halves in binary: 0.1499… and 0.3499….
        assert_eq!(number(0.15, 1, PLAIN), "0.1");
        assert_eq!(number(0.35, 1, PLAIN), "0.3");
        // Rounding up can add a digit and a thousands group.
        assert_eq!(number(999.96, 1, NL), "1.000,0");
        assert_eq!(number(999_999.5, 0, EN), "1,000,000");
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
