//! A member's history derived from their dated events: spans of activity (unit, status, exemption,
//! suspension), the unit each event counts in, and where seniority starts. Impossible sequences are
//! refused with the rule they break, as a stable code and a Vietnamese and English message.
//!
//! The events are walked in date order; each kind of event is judged by its own rule:
//! [`joining`] (admission, full membership, readmission, restoration), [`transfers`],
//! [`standing`] (exemption, suspension) and [`leaving`] (removal, expulsion, resignation, death).

mod joining;
mod leaving;
mod spans;
mod standing;
mod transfers;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;

use crate::members::events::{EventFacts, EventKind, Span, State, UnitFacts};
use crate::text::format_date;

use spans::Builder;

/// An event that cannot happen after the ones before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryError {
    /// Index of the offending event in the caller's slice.
    pub index: usize,
    /// Which rule it breaks, stable for programs (`history.after_death`, …).
    pub code: &'static str,
    /// What is wrong, in Vietnamese.
    pub message: String,
    /// What is wrong, in English.
    pub message_en: String,
}

/// Everything derived from a member's events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    pub spans: Vec<Span>,
    /// For each event (in the caller's order): the unit in which it counts, if inside this database.
    pub event_units: Vec<Option<i64>>,
    /// Date of the first admission decision: where party seniority starts.
    pub seniority_start: Option<NaiveDate>,
    /// Periods outside the party (left, then readmitted), which seniority does not count.
    pub gaps: Vec<(NaiveDate, NaiveDate)>,
    pub state: State,
}

/// A refusal before it is tied to its event: (code, Vietnamese, English).
pub(super) type Refusal = (&'static str, String, String);

fn unit_name(unit: &UnitFacts) -> &str {
    &unit.code
}

/// A unit a member can be active in on `date`: one that exists then and is a branch.
fn require_unit_for_members(unit: &UnitFacts, date: NaiveDate) -> Result<(), Refusal> {
    if !unit.exists_on(date) {
        let until = unit
            .end_date
            .map(|e| format!(" đến trước {}", format_date(e)))
            .unwrap_or_default();
        return Err((
            "history.unit_not_existing",
            format!(
                "đơn vị {} không tồn tại vào ngày {} (hoạt động từ {}{until})",
                unit_name(unit),
                format_date(date),
                format_date(unit.start_date),
            ),
            format!(
                "unit {} does not exist on {date} (it exists from {})",
                unit_name(unit),
                unit.start_date
            ),
        ));
    }
    if !unit.kind.holds_members() {
        return Err((
            "history.not_a_branch",
            format!(
                "đơn vị {} là {}, đảng viên chỉ sinh hoạt ở chi bộ (chi bộ cơ sở hoặc chi bộ trực thuộc)",
                unit_name(unit),
                unit.kind.label_vi()
            ),
            format!(
                "unit {} is a {}; members belong to branches only",
                unit_name(unit),
                unit.kind.code()
            ),
        ));
    }
    Ok(())
}

/// Where a member stands, in words, for messages.
fn describe(state: &State) -> (String, String) {
    match state {
        State::NotYet => (
            "chưa có quyết định kết nạp".to_string(),
            "not admitted yet".to_string(),
        ),
        State::Active { unit, .. } => (
            format!("đang sinh hoạt tại {}", unit_name(unit)),
            format!("active in {}", unit_name(unit)),
        ),
        State::Outside { .. } => (
            "đang sinh hoạt ngoài hệ thống".to_string(),
            "active outside this database".to_string(),
        ),
        State::Left { kind, date, .. } => (
            format!(
                "đã {} ngày {}",
                kind.label_vi().to_lowercase(),
                format_date(*date)
            ),
            format!("left the party ({}) on {date}", kind.code()),
        ),
        State::Dead { date } => (
            format!("đã từ trần ngày {}", format_date(*date)),
            format!("died on {date}"),
        ),
    }
}

/// The walk through a member's events in date order.
struct Walk {
    state: State,
    spans: Builder,
    event_units: Vec<Option<i64>>,
    seniority_start: Option<NaiveDate>,
    gaps: Vec<(NaiveDate, NaiveDate)>,
    /// Where the current probation counts from (the admission ceremony, else the decision).
    probation_start: Option<NaiveDate>,
}

impl Walk {
    fn active_unit(&self) -> Option<&UnitFacts> {
        match &self.state {
            State::Active { unit, .. } => Some(unit),
            _ => None,
        }
    }

    /// Checks that apply to every event, then the event's own rule.
    fn apply(&mut self, index: usize, event: &EventFacts) -> Result<(), Refusal> {
        if let State::Dead { date: died } = self.state {
            return Err((
                "history.after_death",
                format!(
                    "sự kiện ngày {} sau khi đảng viên từ trần ngày {}",
                    format_date(event.date),
                    format_date(died)
                ),
                format!("event on {} after the member died on {died}", event.date),
            ));
        }
        match event.kind {
            EventKind::Admission => self.admission(index, event),
            EventKind::FullMembership => self.full_membership(index, event),
            EventKind::Readmission => self.readmission(index, event),
            EventKind::Restoration => self.restoration(index, event),
            EventKind::TransferIn | EventKind::TransferOut => self.transfer(index, event),
            EventKind::TemporaryTransferOut => self.temporary_transfer_out(index, event),
            EventKind::TemporaryTransferIn => self.temporary_transfer_in(index, event),
            EventKind::Exemption | EventKind::Suspension => self.standing(index, event),
            EventKind::Removal | EventKind::Expulsion | EventKind::Resignation => {
                self.leave(index, event)
            }
            EventKind::Death => self.death(index, event),
        }
    }
}

/// Derives a member's history from their events, refusing impossible sequences.
pub fn derive_history(events: &[EventFacts]) -> Result<History, HistoryError> {
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by_key(|&i| (events[i].date, events[i].kind.same_day_rank(), i));
    let mut walk = Walk {
        state: State::NotYet,
        spans: Builder::default(),
        event_units: vec![None; events.len()],
        seniority_start: None,
        gaps: Vec::new(),
        probation_start: None,
    };
    for index in order {
        walk.apply(index, &events[index])
            .map_err(|(code, message, message_en)| HistoryError {
                index,
                code,
                message,
                message_en,
            })?;
    }
    Ok(History {
        spans: walk.spans.finish(),
        event_units: walk.event_units,
        seniority_start: walk.seniority_start,
        gaps: walk.gaps,
        state: walk.state,
    })
}
