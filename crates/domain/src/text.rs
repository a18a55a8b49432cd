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

/// The Vietnamese alphabet in order; letters outside it sort after it, by code point.
const ALPHABET: [char; 33] = [
    'a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'ô', 'ơ', 'p', 'q', 'r', 's', 't', 'u', 'ư', 'v', 'w', 'x', 'y', 'z',
];

/// Tone marks in Vietnamese order after the level tone: huyền, hỏi, ngã, sắc, nặng.
const TONES: [char; 5] = ['\u{300}', '\u{309}', '\u{303}', '\u{301}', '\u{323}'];

/// Appends the primary (letters) and secondary (tones) weights of `part` as ASCII, so that byte
/// order of keys follows Vietnamese alphabetical order.
fn push_weights(part: &str, primary: &mut String, secondary: &mut String) {
    for c in part.nfd() {
        if let Some(tone) = TONES.iter().position(|&t| t == c) {
            secondary.pop();
            secondary.push(char::from(b'1' + tone as u8));
            continue;
        }
        if is_combining_mark(c) {
            // Breve, circumflex and horn make distinct letters: fold them into the letter before.
            let base = primary.chars().last().and_then(|last| {
                let index = (last as usize).checked_sub(usize::from(b'0'))?;
                ALPHABET.get(index).copied()
            });
            if let Some(base) = base {
                primary.pop();
                let composed: String = [base, c].iter().collect::<String>().nfc().collect();
                push_letter(composed.chars().next().unwrap_or(base), primary);
            }
            continue;
        }
        if c.is_whitespace() {
            primary.push('!');
            secondary.push('!');
            continue;
        }
        push_letter(c, primary);
        secondary.push('0');
    }
}

fn push_letter(c: char, primary: &mut String) {
    let lower = c.to_lowercase().next().unwrap_or(c);
    match ALPHABET.iter().position(|&l| l == lower) {
        Some(i) => primary.push(char::from(b'0' + i as u8)),
        None => primary.push('~'),
    }
}

/// A sort key for a person's name whose byte order is the order of Vietnamese lists (given name,
/// then the rest; letters before tones), so a database can page through names in that order.
pub fn person_sort_key(full_name: &str) -> String {
    let (given, rest) = split_given_name(full_name);
    let (mut primary, mut secondary) = (String::new(), String::new());
    push_weights(given, &mut primary, &mut secondary);
    primary.push(' ');
    secondary.push(' ');
    push_weights(rest, &mut primary, &mut secondary);
    primary.push(' ');
    primary.push_str(&secondary);
    primary
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

/// Formats a date as `dd/mm/yyyy`.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Why text is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Nothing was written.
    Empty,
    /// Not written as a date (`dd/mm/yyyy` or `yyyy-mm-dd`).
    Form,
    /// Written as a date that does not exist (31/02/2026).
    Impossible,
    /// A year outside what records can hold (before 1890 or after 2200).
    OutOfRange,
}

/// The years a record's date may fall in.
pub const DATE_YEARS: std::ops::RangeInclusive<i32> = 1890..=2200;

impl DateProblem {
    /// What is wrong with `input`, in Vietnamese.
    pub fn message(self, input: &str) -> String {
        let input = input.trim();
        match self {
            DateProblem::Empty => "cần ngày dạng dd/mm/yyyy".to_string(),
            DateProblem::Form => format!("«{input}» không phải là ngày; cần dạng dd/mm/yyyy"),
            DateProblem::Impossible => format!("{input} không phải là ngày có thật"),
            DateProblem::OutOfRange => format!(
                "{input}: năm phải từ {} đến {}",
                DATE_YEARS.start(),
                DATE_YEARS.end()
            ),
        }
    }

    /// What is wrong with `input`, in English.
    pub fn message_en(self, input: &str) -> String {
        let input = input.trim();
        match self {
            DateProblem::Empty => "a date is needed, as dd/mm/yyyy".to_string(),
            DateProblem::Form => format!("\"{input}\" is not a date; write dd/mm/yyyy"),
            DateProblem::Impossible => format!("{input} is not a real date"),
            DateProblem::OutOfRange => format!(
                "{input}: the year must be from {} to {}",
                DATE_YEARS.start(),
                DATE_YEARS.end()
            ),
        }
    }
}

/// Reads a date written `dd/mm/yyyy` (also `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy`) or
/// `yyyy-mm-dd`, saying why when it cannot.
pub fn read_date(input: &str) -> Result<NaiveDate, DateProblem> {
    let s = input.trim();
    if s.is_empty() {
        return Err(DateProblem::Empty);
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    let numbers: Option<Vec<u32>> = parts
        .iter()
        .map(|p| {
            (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect();
    let (year, month, day) = match (numbers.as_deref(), parts.as_slice()) {
        (Some([y, m, d]), [first, _, _]) if first.len() == 4 && s.contains('-') => (*y, *m, *d),
        (Some([d, m, y]), [_, _, last]) if last.len() == 4 => (*y, *m, *d),
        _ => return Err(DateProblem::Form),
    };
    let year = i32::try_from(year).map_err(|_| DateProblem::Form)?;
    if !DATE_YEARS.contains(&year) {
        return Err(DateProblem::OutOfRange);
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateProblem::Impossible)
}

/// Parses a date as [`read_date`] does, without saying why it failed.
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    read_date(input).ok()
}

/// Reads a number written the Vietnamese way: a comma before the decimals and dots between
/// thousands (`1.250`, `85,5`, `-2,75`), a trailing `%` allowed. A dot followed by anything but
/// groups of three digits, or after a lone 0, is read as a decimal point (`85.5`, `0.125`), as
/// spreadsheets written in English have it. `None` when the text is not a number.
pub fn read_number(input: &str) -> Option<f64> {
    let s: String = input
        .trim()
        .trim_end_matches('%')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    let (whole, decimals) = match digits.split_once(',') {
        Some((whole, decimals)) => (whole, Some(decimals)),
        None => match digits.split_once('.') {
            // "85.5", and "0.125" (no thousands group starts with 0): a decimal point.
            Some((head, tail))
                if !tail.contains('.') && (tail.len() != 3 || head.starts_with('0')) =>
            {
                (head, Some(tail))
            }
            _ => (digits, None),
        },
    };
    let groups: Vec<&str> = whole.split('.').collect();
    let grouped_well = groups.len() == 1
        || (!groups[0].is_empty()
            && !groups[0].starts_with('0')
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !grouped_well || !groups.iter().all(|g| all_digits(g)) {
        return None;
    }
    if decimals.is_some_and(|d| !all_digits(d)) {
        return None;
    }
    let text = format!(
        "{}{}{}",
        if negative { "-" } else { "" },
        groups.concat(),
        decimals.map(|d| format!(".{d}")).unwrap_or_default()
    );
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_the_vietnamese_way() {
        assert_eq!(read_number("1.250"), Some(1250.0));
        assert_eq!(read_number("2.712.000"), Some(2_712_000.0));
        assert_eq!(read_number("85,5"), Some(85.5));
        assert_eq!(read_number(" 101,3 % "), Some(101.3));
        assert_eq!(read_number("85.5"), Some(85.5));
        assert_eq!(read_number("-2,75"), Some(-2.75));
        assert_eq!(read_number("260"), Some(260.0));
        assert_eq!(read_number("0.125"), Some(0.125));
        assert_eq!(read_number("1.125"), Some(1125.0));
        for bad in [
            "", "abc", "1,2,3", "12.34.5", ".5", "1..2", "1,", "--1", "1.2a",
        ] {
            assert_eq!(read_number(bad), None, "{bad}");
        }
    }

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
    fn sort_keys_follow_vietnamese_list_order() {
        let mut names = vec![
            "Trần Văn Bình",
            "Nguyễn Văn Ân",
            "Lê Thị Ánh",
            "Đào Văn An",
            "Nguyễn Văn An",
            "Hoàng Ăn",
            "Phạm Đức",
            "Vũ Thị Dung",
            "Lò Văn Ơn",
            "Hà Văn On",
            "Ma Thị Ôn",
        ];
        names.sort_by_key(|n| person_sort_key(n));
        let mut by_collator = names.clone();
        by_collator.sort_by(|a, b| compare_person_names(a, b));
        assert_eq!(names, by_collator);
        assert!(person_sort_key("Nguyễn Văn An") < person_sort_key("Nguyễn Văn Án"));
        assert!(person_sort_key("Vũ Thị Dung") < person_sort_key("Phạm Đức"));
    }

    #[test]
    fn number_and_percent_formats() {
        assert_eq!(format_int(2712), "2.712");
        assert_eq!(format_int(5_700_000), "5.700.000");
        assert_eq!(format_int(0), "0");
        assert_eq!(format_int(-1234), "-1.234");
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

    #[test]
    fn a_date_that_cannot_be_read_says_why() {
        assert_eq!(read_date(""), Err(DateProblem::Empty));
        assert_eq!(read_date("31/02/2026"), Err(DateProblem::Impossible));
        assert_eq!(read_date("2026-02-30"), Err(DateProblem::Impossible));
        assert_eq!(read_date("12/2021"), Err(DateProblem::Form));
        assert_eq!(read_date("1e12"), Err(DateProblem::Form));
        assert_eq!(read_date("01/01/0001"), Err(DateProblem::OutOfRange));
        assert_eq!(read_date("2021/12/31"), Err(DateProblem::Form));
        assert_eq!(
            DateProblem::Impossible.message("31/02/2026"),
            "31/02/2026 không phải là ngày có thật"
        );
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
