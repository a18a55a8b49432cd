//! Vietnamese formats for templates.

use chrono::NaiveDate;
use dangbo_domain::text;

pub fn int(value: i64) -> String {
    text::format_int(value)
}

/// A count with its share of a total: "1.022 (37,16 %)"; "0 (—)" when the total is 0.
pub fn share(count: i64, total: i64) -> String {
    let ratio = dangbo_domain::figures::Ratio {
        numerator: count,
        denominator: total,
    };
    match ratio.percent_hundredths() {
        Some(h) => format!(
            "{} ({} %)",
            int(count),
            dangbo_domain::figures::format_hundredths(h)
        ),
        None => format!("{} (—)", int(count)),
    }
}

pub fn date(value: NaiveDate) -> String {
    text::format_date(value)
}

pub fn opt_date(value: Option<NaiveDate>) -> String {
    value.map(text::format_date).unwrap_or_default()
}

/// Today, in the server's time zone (Vietnam's offices run on local time).
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Percent-encodes a value for a query string or a path segment: everything but the unreserved
/// characters of RFC 3986 (letters, digits, `-`, `_`, `.`, `~`).
pub fn url(value: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// A query string from pairs, skipping empty values.
pub fn query(pairs: &[(&str, &str)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", url(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// A `Content-Disposition` that saves a file under its own name: an ASCII fallback for old
/// clients and the UTF-8 name (RFC 6266) for the others ("Nghị quyết 03.pdf").
pub fn attachment_disposition(name: &str) -> String {
    let fallback: String = dangbo_domain::text::fold(name)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        url(name)
    )
}
