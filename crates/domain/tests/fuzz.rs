//! A short, bounded fuzz of the date reader and of the text checks fields and codes go through: no
//! text makes them panic, every refusal says why, and what they accept reads back the same.
//!
//! Each property runs a fixed number of cases from a fixed seed, so the normal test run is short
//! and repeatable; `PROPTEST_CASES` and `PROPTEST_RNG_SEED` run it longer or elsewhere. Failures are
//! not written to files.

use chrono::{Datelike, NaiveDate};
use dangbo_domain::input::{TextKind, TextProblem, can_be_code, problems};
use dangbo_domain::text::{DATE_YEARS, DateProblem, clean, format_date, parse_date, read_date};
use proptest::prelude::*;
use proptest::string::string_regex;
use proptest::test_runner::{Config, RngSeed};

/// `cases` cases from a fixed seed, no failure files; the environment may ask for more or another
/// seed.
fn config(cases: u32) -> Config {
    let default = Config::default();
    Config {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            default.cases
        } else {
            cases
        },
        rng_seed: match default.rng_seed {
            RngSeed::Random => RngSeed::Fixed(0x0D06_B0F0),
            chosen => chosen,
        },
        failure_persistence: None,
        ..default
    }
}

const KINDS: [TextKind; 6] = [
    TextKind::Code,
    TextKind::Name,
    TextKind::Short,
    TextKind::Line,
    TextKind::Note,
    TextKind::Password,
];

/// The characters that change the direction of text: Unicode's Bidi_Control property.
const BIDI_CONTROLS: [char; 12] = [
    '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}',
    '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
];

/// Characters a field must not hold: controls (C0, DEL, C1) and direction changes.
fn refused_char() -> impl Strategy<Value = char> {
    prop_oneof![
        proptest::char::range('\0', '\u{1f}'),
        Just('\u{7f}'),
        proptest::char::range('\u{80}', '\u{9f}'),
        proptest::sample::select(BIDI_CONTROLS.to_vec()),
    ]
}

/// Text shaped like a date, in the forms `read_date` takes and near them.
fn date_like() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => written_date(),
        1 => string_regex("[0-9]{1,5}[-/.][0-9]{1,5}[-/.][0-9]{1,5}").unwrap(),
        1 => string_regex("[ \t]{0,2}[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}[ \t\n]{0,2}").unwrap(),
        1 => string_regex("[0-9]{4}-[0-9]{2}-[0-9]{2}").unwrap(),
        1 => string_regex("[0-9+\\-/.e ]{0,12}").unwrap(),
        1 => string_regex("[0-9]{1,3}([-/.][0-9]{0,4}){0,4}").unwrap(),
        1 => string_regex("[0-9٠-٩０-９¹²³]{1,2}/[0-9٠-٩０-９]{1,2}/[0-9٠-٩０-９]{4}").unwrap(),
    ]
}

/// Dates written with any separators, leading zeros and order, most of them days that exist.
fn written_date() -> impl Strategy<Value = String> {
    let separator = proptest::sample::select(vec!['/', '-', '.']);
    (
        (0u32..=32, 1usize..=4),
        (0u32..=13, 1usize..=4),
        1880u32..=2210,
        separator.clone(),
        separator,
        any::<bool>(),
    )
        .prop_map(|((day, dw), (month, mw), year, s1, s2, year_first)| {
            if year_first {
                format!("{year}{s1}{month:0mw$}{s2}{day:0dw$}")
            } else {
                format!("{day:0dw$}{s1}{month:0mw$}{s2}{year}")
            }
        })
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        date_like(),
        string_regex("\\PC{0,20}").unwrap(),
        string_regex("[A-Za-z0-9._\\-/?%: ]{0,48}").unwrap(),
    ]
}

/// A date of the years records hold.
fn record_date() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(*DATE_YEARS.start(), 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(*DATE_YEARS.end(), 12, 31).unwrap();
    (0..=(last - first).num_days()).prop_map(move |days| first + chrono::Duration::days(days))
}

/// The first character of a value that a field of `kind` refuses, with its position from 1.
fn first_refused(kind: TextKind, value: &str) -> Option<(char, usize)> {
    value
        .chars()
        .enumerate()
        .find(|&(_, c)| {
            BIDI_CONTROLS.contains(&c)
                || (c.is_control() && !(kind == TextKind::Note && matches!(c, '\t' | '\n' | '\r')))
        })
        .map(|(i, c)| (c, i + 1))
}

/// Whether a value is a code as the documentation of `TextKind::Code` says: ASCII letters and
/// digits, `.`, `-`, `_`, beginning with a letter or a digit, at most `max_chars` long. That a code
/// is given at all is for each record's own rules (`unit.code_empty`, required import columns):
/// the check is about characters and length, so "" passes it.
fn documented_code(value: &str) -> bool {
    value.chars().count() <= TextKind::Code.max_chars()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && value
            .chars()
            .next()
            .is_none_or(|c| c.is_ascii_alphanumeric())
}

/// Checks what `read_date` says of `input` against what it documents.
fn check_date(input: &str) -> Result<(), TestCaseError> {
    let read = read_date(input);
    prop_assert_eq!(parse_date(input), read.ok(), "parse_date is read_date");
    match read {
        Ok(date) => {
            prop_assert!(
                DATE_YEARS.contains(&date.year()),
                "{input:?} read as {date}"
            );
            // Written back in each form it takes, it reads as the same day.
            for form in ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%-d/%-m/%Y"] {
                let written = date.format(form).to_string();
                prop_assert_eq!(read_date(&written), Ok(date), "{:?} as {}", input, written);
            }
            prop_assert_eq!(read_date(&format_date(date)), Ok(date));
            // Only digits and the separators make a date.
            prop_assert!(
                input
                    .trim()
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '/' | '-' | '.')),
                "{input:?} read as {date}"
            );
        }
        Err(problem) => {
            for message in [problem.message(input), problem.message_en(input)] {
                prop_assert!(!message.trim().is_empty(), "{problem:?}: empty message");
                if problem != DateProblem::Empty {
                    prop_assert!(message.contains(input.trim()), "{message:?} for {input:?}");
                }
            }
            prop_assert_eq!(
                problem == DateProblem::Empty,
                input.trim().is_empty(),
                "{:?} for {:?}",
                problem,
                input
            );
        }
    }
    Ok(())
}

/// Checks what `kind.check` says of `value` against what it documents.
fn check_text(kind: TextKind, value: &str) -> Result<(), TestCaseError> {
    let result = kind.check(value);
    let length = value.chars().count();
    let expected_refusal = first_refused(kind, value);
    prop_assert_eq!(
        kind.check_characters(value).err(),
        expected_refusal.map(|(c, position)| if BIDI_CONTROLS.contains(&c) {
            TextProblem::Direction { c, position }
        } else {
            TextProblem::Control { c, position }
        }),
        "check_characters of {:?} as {:?}",
        value,
        kind
    );
    if length > kind.max_chars() {
        prop_assert_eq!(
            result,
            Err(TextProblem::TooLong {
                length,
                max: kind.max_chars()
            })
        );
    } else if let Some(problem) = kind.check_characters(value).err() {
        prop_assert_eq!(result, Err(problem));
    } else if kind == TextKind::Code {
        prop_assert_eq!(result.is_ok(), documented_code(value), "{:?}", result);
    } else {
        prop_assert_eq!(result, Ok(()));
    }
    if let Err(problem) = result {
        for message in [problem.message(), problem.message_en()] {
            prop_assert!(!message.trim().is_empty(), "{problem:?}: empty message");
            if let TextProblem::Control { c, position } | TextProblem::Direction { c, position } =
                problem
            {
                prop_assert!(
                    message.contains(&format!("U+{:04X}", u32::from(c))),
                    "{message}"
                );
                prop_assert!(message.contains(&position.to_string()), "{message}");
            }
        }
        prop_assert_eq!(problem.to_string(), problem.message());
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(4096))]

    #[test]
    fn any_text_reads_as_a_date_or_says_why(input in any_text()) {
        check_date(&input)?;
    }

    #[test]
    fn every_record_date_reads_back_from_each_form(date in record_date(), pad in "[ \t]{0,2}") {
        for form in ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%-d/%-m/%Y", "%-d-%-m-%Y"] {
            let written = format!("{pad}{}{pad}", date.format(form));
            prop_assert_eq!(read_date(&written), Ok(date), "{}", written);
        }
        prop_assert_eq!(parse_date(&format_date(date)), Some(date));
    }

    #[test]
    fn a_day_that_does_not_exist_is_impossible_and_a_year_outside_is_out_of_range(
        year in 1000i32..=9999,
        month in 0u32..=13,
        day in 0u32..=32,
    ) {
        let real = NaiveDate::from_ymd_opt(year, month, day);
        for written in [format!("{day:02}/{month:02}/{year}"), format!("{year}-{month:02}-{day:02}")] {
            let read = read_date(&written);
            if DATE_YEARS.contains(&year) {
                prop_assert_eq!(read, real.ok_or(DateProblem::Impossible), "{}", written);
            } else if real.is_some() {
                prop_assert_eq!(read, Err(DateProblem::OutOfRange), "{}", written);
            } else {
                // Both wrong: either reason is true.
                prop_assert!(
                    matches!(read, Err(DateProblem::OutOfRange | DateProblem::Impossible)),
                    "{written}: {read:?}"
                );
            }
        }
    }

    #[test]
    fn blank_text_is_an_empty_date(blank in "[ \t\r\n\u{a0}\u{3000}\u{2028}]{0,6}") {
        prop_assert_eq!(read_date(&blank), Err(DateProblem::Empty));
    }

    #[test]
    fn any_text_is_checked_as_each_kind_says(value in any_text()) {
        for kind in KINDS {
            check_text(kind, &value)?;
        }
        prop_assert_eq!(can_be_code(&value), TextKind::Code.check(&value).is_ok());
    }

    #[test]
    fn codes_of_the_safe_alphabet_are_codes(code in "[A-Za-z0-9][A-Za-z0-9._\\-]{0,39}") {
        prop_assert!(can_be_code(&code), "{code:?}");
        prop_assert_eq!(TextKind::Code.check(&code), Ok(()));
    }

    #[test]
    fn a_control_or_direction_character_is_refused_in_every_kind(
        before in "[A-Za-z0-9._\\-]{0,10}",
        refused in refused_char(),
        after in "[A-Za-z0-9._\\-]{0,10}",
    ) {
        let value = format!("{before}{refused}{after}");
        prop_assert!(!can_be_code(&value), "{value:?}");
        for kind in KINDS {
            let allowed = kind == TextKind::Note && matches!(refused, '\t' | '\n' | '\r');
            prop_assert_eq!(kind.check(&value).is_err(), !allowed, "{:?} {:?}", kind, value);
            check_text(kind, &value)?;
        }
    }

    #[test]
    fn problems_lists_each_refused_field_in_order(
        values in proptest::collection::vec(any_text(), 0..6),
    ) {
        const FIELDS: [&str; 6] = ["code", "name", "short", "line", "note", "password"];
        let fields: Vec<(&'static str, TextKind, &str)> = values
            .iter()
            .zip(FIELDS.iter().zip(KINDS))
            .map(|(value, (field, kind))| (*field, kind, value.as_str()))
            .collect();
        let expected: Vec<(String, String)> = fields
            .iter()
            .filter_map(|(field, kind, value)| {
                kind.check(value).err().map(|p| (field.to_string(), p.message()))
            })
            .collect();
        prop_assert_eq!(problems(fields.iter().copied()), expected);
    }

    #[test]
    fn cleaning_text_is_stable(value in any_text()) {
        let once = clean(&value);
        prop_assert_eq!(clean(&once), once.clone());
        prop_assert_eq!(once.trim(), once.as_str());
        prop_assert!(!once.contains("  "), "{once:?}");
    }
}

// Seeds.

#[test]
fn seed_dates_are_refused_for_their_reason() {
    for (input, problem) in [
        ("31/02/2026", DateProblem::Impossible),
        ("1e12", DateProblem::Form),
        ("-1e15", DateProblem::Form),
        ("../admin/users/xem/disable?", DateProblem::Form),
        ("A1\0", DateProblem::Form),
        ("A1\u{202E}", DateProblem::Form),
        ("", DateProblem::Empty),
        ("31/12/1889", DateProblem::OutOfRange),
        ("01/01/2201", DateProblem::OutOfRange),
        ("29/02/2100", DateProblem::Impossible),
        ("4294967296/01/2020", DateProblem::Form),
        ("01/01/99999", DateProblem::Form),
        ("٠١/٠١/٢٠٢٠", DateProblem::Form),
    ] {
        assert_eq!(read_date(input), Err(problem), "{input:?}");
        check_date(input).unwrap();
    }
    for (input, date) in [
        ("29/02/2024", (2024, 2, 29)),
        ("01/01/1890", (1890, 1, 1)),
        ("2200-12-31", (2200, 12, 31)),
        ("1.7.2025", (2025, 7, 1)),
    ] {
        let (y, m, d) = date;
        assert_eq!(
            read_date(input),
            Ok(NaiveDate::from_ymd_opt(y, m, d).unwrap())
        );
        check_date(input).unwrap();
    }
}

#[test]
fn seed_codes_are_refused_for_their_reason() {
    for (input, problem) in [
        (
            "../admin/users/xem/disable?",
            TextProblem::CodeCharacter { c: '/' },
        ),
        (
            "A1\0",
            TextProblem::Control {
                c: '\0',
                position: 3,
            },
        ),
        (
            "A1\u{202E}",
            TextProblem::Direction {
                c: '\u{202E}',
                position: 3,
            },
        ),
        ("31/02/2026", TextProblem::CodeCharacter { c: '/' }),
        ("-1e15", TextProblem::CodeStart),
        ("_x", TextProblem::CodeStart),
        ("Ａ1", TextProblem::CodeCharacter { c: 'Ａ' }),
    ] {
        assert_eq!(TextKind::Code.check(input), Err(problem), "{input:?}");
        assert!(!can_be_code(input), "{input:?}");
    }
    for input in [
        "../admin/users/xem/disable?",
        "A1\0",
        "A1\u{202E}",
        "31/02/2026",
        "1e12",
        "-1e15",
        "",
    ] {
        for kind in KINDS {
            check_text(kind, input).unwrap();
        }
    }
    // Letters and digits only: a code, though it reads like a number.
    assert!(can_be_code("1e12"));
    let long = "A".repeat(TextKind::Code.max_chars() + 1);
    assert_eq!(
        TextKind::Code.check(&long),
        Err(TextProblem::TooLong {
            length: 41,
            max: 40
        })
    );
}
