//! Dated member events and the history derived from them.
//!
//! Nothing about a member's status or unit is stored as a current value: it is derived here from the
//! member's dated events, and impossible histories are refused with a message that says why.

use chrono::{Duration, Months, NaiveDate};
use serde::Serialize;

use crate::text::format_date;
use crate::unit::UnitKind;

vocabulary!(
    /// What happened to a member on a date.
    EventKind {
        Admission => "admission", "Kết nạp";
        FullMembership => "full_membership", "Công nhận chính thức", ["chinh thuc", "cong nhan dang vien chinh thuc"];
        TransferIn => "transfer_in", "Chuyển đến", ["chuyen sinh hoat den"];
        TransferOut => "transfer_out", "Chuyển đi", ["chuyen sinh hoat di"];
        TemporaryTransferIn => "temporary_transfer_in", "Chuyển đến tạm thời";
        TemporaryTransferOut => "temporary_transfer_out", "Chuyển đi tạm thời";
        Exemption => "exemption", "Miễn công tác và sinh hoạt", ["mien sinh hoat"];
        Suspension => "suspension", "Đình chỉ sinh hoạt", ["dinh chi"];
        Removal => "removal", "Xóa tên";
        Expulsion => "expulsion", "Khai trừ";
        Resignation => "resignation", "Xin ra khỏi Đảng", ["xin ra"];
        Death => "death", "Từ trần", ["chet", "qua doi"];
        Readmission => "readmission", "Kết nạp lại";
        Restoration => "restoration", "Phục hồi đảng tịch", ["phuc hoi"];
    }
);

impl EventKind {
    /// Order of events that fall on the same day: arrivals first, departures last.
    fn same_day_rank(self) -> u8 {
        match self {
            EventKind::Admission | EventKind::Readmission | EventKind::Restoration => 0,
            EventKind::TransferIn => 1,
            EventKind::FullMembership => 2,
            EventKind::TemporaryTransferIn | EventKind::TemporaryTransferOut => 3,
            EventKind::Exemption | EventKind::Suspension => 4,
            EventKind::TransferOut => 5,
            EventKind::Removal | EventKind::Expulsion | EventKind::Resignation => 6,
            EventKind::Death => 7,
        }
    }
}

/// Why an event was recorded: by a person, or by a restructure of the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventCause {
    Recorded,
    Restructure,
}

/// Probationary (dự bị) or full (chính thức) membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipStatus {
    Probationary,
    Full,
}

impl MembershipStatus {
    pub fn code(self) -> &'static str {
        match self {
            MembershipStatus::Probationary => "probationary",
            MembershipStatus::Full => "full",
        }
    }
}

/// What history validation needs to know of a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitFacts {
    pub id: i64,
    pub code: String,
    pub kind: UnitKind,
    pub start_date: NaiveDate,
    /// The first day the unit no longer exists (exclusive end), if it has ended.
    pub end_date: Option<NaiveDate>,
}

impl UnitFacts {
    pub fn exists_on(&self, date: NaiveDate) -> bool {
        crate::unit::exists_between(self.start_date, self.end_date, date)
    }
}

/// The facts of one event that matter to the history. Units are `None` when outside this database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFacts {
    pub kind: EventKind,
    pub date: NaiveDate,
    pub ceremony_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub from_unit: Option<UnitFacts>,
    pub to_unit: Option<UnitFacts>,
}

/// A period during which a member was active in one unit with one status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub unit_id: i64,
    pub status: MembershipStatus,
    pub exempt: bool,
    pub suspended: bool,
    pub from: NaiveDate,
    /// Exclusive end; `None` while it lasts.
    pub to: Option<NaiveDate>,
}

/// Where a member stands after some events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// No admission recorded yet.
    NotYet,
    /// Active in a unit of this database.
    Active {
        unit: UnitFacts,
        status: MembershipStatus,
    },
    /// A member whose activity is outside this database (admitted elsewhere, or transferred out).
    Outside {
        status: MembershipStatus,
    },
    /// Membership ended by removal, expulsion or resignation.
    Left {
        kind: EventKind,
        date: NaiveDate,
        status: MembershipStatus,
        unit: Option<UnitFacts>,
    },
    Dead {
        date: NaiveDate,
    },
}

/// An event that cannot happen after the ones before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryError {
    /// Index of the offending event in the caller's slice.
    pub index: usize,
    /// What is wrong, in Vietnamese.
    pub message: String,
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

/// Months of probation before recognition as a full member.
pub const PROBATION_MONTHS: u32 = 12;

/// Party badge milestones, in years of seniority (DOMAIN.md §4).
pub const BADGE_YEARS: [u32; 12] = [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90];

fn unit_name(unit: &UnitFacts) -> &str {
    &unit.code
}

fn require_unit_for_members(unit: &UnitFacts, date: NaiveDate) -> Result<(), String> {
    if !unit.exists_on(date) {
        return Err(format!(
            "đơn vị {} không tồn tại vào ngày {} (hoạt động từ {}{})",
            unit_name(unit),
            format_date(date),
            format_date(unit.start_date),
            unit.end_date
                .map(|e| format!(" đến trước {}", format_date(e)))
                .unwrap_or_default()
        ));
    }
    if !unit.kind.holds_members() {
        return Err(format!(
            "đơn vị {} là {}, đảng viên chỉ sinh hoạt ở chi bộ (chi bộ cơ sở hoặc chi bộ trực thuộc)",
            unit_name(unit),
            unit.kind.label_vi()
        ));
    }
    Ok(())
}

struct Builder {
    spans: Vec<Span>,
    open: Option<Span>,
    exempt_until: Option<Option<NaiveDate>>,
    suspended_until: Option<Option<NaiveDate>>,
}

impl Builder {
    /// Closes the open span at `date` and opens a new one if the member is active.
    fn change(&mut self, date: NaiveDate, active: Option<(i64, MembershipStatus)>) {
        self.expire_flags(date);
        if let Some(mut span) = self.open.take()
            && span.from < date
        {
            span.to = Some(date);
            self.spans.push(span);
        }
        if let Some((unit_id, status)) = active {
            self.open = Some(Span {
                unit_id,
                status,
                exempt: self.exempt_until.is_some(),
                suspended: self.suspended_until.is_some(),
                from: date,
                to: None,
            });
        } else {
            self.exempt_until = None;
            self.suspended_until = None;
        }
    }

    /// Ends exemption or suspension whose end date falls before `date`, splitting the open span there.
    fn expire_flags(&mut self, date: NaiveDate) {
        loop {
            let next_end = [self.exempt_until, self.suspended_until]
                .into_iter()
                .flatten()
                .flatten()
                .filter(|end| *end <= date)
                .min();
            let Some(end) = next_end else { break };
            if self.exempt_until == Some(Some(end)) {
                self.exempt_until = None;
            }
            if self.suspended_until == Some(Some(end)) {
                self.suspended_until = None;
            }
            if let Some(mut span) = self.open.take() {
                let (unit_id, status) = (span.unit_id, span.status);
                if span.from < end {
                    span.to = Some(end);
                    self.spans.push(span);
                }
                self.open = Some(Span {
                    unit_id,
                    status,
                    exempt: self.exempt_until.is_some(),
                    suspended: self.suspended_until.is_some(),
                    from: end,
                    to: None,
                });
            }
        }
    }

    fn finish(mut self) -> Vec<Span> {
        let far = NaiveDate::MAX;
        self.expire_flags(far);
        if let Some(span) = self.open.take() {
            self.spans.push(span);
        }
        self.spans
    }
}

/// Derives a member's history from their events, refusing impossible sequences.
pub fn derive_history(events: &[EventFacts]) -> Result<History, HistoryError> {
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by_key(|&i| (events[i].date, events[i].kind.same_day_rank(), i));

    let mut state = State::NotYet;
    let mut builder = Builder {
        spans: Vec::new(),
        open: None,
        exempt_until: None,
        suspended_until: None,
    };
    let mut event_units = vec![None; events.len()];
    let mut seniority_start = None;
    let mut gaps = Vec::new();
    let mut probation_start: Option<NaiveDate> = None;

    for index in order {
        let event = &events[index];
        let fail = |message: String| HistoryError { index, message };
        let date = event.date;
        if let State::Dead { date: died } = state {
            return Err(fail(format!(
                "sự kiện ngày {} sau khi đảng viên từ trần ngày {}",
                format_date(date),
                format_date(died)
            )));
        }
        if let (Some(end), EventKind::Exemption | EventKind::Suspension) =
            (event.end_date, event.kind)
            && end <= date
        {
            return Err(fail(format!(
                "ngày kết thúc {} phải sau ngày bắt đầu {}",
                format_date(end),
                format_date(date)
            )));
        }
        let active_unit = match &state {
            State::Active { unit, .. } => Some(unit.clone()),
            _ => None,
        };
        let where_now = || match &active_unit {
            Some(u) => format!("đang sinh hoạt tại {}", unit_name(u)),
            None => "không sinh hoạt tại đơn vị nào trong hệ thống".to_string(),
        };
        match event.kind {
            EventKind::Admission => {
                if state != State::NotYet {
                    return Err(fail(
                        "đã có quyết định kết nạp trước đó; người đã ra khỏi Đảng dùng \"Kết nạp lại\""
                            .to_string(),
                    ));
                }
                if let Some(ceremony) = event.ceremony_date
                    && ceremony < date
                {
                    return Err(fail(format!(
                        "ngày lễ kết nạp {} trước ngày quyết định {}",
                        format_date(ceremony),
                        format_date(date)
                    )));
                }
                seniority_start = Some(date);
                probation_start = Some(event.ceremony_date.unwrap_or(date));
                state = match &event.to_unit {
                    Some(unit) => {
                        require_unit_for_members(unit, date).map_err(fail)?;
                        event_units[index] = Some(unit.id);
                        builder.change(date, Some((unit.id, MembershipStatus::Probationary)));
                        State::Active {
                            unit: unit.clone(),
                            status: MembershipStatus::Probationary,
                        }
                    }
                    None => State::Outside {
                        status: MembershipStatus::Probationary,
                    },
                };
            }
            EventKind::FullMembership => {
                let status = match &state {
                    State::Active { status, .. } | State::Outside { status } => *status,
                    _ => {
                        return Err(fail(format!(
                            "không thể công nhận chính thức: {}",
                            describe(&state)
                        )));
                    }
                };
                if status == MembershipStatus::Full {
                    return Err(fail("đảng viên đã là đảng viên chính thức".to_string()));
                }
                if let Some(start) = probation_start {
                    let earliest = start + Months::new(PROBATION_MONTHS);
                    if date < earliest {
                        return Err(fail(format!(
                            "ngày chính thức {} sớm hơn 12 tháng dự bị kể từ lễ kết nạp {} (sớm nhất {})",
                            format_date(date),
                            format_date(start),
                            format_date(earliest)
                        )));
                    }
                }
                state = match state {
                    State::Active { unit, .. } => {
                        event_units[index] = Some(unit.id);
                        builder.change(date, Some((unit.id, MembershipStatus::Full)));
                        State::Active {
                            unit,
                            status: MembershipStatus::Full,
                        }
                    }
                    _ => State::Outside {
                        status: MembershipStatus::Full,
                    },
                };
            }
            EventKind::TransferIn | EventKind::TransferOut => {
                let status = match (&event.from_unit, &state) {
                    (Some(from), State::Active { unit, status }) if unit.id == from.id => *status,
                    (Some(from), _) => {
                        return Err(fail(format!(
                            "chuyển đi khỏi {} nhưng đảng viên {}",
                            unit_name(from),
                            where_now()
                        )));
                    }
                    (None, State::Active { status, .. })
                        if event.kind == EventKind::TransferOut =>
                    {
                        *status
                    }
                    (None, State::Active { unit, .. }) => {
                        return Err(fail(format!(
                            "chuyển đến từ ngoài hệ thống nhưng đảng viên đang sinh hoạt tại {} (không thể ở hai đơn vị cùng lúc)",
                            unit_name(unit)
                        )));
                    }
                    (None, State::Outside { status }) => *status,
                    // A member first seen arriving from elsewhere: most arrive as full members.
                    (None, State::NotYet) if event.kind == EventKind::TransferIn => {
                        MembershipStatus::Full
                    }
                    (None, other) => {
                        return Err(fail(format!(
                            "không thể chuyển sinh hoạt: {}",
                            describe(other)
                        )));
                    }
                };
                if event.kind == EventKind::TransferIn && event.to_unit.is_none() {
                    return Err(fail("chuyển đến cần đơn vị đến".to_string()));
                }
                event_units[index] = event
                    .to_unit
                    .as_ref()
                    .or(event.from_unit.as_ref())
                    .or(active_unit.as_ref())
                    .map(|u| u.id);
                state = match &event.to_unit {
                    Some(to) => {
                        require_unit_for_members(to, date).map_err(fail)?;
                        builder.change(date, Some((to.id, status)));
                        State::Active {
                            unit: to.clone(),
                            status,
                        }
                    }
                    None => {
                        builder.change(date, None);
                        State::Outside { status }
                    }
                };
            }
            EventKind::TemporaryTransferOut => {
                let Some(unit) = &active_unit else {
                    return Err(fail(format!(
                        "không thể chuyển đi tạm thời: {}",
                        describe(&state)
                    )));
                };
                if let Some(from) = &event.from_unit
                    && from.id != unit.id
                {
                    return Err(fail(format!(
                        "chuyển đi tạm thời khỏi {} nhưng đảng viên {}",
                        unit_name(from),
                        where_now()
                    )));
                }
                event_units[index] = Some(unit.id);
            }
            EventKind::TemporaryTransferIn => {
                let Some(to) = &event.to_unit else {
                    return Err(fail("chuyển đến tạm thời cần đơn vị đến".to_string()));
                };
                require_unit_for_members(to, date).map_err(fail)?;
                event_units[index] = Some(to.id);
            }
            EventKind::Exemption | EventKind::Suspension => {
                let State::Active { unit, status } = &state else {
                    return Err(fail(format!(
                        "không thể {}: {}",
                        event.kind.label_vi().to_lowercase(),
                        describe(&state)
                    )));
                };
                event_units[index] = Some(unit.id);
                let (unit_id, status) = (unit.id, *status);
                builder.expire_flags(date);
                if event.kind == EventKind::Exemption {
                    builder.exempt_until = Some(event.end_date);
                } else {
                    builder.suspended_until = Some(event.end_date);
                }
                builder.change_flags(date, unit_id, status);
            }
            EventKind::Removal | EventKind::Expulsion | EventKind::Resignation => {
                let State::Active { unit, status } = &state else {
                    return Err(fail(format!(
                        "không thể {}: {}",
                        event.kind.label_vi().to_lowercase(),
                        describe(&state)
                    )));
                };
                event_units[index] = Some(unit.id);
                let next = State::Left {
                    kind: event.kind,
                    date,
                    status: *status,
                    unit: Some(unit.clone()),
                };
                builder.change(date, None);
                state = next;
            }
            EventKind::Death => {
                match &state {
                    State::Active { unit, .. } => event_units[index] = Some(unit.id),
                    State::Outside { .. } | State::Left { .. } => {}
                    _ => {
                        return Err(fail(format!("không thể ghi từ trần: {}", describe(&state))));
                    }
                }
                builder.change(date, None);
                state = State::Dead { date };
            }
            EventKind::Readmission => {
                let State::Left {
                    kind, date: left, ..
                } = &state
                else {
                    return Err(fail(format!(
                        "kết nạp lại chỉ áp dụng cho người đã ra khỏi Đảng: {}",
                        describe(&state)
                    )));
                };
                let _ = kind;
                let Some(to) = &event.to_unit else {
                    return Err(fail("kết nạp lại cần chi bộ kết nạp".to_string()));
                };
                require_unit_for_members(to, date).map_err(fail)?;
                gaps.push((*left, date));
                probation_start = Some(event.ceremony_date.unwrap_or(date));
                event_units[index] = Some(to.id);
                builder.change(date, Some((to.id, MembershipStatus::Probationary)));
                state = State::Active {
                    unit: to.clone(),
                    status: MembershipStatus::Probationary,
                };
            }
            EventKind::Restoration => {
                let State::Left {
                    kind: EventKind::Expulsion | EventKind::Removal,
                    status,
                    unit,
                    ..
                } = &state
                else {
                    return Err(fail(format!(
                        "phục hồi đảng tịch chỉ áp dụng cho người bị khai trừ hoặc xóa tên: {}",
                        describe(&state)
                    )));
                };
                let Some(to) = event.to_unit.as_ref().or(unit.as_ref()) else {
                    return Err(fail("phục hồi đảng tịch cần chi bộ sinh hoạt".to_string()));
                };
                require_unit_for_members(to, date).map_err(fail)?;
                // Restoration undoes a wrongful decision: the time outside still counts as seniority.
                event_units[index] = Some(to.id);
                let status = *status;
                builder.change(date, Some((to.id, status)));
                state = State::Active {
                    unit: to.clone(),
                    status,
                };
            }
        }
    }

    Ok(History {
        spans: builder.finish(),
        event_units,
        seniority_start,
        gaps,
        state,
    })
}

impl Builder {
    /// Re-opens the current span on `date` with the exemption and suspension flags now in force.
    fn change_flags(&mut self, date: NaiveDate, unit_id: i64, status: MembershipStatus) {
        let (exempt, suspended) = (self.exempt_until, self.suspended_until);
        self.change(date, Some((unit_id, status)));
        self.exempt_until = exempt;
        self.suspended_until = suspended;
        if let Some(span) = &mut self.open {
            span.exempt = exempt.is_some();
            span.suspended = suspended.is_some();
        }
    }
}

fn describe(state: &State) -> String {
    match state {
        State::NotYet => "chưa có quyết định kết nạp".to_string(),
        State::Active { unit, .. } => format!("đang sinh hoạt tại {}", unit_name(unit)),
        State::Outside { .. } => "đang sinh hoạt ngoài hệ thống".to_string(),
        State::Left { kind, date, .. } => {
            format!(
                "đã {} ngày {}",
                kind.label_vi().to_lowercase(),
                format_date(*date)
            )
        }
        State::Dead { date } => format!("đã từ trần ngày {}", format_date(*date)),
    }
}

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

/// The next party badge a living, active member will reach after `on`: (years, date).
pub fn next_badge(history: &History, on: NaiveDate) -> Option<(u32, NaiveDate)> {
    if !matches!(history.state, State::Active { .. } | State::Outside { .. }) {
        return None;
    }
    let start = history.seniority_start?;
    BADGE_YEARS.into_iter().find_map(|years| {
        milestone_date(start, &history.gaps, years)
            .filter(|d| *d > on)
            .map(|d| (years, d))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn branch(id: i64) -> UnitFacts {
        UnitFacts {
            id,
            code: format!("CB{id}"),
            kind: UnitKind::Branch,
            start_date: d(1970, 1, 1),
            end_date: None,
        }
    }

    fn ev(kind: EventKind, date: NaiveDate) -> EventFacts {
        EventFacts {
            kind,
            date,
            ceremony_date: None,
            end_date: None,
            from_unit: None,
            to_unit: None,
        }
    }

    fn admit(date: NaiveDate, unit: i64) -> EventFacts {
        EventFacts {
            to_unit: Some(branch(unit)),
            ..ev(EventKind::Admission, date)
        }
    }

    #[test]
    fn admission_then_full_membership_gives_two_spans() {
        let h = derive_history(&[
            admit(d(2015, 3, 2), 1),
            ev(EventKind::FullMembership, d(2016, 3, 2)),
        ])
        .unwrap();
        assert_eq!(h.spans.len(), 2);
        assert_eq!(h.spans[0].status, MembershipStatus::Probationary);
        assert_eq!(h.spans[0].to, Some(d(2016, 3, 2)));
        assert_eq!(h.spans[1].status, MembershipStatus::Full);
        assert_eq!(h.spans[1].to, None);
        assert_eq!(h.event_units, vec![Some(1), Some(1)]);
    }

    #[test]
    fn full_membership_before_probation_ends_is_refused() {
        let mut admission = admit(d(2015, 3, 2), 1);
        admission.ceremony_date = Some(d(2015, 4, 1));
        let err =
            derive_history(&[admission, ev(EventKind::FullMembership, d(2016, 3, 2))]).unwrap_err();
        assert_eq!(err.index, 1);
        assert!(err.message.contains("12 tháng"), "{}", err.message);
        assert!(err.message.contains("01/04/2016"), "{}", err.message);
    }

    #[test]
    fn events_after_death_are_refused() {
        let err = derive_history(&[
            admit(d(2000, 1, 10), 1),
            ev(EventKind::Death, d(2020, 5, 1)),
            ev(EventKind::FullMembership, d(2021, 1, 1)),
        ])
        .unwrap_err();
        assert_eq!(err.index, 2);
        assert!(err.message.contains("từ trần"));
    }

    #[test]
    fn two_units_at_once_and_transfer_from_wrong_unit_are_refused() {
        let arrive = EventFacts {
            to_unit: Some(branch(2)),
            ..ev(EventKind::TransferIn, d(2019, 1, 1))
        };
        let err = derive_history(&[admit(d(2010, 1, 1), 1), arrive]).unwrap_err();
        assert!(err.message.contains("hai đơn vị"), "{}", err.message);

        let wrong = EventFacts {
            from_unit: Some(branch(3)),
            to_unit: Some(branch(2)),
            ..ev(EventKind::TransferOut, d(2019, 1, 1))
        };
        let err = derive_history(&[admit(d(2010, 1, 1), 1), wrong]).unwrap_err();
        assert!(err.message.contains("CB3"), "{}", err.message);
        assert!(err.message.contains("CB1"), "{}", err.message);
    }

    #[test]
    fn transfer_moves_the_member_and_out_of_system_ends_spans() {
        let mv = EventFacts {
            from_unit: Some(branch(1)),
            to_unit: Some(branch(2)),
            ..ev(EventKind::TransferOut, d(2012, 6, 1))
        };
        let leave = ev(EventKind::TransferOut, d(2014, 6, 1));
        let h = derive_history(&[admit(d(2010, 1, 1), 1), mv, leave]).unwrap();
        let units: Vec<i64> = h.spans.iter().map(|s| s.unit_id).collect();
        assert_eq!(units, vec![1, 2]);
        assert_eq!(h.spans[1].to, Some(d(2014, 6, 1)));
        assert!(matches!(h.state, State::Outside { .. }));
    }

    #[test]
    fn unit_that_does_not_exist_or_is_not_a_branch_is_refused() {
        let mut late = branch(5);
        late.start_date = d(2025, 7, 1);
        let err = derive_history(&[EventFacts {
            to_unit: Some(late),
            ..ev(EventKind::Admission, d(2015, 1, 1))
        }])
        .unwrap_err();
        assert!(err.message.contains("không tồn tại"));
        let mut committee = branch(6);
        committee.kind = UnitKind::GrassrootsCommittee;
        let err = derive_history(&[EventFacts {
            to_unit: Some(committee),
            ..ev(EventKind::Admission, d(2015, 1, 1))
        }])
        .unwrap_err();
        assert!(err.message.contains("chỉ sinh hoạt ở chi bộ"));
    }

    #[test]
    fn exemption_with_end_splits_spans() {
        let exempt = EventFacts {
            end_date: Some(d(2021, 1, 1)),
            ..ev(EventKind::Exemption, d(2020, 1, 1))
        };
        let h = derive_history(&[admit(d(2010, 1, 1), 1), exempt]).unwrap();
        let flags: Vec<(bool, NaiveDate)> = h.spans.iter().map(|s| (s.exempt, s.from)).collect();
        assert_eq!(
            flags,
            vec![
                (false, d(2010, 1, 1)),
                (true, d(2020, 1, 1)),
                (false, d(2021, 1, 1))
            ]
        );
    }

    #[test]
    fn seniority_skips_time_outside_and_badges_follow() {
        let h = derive_history(&[
            admit(d(1990, 5, 19), 1),
            ev(EventKind::FullMembership, d(1991, 5, 19)),
            ev(EventKind::Removal, d(2000, 1, 1)),
            EventFacts {
                to_unit: Some(branch(1)),
                ..ev(EventKind::Readmission, d(2003, 1, 1))
            },
        ])
        .unwrap();
        // 3 years outside push the 30-year badge from 19/5/2020 back by 1,096 days.
        let (years, date) = next_badge(&h, d(2020, 1, 1)).unwrap();
        assert_eq!(years, 30);
        assert_eq!(date, d(2020, 5, 19) + Duration::days(1096));
        let days = seniority_days(&h, d(2010, 5, 19)).unwrap();
        assert_eq!(days, (d(2010, 5, 19) - d(1990, 5, 19)).num_days() - 1096);
        assert_eq!(seniority_years(&h, d(2020, 5, 19)), Some(27));
        assert_eq!(seniority_years(&h, d(2020, 5, 18)), Some(26));
    }

    #[test]
    fn restoration_keeps_seniority_and_status() {
        let h = derive_history(&[
            admit(d(1980, 1, 1), 1),
            ev(EventKind::FullMembership, d(1981, 1, 1)),
            ev(EventKind::Expulsion, d(2000, 1, 1)),
            ev(EventKind::Restoration, d(2002, 1, 1)),
        ])
        .unwrap();
        assert!(h.gaps.is_empty());
        assert_eq!(h.spans.last().unwrap().status, MembershipStatus::Full);
        assert_eq!(next_badge(&h, d(2005, 1, 1)), Some((30, d(2010, 1, 1))));
    }

    #[test]
    fn readmission_needs_someone_who_left() {
        let err = derive_history(&[
            admit(d(2000, 1, 1), 1),
            EventFacts {
                to_unit: Some(branch(1)),
                ..ev(EventKind::Readmission, d(2005, 1, 1))
            },
        ])
        .unwrap_err();
        assert!(err.message.contains("kết nạp lại"));
    }

    proptest::proptest! {
        /// Whatever sequence of events is offered, a derived history never has overlapping spans.
        #[test]
        fn spans_never_overlap(kinds in proptest::collection::vec(0usize..14, 1..12), gaps in proptest::collection::vec(1i64..900, 12)) {
            let mut date = d(2000, 1, 1);
            let mut events = Vec::new();
            for (k, gap) in kinds.iter().zip(gaps) {
                date += Duration::days(gap);
                let kind = EventKind::ALL[*k];
                events.push(EventFacts {
                    to_unit: Some(branch(1 + (gap % 3))),
                    ..ev(kind, date)
                });
            }
            if let Ok(h) = derive_history(&events) {
                for pair in h.spans.windows(2) {
                    let end = pair[0].to.expect("only the last span may be open");
                    proptest::prop_assert!(end <= pair[1].from);
                    proptest::prop_assert!(pair[0].from < end);
                }
            }
        }
    }
}
