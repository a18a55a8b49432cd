//! Dated rule editions. The party's rules change by document (the Charter's implementing rules of
//! 2016, 2021 and 2025; the rating schemes of 2008, 2014, 2018, 2023 and 2025; the dues rules of 2010
//! and 2026), and a record is judged by the edition in force on its own date: a 2012 admission by the
//! 2012 rules. Each capability keeps its rules as a list of [`Edition`]s; [`Editions::on`] picks one.

use chrono::NaiveDate;
use serde::Serialize;

use crate::text::format_date;

/// The rules of one document, in force from a date until the next edition replaces them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edition<T> {
    /// The document's number as the Party writes it ("24-QĐ/TW").
    pub document: &'static str,
    /// What the document is ("Quy định thi hành Điều lệ Đảng").
    pub title: &'static str,
    /// The day the document's rules took effect.
    pub in_force_from: NaiveDate,
    /// Where the rule was checked; empty when it could not be (see `verified`).
    pub source: &'static str,
    /// False for values that could not be confirmed from a public source (DOMAIN.md's UNVERIFIED):
    /// they are data to be corrected, never constants.
    pub verified: bool,
    pub rules: T,
}

impl<T> Edition<T> {
    /// "24-QĐ/TW (từ 30/07/2021)", for messages that name the rule they apply.
    pub fn citation(&self) -> String {
        format!(
            "{} (hiệu lực từ {})",
            self.document,
            format_date(self.in_force_from)
        )
    }
}

/// The editions of one set of rules, oldest first; each is in force until the next one starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Editions<T> {
    list: Vec<Edition<T>>,
}

/// A list of editions that cannot be used: empty or out of date order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EditionsError(pub String);

impl<T> Editions<T> {
    /// Editions in date order; refuses an empty list or two editions starting the same day or out
    /// of order, which would leave a date with two sets of rules.
    pub fn new(list: Vec<Edition<T>>) -> Result<Editions<T>, EditionsError> {
        if list.is_empty() {
            return Err(EditionsError("cần ít nhất một văn bản".into()));
        }
        for pair in list.windows(2) {
            if pair[1].in_force_from <= pair[0].in_force_from {
                return Err(EditionsError(format!(
                    "văn bản {} phải có hiệu lực sau văn bản {}",
                    pair[1].document, pair[0].document
                )));
            }
        }
        Ok(Editions { list })
    }

    /// The edition in force on `date`. Before the first edition the first one applies: records
    /// older than every known document are judged by the oldest rules known.
    pub fn on(&self, date: NaiveDate) -> &Edition<T> {
        self.list
            .iter()
            .rev()
            .find(|e| e.in_force_from <= date)
            .unwrap_or(&self.list[0])
    }

    /// The day the edition after `edition` starts (the end of `edition`, exclusive), if any.
    pub fn until(&self, edition: &Edition<T>) -> Option<NaiveDate> {
        self.list
            .iter()
            .map(|e| e.in_force_from)
            .find(|from| *from > edition.in_force_from)
    }

    pub fn all(&self) -> &[Edition<T>] {
        &self.list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn edition(document: &'static str, from: NaiveDate, rules: u32) -> Edition<u32> {
        Edition {
            document,
            title: "",
            in_force_from: from,
            source: "",
            verified: true,
            rules,
        }
    }

    #[test]
    fn a_record_is_judged_by_the_edition_of_its_date() {
        let editions = Editions::new(vec![
            edition("A", d(2011, 1, 1), 1),
            edition("B", d(2021, 7, 30), 2),
            edition("C", d(2025, 7, 1), 3),
        ])
        .unwrap();
        assert_eq!(editions.on(d(2012, 5, 1)).rules, 1);
        assert_eq!(editions.on(d(2021, 7, 29)).rules, 1);
        assert_eq!(editions.on(d(2021, 7, 30)).rules, 2);
        assert_eq!(editions.on(d(2025, 6, 30)).rules, 2);
        assert_eq!(editions.on(d(2025, 7, 1)).rules, 3);
        assert_eq!(editions.on(d(1990, 1, 1)).rules, 1);
        assert_eq!(
            editions.until(editions.on(d(2022, 1, 1))),
            Some(d(2025, 7, 1))
        );
        assert_eq!(editions.until(editions.on(d(2026, 1, 1))), None);
        assert!(editions.on(d(2022, 1, 1)).citation().contains("30/07/2021"));
    }

    #[test]
    fn overlapping_or_empty_editions_are_refused() {
        assert!(Editions::<u32>::new(vec![]).is_err());
        assert!(
            Editions::new(vec![
                edition("A", d(2021, 1, 1), 1),
                edition("B", d(2021, 1, 1), 2)
            ])
            .is_err()
        );
        assert!(
            Editions::new(vec![
                edition("A", d(2022, 1, 1), 1),
                edition("B", d(2021, 1, 1), 2)
            ])
            .is_err()
        );
    }
}
