//! The figure model: every number Dangbo reports is a named figure, evaluated over a unit's subtree
//! on a date (stock) or over a period (flow). A figure is a count of records, a ratio of two
//! counts ("32/46 (69,57 %)"), or a value a person reported for things Dangbo does not record.
//! Each capability defines its own figures (`members::figures`, `tree::figures`, …); the store
//! registers them and evaluates them. `docs/figures.md` documents every key.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use crate::text::{format_date, format_int};

/// The date and period figures are evaluated for. The period is inclusive at both ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    /// The date of stock figures (members, units).
    pub as_of: NaiveDate,
    /// The first day of the period of flow figures (events).
    pub from: NaiveDate,
    /// The last day of the period.
    pub to: NaiveDate,
}

impl Window {
    /// The same date and period a year earlier. The last day of a month stays the last day of the
    /// month (28/2/2025 → 29/2/2024, 29/2/2024 → 28/2/2023), so a month or a quarter is compared
    /// whole.
    pub fn year_before(&self) -> Option<Window> {
        let back = |d: NaiveDate| {
            let earlier = d.checked_sub_months(Months::new(12))?;
            let month_end = |x: NaiveDate| x.succ_opt().is_some_and(|next| next.day() == 1);
            if month_end(d) {
                // The last day of the same month a year earlier.
                let first_of_next = earlier.with_day(1)?.checked_add_months(Months::new(1))?;
                first_of_next.pred_opt()
            } else {
                Some(earlier)
            }
        };
        Some(Window {
            as_of: back(self.as_of)?,
            from: back(self.from)?,
            to: back(self.to)?,
        })
    }

    /// "ngày 31/12/2021, từ 01/01/2021 đến 31/12/2021".
    pub fn describe(&self) -> String {
        format!(
            "ngày {}, từ {} đến {}",
            format_date(self.as_of),
            format_date(self.from),
            format_date(self.to)
        )
    }
}

/// Whether a figure is read on a date or over a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    Stock,
    Flow,
}

/// What kind of value a figure has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Kind {
    /// A count of records, each of which the drill-down lists.
    Count,
    /// One count over another, both evaluated for the same unit and window.
    Ratio {
        numerator: String,
        denominator: String,
    },
    /// A number entered by a person for a unit and period, with its source document.
    Reported {
        /// What the number counts ("hộ", "%").
        unit_label: String,
    },
}

/// A named figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Definition {
    pub key: String,
    pub label_vi: String,
    pub timing: Timing,
    pub kind: Kind,
}

impl Definition {
    pub fn count(key: &str, label_vi: &str, timing: Timing) -> Definition {
        Definition {
            key: key.to_string(),
            label_vi: label_vi.to_string(),
            timing,
            kind: Kind::Count,
        }
    }

    pub fn ratio(key: &str, label_vi: &str, numerator: &str, denominator: &str) -> Definition {
        Definition {
            key: key.to_string(),
            label_vi: label_vi.to_string(),
            // A ratio is read as its numerator is; the registry checks both parts agree.
            timing: Timing::Stock,
            kind: Kind::Ratio {
                numerator: numerator.to_string(),
                denominator: denominator.to_string(),
            },
        }
    }

    pub fn is_flow(&self) -> bool {
        self.timing == Timing::Flow
    }
}

/// A count over another count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Ratio {
    pub numerator: i64,
    pub denominator: i64,
}

impl Ratio {
    /// The percentage in hundredths (6957 for 69,57 %), rounded half-up; `None` when the
    /// denominator is 0 (a share of nothing is not 0 %).
    pub fn percent_hundredths(&self) -> Option<i64> {
        if self.denominator <= 0 {
            return None;
        }
        let scaled = i128::from(self.numerator) * 10_000;
        let denominator = i128::from(self.denominator);
        let rounded = (2 * scaled + denominator).div_euclid(2 * denominator);
        i64::try_from(rounded).ok()
    }

    /// The percentage as a number with two decimals (69.57), for JSON.
    pub fn percent(&self) -> Option<f64> {
        self.percent_hundredths().map(|h| h as f64 / 100.0)
    }

    /// "32/46 (69,57 %)"; "0/0 (—)" when there is nothing to share.
    pub fn display(&self) -> String {
        let percent = match self.percent_hundredths() {
            Some(h) => format!("{} %", format_hundredths(h)),
            None => "—".to_string(),
        };
        format!(
            "{}/{} ({percent})",
            format_int(self.numerator),
            format_int(self.denominator)
        )
    }
}

/// 6957 → "69,57"; 12900 → "129"; 10130 → "101,3" (Vietnamese decimal comma, no trailing zeros).
pub fn format_hundredths(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    let whole = format_int(i64::try_from(abs / 100).unwrap_or(i64::MAX));
    let cents = abs % 100;
    match (cents, cents % 10) {
        (0, _) => format!("{sign}{whole}"),
        (_, 0) => format!("{sign}{whole},{}", cents / 10),
        _ => format!("{sign}{whole},{cents:02}"),
    }
}

/// A reported value with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reported {
    pub value: f64,
    /// The document the number was taken from ("Báo cáo số 12-BC/UBND").
    pub source: String,
    /// The period the number is about.
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A figure's value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Count(i64),
    Ratio(Ratio),
    /// `None` when nothing was reported for the unit and period: shown as missing, never as 0.
    Reported(Option<Reported>),
}

impl Value {
    /// How the value reads in Vietnamese: "2.712", "32/46 (69,57 %)", "15 (theo …)", "chưa báo cáo".
    pub fn display(&self) -> String {
        match self {
            Value::Count(n) => format_int(*n),
            Value::Ratio(r) => r.display(),
            Value::Reported(Some(r)) => format_decimal(r.value),
            Value::Reported(None) => "chưa báo cáo".to_string(),
        }
    }

    /// The count, for values that are counts.
    pub fn as_count(&self) -> Option<i64> {
        match self {
            Value::Count(n) => Some(*n),
            _ => None,
        }
    }

    /// The value as JSON: a count is a plain number, a ratio an object with its parts and
    /// percentage, a reported value an object with its source (or null when missing).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Count(n) => serde_json::Value::from(*n),
            Value::Ratio(r) => serde_json::json!({
                "numerator": r.numerator,
                "denominator": r.denominator,
                "percent": r.percent(),
            }),
            Value::Reported(Some(r)) => serde_json::json!({
                "value": r.value,
                "source": r.source,
                "from": r.from.to_string(),
                "to": r.to.to_string(),
            }),
            Value::Reported(None) => serde_json::Value::Null,
        }
    }
}

/// A number with a decimal comma and thousands dots, up to two decimals ("1.234,5").
pub fn format_decimal(value: f64) -> String {
    let hundredths = (value * 100.0).round();
    if !hundredths.is_finite() || hundredths.abs() > 9.0e17 {
        return value.to_string();
    }
    format_hundredths(hundredths as i64)
}

/// How a value compares with a target, when one is set (targets come with work programmes).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    /// `>`, `>=`, `=`, `<=` or `<`.
    pub comparator: String,
    pub value: f64,
    /// The document that set it.
    pub document: String,
}

/// A figure's value for a unit and window, with the same figure a year earlier and its target
/// when asked for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureValue {
    pub key: String,
    pub value: Value,
    pub prior: Option<Value>,
    pub target: Option<Target>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn ratios_round_half_up_to_two_decimals() {
        let r = |n, d| Ratio {
            numerator: n,
            denominator: d,
        };
        assert_eq!(r(32, 46).display(), "32/46 (69,57 %)");
        assert_eq!(r(32, 46).percent(), Some(69.57));
        assert_eq!(r(103, 80).display(), "103/80 (128,75 %)");
        assert_eq!(r(1, 8).percent_hundredths(), Some(1250));
        // 1/3 = 33,333… → 33,33; 2/3 = 66,666… → 66,67; 1/200 = 0,5 % exactly.
        assert_eq!(r(1, 3).percent_hundredths(), Some(3333));
        assert_eq!(r(2, 3).percent_hundredths(), Some(6667));
        assert_eq!(r(1, 200).display(), "1/200 (0,5 %)");
        // Half a hundredth rounds up: 1/16 = 6,25 %; 1/1600 = 0,0625 % → 0,06; 1/800 = 0,125 % → 0,13.
        assert_eq!(r(1, 1600).percent_hundredths(), Some(6));
        assert_eq!(r(1, 800).percent_hundredths(), Some(13));
        assert_eq!(r(2712, 2712).display(), "2.712/2.712 (100 %)");
        assert_eq!(r(0, 0).display(), "0/0 (—)");
        assert_eq!(r(0, 0).percent(), None);
    }

    #[test]
    fn values_read_and_serialise_as_reports_need() {
        assert_eq!(Value::Count(2712).display(), "2.712");
        assert_eq!(Value::Count(2712).to_json(), serde_json::json!(2712));
        let ratio = Value::Ratio(Ratio {
            numerator: 32,
            denominator: 46,
        });
        assert_eq!(
            ratio.to_json(),
            serde_json::json!({"numerator": 32, "denominator": 46, "percent": 69.57})
        );
        assert_eq!(Value::Reported(None).display(), "chưa báo cáo");
        assert_eq!(Value::Reported(None).to_json(), serde_json::Value::Null);
        assert_eq!(format_decimal(1234.5), "1.234,5");
        assert_eq!(format_hundredths(10130), "101,3");
    }

    #[test]
    fn a_year_earlier_keeps_the_shape_of_the_window() {
        let w = Window {
            as_of: d(2024, 2, 29),
            from: d(2024, 1, 1),
            to: d(2024, 2, 29),
        };
        let prior = w.year_before().unwrap();
        assert_eq!(prior.as_of, d(2023, 2, 28));
        assert_eq!(prior.from, d(2023, 1, 1));
        // The end of February 2025 compares with the end of February 2024, the 29th.
        let feb = Window {
            as_of: d(2025, 2, 28),
            from: d(2025, 2, 1),
            to: d(2025, 2, 28),
        };
        assert_eq!(feb.year_before().unwrap().to, d(2024, 2, 29));
        let mid = Window {
            as_of: d(2025, 3, 15),
            from: d(2025, 1, 1),
            to: d(2025, 3, 15),
        };
        assert_eq!(mid.year_before().unwrap().as_of, d(2024, 3, 15));
    }
}
