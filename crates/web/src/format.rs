//! Vietnamese formats for templates.

use chrono::NaiveDate;
use dangbo_domain::text;

pub fn int(value: i64) -> String {
    text::format_int(value)
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

/// Percent-encodes a value for a query string or a path segment.
pub fn url(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte))
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
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
