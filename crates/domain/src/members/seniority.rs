//! Party seniority (tuổi Đảng) and party badges (huy hiệu Đảng), from a member's history: seniority
//! runs from the first admission decision, less the time spent outside the party.

use chrono::{Duration, Months, NaiveDate};

use crate::members::events::State;
use crate::members::history::History;
use crate::members::rules::membership_rules;

/// Party seniority (tuổi Đảng) on a date, in whole days counted, or `None` before admission.
pub fn seniority_days(history: &History, on: NaiveDate) -> Option<i64> {
    let start = history.seniority_start?;
    if on < start {
        return None;
    }
    let mut days = (on - start).num_days();
    for (left, back) in &history.gaps {
        let until = (*back).min(on);
        if *left < until {
            days -= (until - *left).num_days();
        }
    }
    // Time after leaving without return does not count either.
    if let State::Left { date, .. } = history.state
        && date < on
    {
        days -= (on - date).num_days();
    }
    Some(days)
}

/// Completed years of party seniority on a date.
pub fn seniority_years(history: &History, on: NaiveDate) -> Option<u32> {
    let start = history.seniority_start?;
    if on < start {
        return None;
    }
    (0u32..=120)
        .take_while(|years| milestone_date(start, &history.gaps, *years).is_some_and(|d| d <= on))
        .last()
}

/// The date on which `years` of seniority are reached: the calendar anniversary, pushed back by the
/// days spent outside the party.
fn milestone_date(
    start: NaiveDate,
    gaps: &[(NaiveDate, NaiveDate)],
    years: u32,
) -> Option<NaiveDate> {
    let gap_days: i64 = gaps.iter().map(|(l, b)| (*b - *l).num_days()).sum();
    start
        .checked_add_months(Months::new(years * 12))
        .map(|d| d + Duration::days(gap_days))
}

/// The next party badge a living, active member will reach after `on`: (years, date). A milestone
/// counts only if the rules in force on its date award a badge for it (the 45-year badge exists
/// since 2016).
pub fn next_badge(history: &History, on: NaiveDate) -> Option<(u32, NaiveDate)> {
    if !matches!(history.state, State::Active { .. } | State::Outside { .. }) {
        return None;
    }
    let start = history.seniority_start?;
    let rules = membership_rules();
    (1u32..=120).find_map(|years| {
        let date = milestone_date(start, &history.gaps, years)?;
        (date > on && rules.on(date).rules.badge_years.contains(&years)).then_some((years, date))
    })
}
