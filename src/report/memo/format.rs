//! Numbers, money, percentages and dates for people, per language.
//!
//! Owns every conversion of a number to text in the memo: Dutch uses a
//! decimal comma and a dot between thousands (`€ 50.122`, `0,08`, `62%`),
//! English the reverse (`€50,122`, `0.08`). The templates reach these
//! functions only through the minijinja filters registered in
//! [`super::render`]; they never compute or format numbers themselves. It
//! decides nothing about what a number means.

/// A memo language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Dutch (the default).
    Nl,
    /// English.
    En,
}

impl Lang {
    /// `"nl"` or `"en"`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
    fn separators(self) -> (char, char) {
        match self {
            Lang::Nl => (',', '.'),
            Lang::En => ('.', ','),
        }
    }
}

/// `x` with `decimals` decimals and thousands separators (`12.345,6` in
/// Dutch, `12,345.6` in English). NaN and infinities print as `–`.
pub fn num(x: f64, decimals: usize, lang: Lang) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let (dec, thousands) = lang.separators();
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let mut out = String::new();
    // A value that rounds to zero prints without a minus sign.
    if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    let digits: Vec<char> = int.chars().collect();
    for (k, c) in digits.iter().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(thousands);
        }
        out.push(*c);
    }
    if let Some(f) = frac {
        out.push(dec);
        out.push_str(f);
    }
    out
}

/// `x` with as few decimals as its size needs: none from 100 up, at most
/// one from 10, at most two below 10 (after rounding to three significant
/// digits); trailing zeros are dropped (`12`, `0,08`, `2,5`, `50.122`).
pub fn auto(x: f64, lang: Lang) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let a = x.abs();
    let decimals = if a >= 100.0 || a == 0.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 0.01 {
        2
    } else {
        3
    };
    let s = num(x, decimals, lang);
    let (dec, _) = lang.separators();
    if decimals > 0 {
        let t = s.trim_end_matches('0');
        t.strip_suffix(dec).unwrap_or(t).to_string()
    } else {
        s
    }
}

/// Euros: whole euros from 10 up (`€ 50.122`, `€50,122`), cents below
/// (`€ 0,08`, `€0.08`); zero is `€ 0`.
pub fn eur(x: f64, lang: Lang) -> String {
    let decimals = if x.abs() >= 10.0 || x == 0.0 { 0 } else { 2 };
    eur_with(x, decimals, lang)
}

/// Euros with a fixed number of decimals.
pub fn eur_with(x: f64, decimals: usize, lang: Lang) -> String {
    let n = num(x.abs(), decimals, lang);
    let sign = if x < 0.0 && n.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    match lang {
        Lang::Nl => format!("{sign}€ {n}"),
        Lang::En => format!("{sign}€{n}"),
    }
}

/// A share (0..1) as a percentage with `decimals` decimals: `62%`, `95,8%`.
pub fn pct(p: f64, decimals: usize, lang: Lang) -> String {
    format!("{}%", num(100.0 * p, decimals, lang))
}

/// Decimals needed to show a 95% half-width `e` (a share) with at least one
/// significant digit: 0 from half a percentage point up, else 1.
pub fn pm_decimals(e: f64) -> usize {
    if e >= 0.005 {
        0
    } else {
        1
    }
}

/// A share with its 95% Monte Carlo half-width: `62% ± 1%`, `95,8% ± 0,1%`.
/// Both use the decimals of [`pm_decimals`]; the half-width is rounded *up*
/// so it never shows as zero (a conservative bound: `± 0,1%` for 0,02
/// percentage points).
pub fn pct_pm(p: f64, e: f64, lang: Lang) -> String {
    if e == 0.0 {
        // No Monte Carlo error at all (a share of exactly 0 or 1).
        return pct(p, 0, lang);
    }
    let d = pm_decimals(e);
    format!("{} ± {}", pct(p, d, lang), pct(round_up(e, d + 2), d, lang))
}

/// `x` rounded up to `decimals` decimals (at least one unit of the last one).
fn round_up(x: f64, decimals: usize) -> f64 {
    let k = 10f64.powi(decimals as i32);
    ((x * k - 1e-9).ceil().max(1.0)) / k
}

/// An ISO date (`2019-07-01`) in words: `1 juli 2019`, `1 July 2019`.
/// Anything else is returned unchanged.
pub fn date(iso: &str, lang: Lang) -> String {
    const NL: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = iso.trim().split('-').collect();
    if let [y, m, d] = parts[..] {
        if let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<usize>(), d.parse::<u32>()) {
            if (1..=12).contains(&m) && (1..=31).contains(&d) {
                let month = match lang {
                    Lang::Nl => NL[m - 1],
                    Lang::En => EN[m - 1],
                };
                return format!("{d} {month} {y}");
            }
        }
    }
    iso.to_string()
}

/// Today's date (UTC) as ISO `YYYY-MM-DD`, or the date of
/// `SOURCE_DATE_EPOCH` when that is set (reproducible builds).
pub fn today_iso() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Escapes text for a Markdown table cell or line: `|` and `\`, `<`, `>`,
/// `&` (no raw HTML from data), and line breaks become spaces. Also keeps
/// leading `#`, `-`, `*` and `>`-style markup inert with a backslash.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '*' | '_' | '`' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            '\n' => out.push(' '),
            other => out.push(other),
        }
    }
    if out.starts_with('#') || out.starts_with('-') || out.starts_with('+') {
        out.insert(0, '\\');
    }
    out
}

/// Splits Markdown-ish text into paragraphs at blank lines, joining the
/// lines of each paragraph with a space. Used for `context` and `follow_up`
/// (rendered as escaped paragraphs, never as raw HTML).
pub fn paragraphs(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in s.lines() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(cur.join(" "));
                cur.clear();
            }
        } else {
            cur.push(line.trim());
        }
    }
    if !cur.is_empty() {
        out.push(cur.join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_per_language() {
        assert_eq!(num(50_122.0, 0, Lang::Nl), "50.122");
        assert_eq!(num(50_122.0, 0, Lang::En), "50,122");
        assert_eq!(num(0.08, 2, Lang::Nl), "0,08");
        assert_eq!(num(0.08, 2, Lang::En), "0.08");
        assert_eq!(num(1_234_567.891, 1, Lang::Nl), "1.234.567,9");
        assert_eq!(num(-1234.0, 0, Lang::En), "-1,234");
        assert_eq!(num(-0.001, 2, Lang::Nl), "0,00");
        assert_eq!(num(f64::NAN, 2, Lang::Nl), "–");
        assert_eq!(num(999.0, 0, Lang::Nl), "999");
    }

    #[test]
    fn money_per_language() {
        assert_eq!(eur(50_122.0, Lang::Nl), "€ 50.122");
        assert_eq!(eur(50_122.0, Lang::En), "€50,122");
        assert_eq!(eur(0.08, Lang::Nl), "€ 0,08");
        assert_eq!(eur(0.1, Lang::En), "€0.10");
        assert_eq!(eur(0.0, Lang::Nl), "€ 0");
        assert_eq!(eur(50_122.4, Lang::Nl), "€ 50.122");
    }

    #[test]
    fn percentages_and_half_widths() {
        assert_eq!(pct(0.62, 0, Lang::Nl), "62%");
        assert_eq!(pct(0.958, 1, Lang::Nl), "95,8%");
        assert_eq!(pct(0.958, 1, Lang::En), "95.8%");
        assert_eq!(pct_pm(0.62, 0.01, Lang::Nl), "62% ± 1%");
        assert_eq!(pct_pm(0.958, 0.0012, Lang::Nl), "95,8% ± 0,2%");
        // Never a zero half-width.
        assert_eq!(pct_pm(0.958, 0.0002, Lang::En), "95.8% ± 0.1%");
        assert_eq!(pct_pm(0.5, 0.0134, Lang::En), "50% ± 2%");
        assert_eq!(pct_pm(0.0, 0.0, Lang::Nl), "0%");
    }

    #[test]
    fn automatic_decimals() {
        assert_eq!(auto(0.08, Lang::Nl), "0,08");
        assert_eq!(auto(0.1, Lang::Nl), "0,1");
        assert_eq!(auto(12.0, Lang::Nl), "12");
        assert_eq!(auto(8.8, Lang::En), "8.8");
        assert_eq!(auto(626_525.0, Lang::Nl), "626.525");
        assert_eq!(auto(0.0, Lang::Nl), "0");
    }

    #[test]
    fn dates() {
        assert_eq!(date("2019-07-01", Lang::Nl), "1 juli 2019");
        assert_eq!(date("2019-07-01", Lang::En), "1 July 2019");
        assert_eq!(date("later", Lang::En), "later");
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(18_078), (2019, 7, 1));
    }

    #[test]
    fn markdown_escaping_keeps_tables_intact() {
        assert_eq!(md_escape("a|b\nc"), "a\\|b c");
        assert_eq!(md_escape("<script>"), "&lt;script&gt;");
        assert_eq!(md_escape("# kop"), "\\# kop");
        assert_eq!(md_escape("{{ 7*7 }}"), "{{ 7\\*7 }}");
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        assert_eq!(
            paragraphs("\na\nb\n\n\nc\n"),
            vec!["a b".to_string(), "c".to_string()]
        );
    }
}
