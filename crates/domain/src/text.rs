//! Vietnamese text: NFC on input, tone-insensitive search keys, collation, number and date formats.

use std::cmp::Ordering;
use std::sync::OnceLock;

use chrono::NaiveDate;
use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Normalises user input: Unicode NFC, trimmed, inner runs of white space collapsed to one space.
pub fn clean(input: &str) -> String {
    let nfc: String = input.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A search key that ignores tone marks, other diacritics and case:
/// "Nguyễn Văn An" and "nguyen van an" give the same key; so do "Hoà" and "Hòa".
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn collator() -> &'static CollatorBorrowed<'static> {
    static COLLATOR: OnceLock<CollatorBorrowed<'static>> = OnceLock::new();
    COLLATOR.get_or_init(|| {
        let locale = icu_locale_core::locale!("vi");
        // The compiled data ships the `vi` tailoring; failing to load it is a build defect.
        Collator::try_new(locale.into(), CollatorOptions::default())
            .expect("ICU4X compiled data includes the Vietnamese collation")
    })
}

/// Compares two strings in Vietnamese alphabetical order (a ă â b c d đ e ê …).
pub fn compare_vi(left: &str, right: &str) -> Ordering {
    collator().compare(left, right)
}

/// Splits a Vietnamese full name into (given name, the rest): "Nguyễn Văn An" → ("An", "Nguyễn Văn").
pub fn split_given_name(full_name: &str) -> (&str, &str) {
    let trimmed = full_name.trim();
    match trimmed.rfind(' ') {
        Some(i) => (&trimmed[i + 1..], trimmed[..i].trim_end()),
        None => (trimmed, ""),
    }
}

/// Compares two people's names as Vietnamese lists do: by given name, then by the rest of the name.
pub fn compare_person_names(left: &str, right: &str) -> Ordering {
    let (lg, lr) = split_given_name(left);
    let (rg, rr) = split_given_name(right);
    compare_vi(lg, rg)
        .then_with(|| compare_vi(lr, rr))
        .then_with(|| left.cmp(right))
}

/// Formats an integer with `.` between thousands: 2712 → "2.712".
pub fn format_int(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Formats a share as a Vietnamese percentage with two decimals: 32/46 → "69,57%".
/// Returns `None` when the denominator is zero (no share to speak of).
pub fn format_percent(numerator: i64, denominator: i64) -> Option<String> {
    if denominator == 0 {
        return None;
    }
    // Work in hundredths of a percent with round-half-up, so 69.565 → 69,57 exactly.
    let scaled = (numerator as i128 * 20_000 / denominator as i128 + 1).div_euclid(2);
    let whole = scaled / 100;
    let frac = (scaled % 100).abs();
    Some(format!("{},{:02}%", format_int(whole as i64), frac))
}

/// Formats a date as `dd/mm/yyyy`.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Parses a date written `dd/mm/yyyy` (also `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy`) or `yyyy-mm-dd`.
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    let s = input.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d);
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    if parts.len() != 3 || parts[2].len() != 4 {
        return None;
    }
    let day: u32 = parts[0].parse().ok()?;
    let month: u32 = parts[1].parse().ok()?;
    let year: i32 = parts[2].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_ignores_tone_marks_case_and_d_bar() {
        assert_eq!(fold("Nguyễn Văn An"), "nguyen van an");
        assert_eq!(fold("nguyen van an"), fold("NGUYỄN  VĂN AN"));
        assert_eq!(fold("Hoà"), fold("Hòa"));
        assert_eq!(fold("Đặng Thị Đào"), "dang thi dao");
    }

    #[test]
    fn clean_makes_nfc_and_collapses_spaces() {
        let decomposed = "Nguye\u{302}\u{303}n  Va\u{306}n An ";
        assert_eq!(clean(decomposed), "Nguyễn Văn An");
    }

    #[test]
    fn vietnamese_alphabet_order() {
        let mut names = vec!["Đặng", "Dương", "Bình", "Ân", "Ăn", "An"];
        names.sort_by(|a, b| compare_vi(a, b));
        assert_eq!(names, vec!["An", "Ăn", "Ân", "Bình", "Dương", "Đặng"]);
    }

    #[test]
    fn people_sorted_by_given_name_then_family_name() {
        let mut names = vec!["Trần Văn Bình", "Nguyễn Văn An", "Lê Thị Ánh", "Đào Văn An"];
        names.sort_by(|a, b| compare_person_names(a, b));
        assert_eq!(
            names,
            vec!["Đào Văn An", "Nguyễn Văn An", "Lê Thị Ánh", "Trần Văn Bình"]
        );
    }

    #[test]
    fn number_and_percent_formats() {
        assert_eq!(format_int(2712), "2.712");
        assert_eq!(format_int(5_700_000), "5.700.000");
        assert_eq!(format_int(0), "0");
        assert_eq!(format_int(-1234), "-1.234");
        assert_eq!(format_percent(32, 46).as_deref(), Some("69,57%"));
        assert_eq!(format_percent(103, 80).as_deref(), Some("128,75%"));
        assert_eq!(format_percent(1, 1).as_deref(), Some("100,00%"));
        assert_eq!(format_percent(1, 0), None);
    }

    #[test]
    fn dates_both_ways() {
        let d = NaiveDate::from_ymd_opt(2021, 12, 31).unwrap();
        assert_eq!(format_date(d), "31/12/2021");
        assert_eq!(parse_date("31/12/2021"), Some(d));
        assert_eq!(parse_date("2021-12-31"), Some(d));
        assert_eq!(parse_date("1/7/2025"), NaiveDate::from_ymd_opt(2025, 7, 1));
        assert_eq!(parse_date("31/02/2021"), None);
        assert_eq!(parse_date("12/2021"), None);
        assert_eq!(parse_date("hôm qua"), None);
    }

    proptest::proptest! {
        #[test]
        fn fold_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            proptest::prop_assert_eq!(fold(&once), once.clone());
        }

        #[test]
        fn formatted_dates_parse_back(days in 0i64..60_000) {
            let d = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
            proptest::prop_assert_eq!(parse_date(&format_date(d)), Some(d));
        }
    }
}
