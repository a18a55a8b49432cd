//! Request parameters that pages and the API share: the date and period of figures, and the
//! member list's filters. Both read them the same way.

use chrono::{Datelike, NaiveDate};
use dangbo_domain::member::Sex;
use dangbo_store::access::{MemberQuery, Window};
use serde::Deserialize;

use crate::format::{self, query};

/// The date and period a page is about, as the query string gives them.
#[derive(Deserialize, Default, Clone)]
pub struct WindowQuery {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub as_of: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

impl WindowQuery {
    /// The window: as of the given date (today by default), for the period from 1 January of that
    /// year to that date unless given.
    pub fn window(&self) -> Window {
        let as_of = format::parse_date(&self.as_of).unwrap_or_else(format::today);
        let year_start = NaiveDate::from_ymd_opt(as_of.year(), 1, 1).unwrap_or(as_of);
        let from = format::parse_date(&self.from).unwrap_or(year_start);
        let to = format::parse_date(&self.to).unwrap_or(as_of);
        Window { as_of, from, to }
    }

    /// The query string that reproduces this window for another page.
    pub fn link(&self, window: &Window) -> String {
        query(&[
            ("unit", &self.unit),
            ("as_of", &window.as_of.to_string()),
            ("from", &window.from.to_string()),
            ("to", &window.to.to_string()),
        ])
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub min_age: String,
    #[serde(default)]
    pub max_age: String,
    #[serde(default)]
    pub theory: String,
    /// Keyset cursor: "sort key|code" of the previous page's last row.
    #[serde(default)]
    pub after: String,
    /// "rows" asks for the table rows only (search as you type).
    #[serde(default)]
    pub partial: String,
}

impl ListQuery {
    pub fn to_store(&self, limit: usize) -> MemberQuery {
        MemberQuery {
            unit: Some(self.unit.clone()).filter(|u| !u.trim().is_empty()),
            date: format::parse_date(&self.date),
            search: Some(self.q.clone()).filter(|s| !s.trim().is_empty()),
            status: Some(self.status.clone()).filter(|s| !s.is_empty()),
            sex: Sex::parse(&self.sex),
            ethnicity: Some(self.ethnicity.clone()).filter(|s| !s.trim().is_empty()),
            min_age: self.min_age.trim().parse().ok(),
            max_age: self.max_age.trim().parse().ok(),
            theory_level: Some(self.theory.clone()).filter(|s| !s.is_empty()),
            after: self
                .after
                .split_once('|')
                .map(|(k, c)| (k.to_string(), c.to_string())),
            limit,
        }
    }

    /// The filters as a query string (without the cursor).
    pub fn filters(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            ("unit", self.unit.clone()),
            ("date", self.date.clone()),
            ("status", self.status.clone()),
            ("sex", self.sex.clone()),
            ("ethnicity", self.ethnicity.clone()),
            ("min_age", self.min_age.clone()),
            ("max_age", self.max_age.clone()),
            ("theory", self.theory.clone()),
        ]
    }

    pub fn link(&self, path: &str, extra: &[(&'static str, String)]) -> String {
        let mut pairs = self.filters();
        pairs.extend(extra.iter().cloned());
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        format!("{path}{}", query(&borrowed))
    }
}
