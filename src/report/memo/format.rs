//! Numbers, money, percentages and dates for people, per language.
//!
//! Owns the memo's choices of how a number reads: Dutch uses a decimal
//! comma and a dot between thousands (`€ 50.122`, `0,08`, `62%`), English
//! the reverse (`€50,122`, `0.08`); how many decimals a share, a sum of
//! money or a plain figure gets; dates in words. The digits themselves come
//! from the report's one formatter, [`crate::report::text::number`]. The
//! templates reach these functions only through the minijinja filters
//! registered in [`super::environment`]; they never compute or format
//! numbers themselves. It decides nothing about what a number means.

use crate::report::text::{self, Separators};

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
    /// Its decimal and thousands separators.
    pub fn separators(self) -> Separators {
        match self {
            Lang::Nl => Separators::DUTCH,
            Lang::En => Separators::ENGLISH,
        }
    }
}

/// `x` with `decimals` decimals and the language's separators (`12.345,6`
/// in Dutch, `12,345.6` in English); see [`text::number`] for rounding, signs
/// and NaN.
pub fn num(x: f64, decimals: usize, lang: Lang) -> String {
    text::number(x, decimals, lang.separators())
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
    let dec = lang.separators().decimal;
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

/// An ISO date (`2019-07-01`) in words: `1 juli 2019`, `1 July 2019`; a
/// month (`2017-11`): `november 2017`.
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
    // A month only (a source dated `2017-11`): `november 2017`.
    if let [y, m] = parts[..] {
        if let (Ok(y), Ok(m)) = (y.parse::<i32>(), m.parse::<usize>()) {
            if (1..=12).contains(&m) && y > 0 {
                let month = match lang {
                    Lang::Nl => NL[m - 1],
                    Lang::En => EN[m - 1],
                };
                return format!("{month} {y}");
            }
        }
    }
    iso.to_string()
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
        assert_eq!(date("2017-11", Lang::Nl), "november 2017");
        assert_eq!(date("2017-11", Lang::En), "November 2017");
        assert_eq!(date("2017", Lang::En), "2017");
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        assert_eq!(
            paragraphs("\na\nb\n\n\nc\n"),
            vec!["a b".to_string(), "c".to_string()]
        );
    }
}
