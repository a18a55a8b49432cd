//! What may be typed or imported into a text field: codes from a safe alphabet, a longest length
//! per kind of field, and no control or direction-changing characters anywhere.
//!
//! Codes become parts of links and file names, so they are plain ASCII; names and other text are
//! Vietnamese and may hold any printable character. The limits are far above real values and well
//! under what a page, a spreadsheet cell (32 767 characters) or an index can hold.

use std::fmt;

/// The kind of a text field: which characters it takes and how long it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// Codes of members, units, users: ASCII letters and digits, `.`, `-`, `_`, beginning with a
    /// letter or a digit.
    Code,
    /// Names of people, units and API tokens.
    Name,
    /// Short values: decision numbers, phone, national ID, card number, ethnicity, chosen values.
    Short,
    /// One line of text: addresses, issuing bodies, occupations, search words.
    Line,
    /// Free text over several lines: notes.
    Note,
    /// Passwords: any printable characters.
    Password,
}

/// The most characters a spreadsheet cell holds (Excel's own limit).
pub const MAX_CELL_CHARS: usize = 32_767;

impl TextKind {
    /// The most characters a value of this kind may have.
    pub const fn max_chars(self) -> usize {
        match self {
            TextKind::Code => 40,
            TextKind::Name => 200,
            TextKind::Short => 100,
            TextKind::Line => 500,
            TextKind::Note => 4_000,
            TextKind::Password => 256,
        }
    }

    /// Whether a value of this kind is fit to keep; the reason when it is not.
    pub fn check(self, value: &str) -> Result<(), TextProblem> {
        let length = value.chars().count();
        if length > self.max_chars() {
            return Err(TextProblem::TooLong {
                length,
                max: self.max_chars(),
            });
        }
        self.check_characters(value)?;
        if self == TextKind::Code {
            check_code(value)?;
        }
        Ok(())
    }

    /// Whether every character of a value is one this kind takes, whatever its length.
    pub fn check_characters(self, value: &str) -> Result<(), TextProblem> {
        for (index, c) in value.chars().enumerate() {
            let position = index + 1;
            if is_direction_change(c) {
                return Err(TextProblem::Direction { c, position });
            }
            let allowed_control = self == TextKind::Note && matches!(c, '\t' | '\n' | '\r');
            if c.is_control() && !allowed_control {
                return Err(TextProblem::Control { c, position });
            }
        }
        Ok(())
    }
}

/// Characters that reorder how text is shown (so "gpj.exe" can read as "exe.jpg"), with no use in
/// Vietnamese.
fn is_direction_change(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Whether a value could be a code at all: a lookup of anything else finds nothing, without
/// asking the database (which would refuse a NUL byte with an error).
pub fn can_be_code(value: &str) -> bool {
    TextKind::Code.check(value).is_ok()
}

/// Whether a value could name a record already stored: codes made before the safe alphabet may
/// hold other characters and stay reachable, but no stored code holds a control or direction
/// character or is longer than a line. A lookup of anything else finds nothing without asking
/// the database (which would refuse a NUL byte with an error).
pub fn may_name_a_record(value: &str) -> bool {
    !value.is_empty() && TextKind::Line.check(value).is_ok()
}

fn check_code(code: &str) -> Result<(), TextProblem> {
    if let Some(c) = code
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
    {
        return Err(TextProblem::CodeCharacter { c });
    }
    if code
        .chars()
        .next()
        .is_some_and(|c| !c.is_ascii_alphanumeric())
    {
        return Err(TextProblem::CodeStart);
    }
    Ok(())
}

/// Why a value was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    TooLong {
        length: usize,
        max: usize,
    },
    /// A control character (NUL, escape, a line break where there is one line…) at a position
    /// counted from 1.
    Control {
        c: char,
        position: usize,
    },
    Direction {
        c: char,
        position: usize,
    },
    CodeCharacter {
        c: char,
    },
    CodeStart,
}

/// The safe alphabet of codes, as users read it.
pub const CODE_ALPHABET_VI: &str =
    "chữ cái không dấu (A–Z, a–z), chữ số (0–9) và các dấu . - _, bắt đầu bằng chữ cái hoặc chữ số";
pub const CODE_ALPHABET_EN: &str =
    "letters A–Z and a–z, digits 0–9 and . - _, beginning with a letter or a digit";

fn shown(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

impl TextProblem {
    /// What is wrong, in Vietnamese (the caller names the field and the value).
    pub fn message(&self) -> String {
        match *self {
            TextProblem::TooLong { length, max } => {
                format!("dài {length} ký tự, tối đa {max} ký tự")
            }
            TextProblem::Control { c, position } => format!(
                "có ký tự điều khiển {} ở vị trí {position}, không được phép",
                shown(c)
            ),
            TextProblem::Direction { c, position } => format!(
                "có ký tự đổi chiều văn bản {} ở vị trí {position}, không được phép",
                shown(c)
            ),
            TextProblem::CodeCharacter { c } => {
                let c = if c.is_control() || c.is_whitespace() {
                    shown(c)
                } else {
                    format!("«{c}»")
                };
                format!("mã có ký tự {c} không được phép; mã chỉ gồm {CODE_ALPHABET_VI}")
            }
            TextProblem::CodeStart => format!("mã phải gồm {CODE_ALPHABET_VI}"),
        }
    }

    /// What is wrong, in English.
    pub fn message_en(&self) -> String {
        match *self {
            TextProblem::TooLong { length, max } => {
                format!("{length} characters long, at most {max}")
            }
            TextProblem::Control { c, position } => {
                format!("control character {} at position {position}", shown(c))
            }
            TextProblem::Direction { c, position } => format!(
                "text-direction character {} at position {position}",
                shown(c)
            ),
            TextProblem::CodeCharacter { c } => format!(
                "a code may not hold {}; codes use {CODE_ALPHABET_EN}",
                shown(c)
            ),
            TextProblem::CodeStart => format!("codes use {CODE_ALPHABET_EN}"),
        }
    }
}

impl fmt::Display for TextProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// Checks several fields at once: the problems, as (field, Vietnamese message), in the given order,
/// in the form field errors carry them.
pub fn problems<'a>(
    fields: impl IntoIterator<Item = (&'static str, TextKind, &'a str)>,
) -> Vec<(String, String)> {
    fields
        .into_iter()
        .filter_map(|(field, kind, value)| {
            kind.check(value)
                .err()
                .map(|problem| (field.to_string(), problem.message()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_take_the_safe_alphabet_only() {
        for good in ["A1", "H060.CB-01", "xa_12", "7"] {
            assert_eq!(TextKind::Code.check(good), Ok(()), "{good}");
        }
        for (bad, c) in [
            ("../admin/users/xem/disable?", '/'),
            ("A 1", ' '),
            ("Ấp1", 'Ấ'),
            ("a%2F", '%'),
        ] {
            assert_eq!(
                TextKind::Code.check(bad),
                Err(TextProblem::CodeCharacter { c }),
                "{bad}"
            );
        }
        assert_eq!(TextKind::Code.check(".."), Err(TextProblem::CodeStart));
        assert_eq!(TextKind::Code.check("-x"), Err(TextProblem::CodeStart));
        let message = TextKind::Code.check("a/b").unwrap_err().message();
        assert!(
            message.contains("«/»") && message.contains("chữ số"),
            "{message}"
        );
    }

    #[test]
    fn control_and_direction_characters_are_refused() {
        assert_eq!(
            TextKind::Name.check("An\0"),
            Err(TextProblem::Control {
                c: '\0',
                position: 3
            })
        );
        assert!(TextKind::Line.check("a\nb").is_err());
        assert!(TextKind::Note.check("dòng 1\r\ndòng 2\tcột").is_ok());
        assert!(TextKind::Note.check("a\u{1b}[31m").is_err());
        let flipped = TextKind::Name.check("Nguyễn\u{202E}gpj.exe").unwrap_err();
        assert_eq!(
            flipped,
            TextProblem::Direction {
                c: '\u{202E}',
                position: 7
            }
        );
        assert!(flipped.message().contains("U+202E"));
        assert!(TextKind::Name.check("Nguyễn Thị Hòa").is_ok());
    }

    #[test]
    fn lengths_are_counted_in_characters() {
        let name = "ễ".repeat(200);
        assert!(
            TextKind::Name.check(&name).is_ok(),
            "200 characters, 600 bytes"
        );
        let longer = "ễ".repeat(201);
        assert_eq!(
            TextKind::Name.check(&longer),
            Err(TextProblem::TooLong {
                length: 201,
                max: 200
            })
        );
    }
}
