//! Coming into the party: admission, recognition as a full member after probation, readmission of
//! someone who left, and restoration after a wrongful removal or expulsion.

use chrono::Months;

use super::{Refusal, Walk, describe, require_unit_for_members};
use crate::members::events::{EventFacts, EventKind, MembershipStatus, State};
use crate::members::rules::membership_rules;
use crate::text::format_date;

impl Walk {
    pub(super) fn admission(&mut self, index: usize, event: &EventFacts) -> Result<(), Refusal> {
        let date = event.date;
        if self.state != State::NotYet {
            return Err((
                "history.already_admitted",
                "đã có quyết định kết nạp trước đó; người đã ra khỏi Đảng dùng \"Kết nạp lại\""
                    .to_string(),
                "already admitted; someone who left the party is readmitted instead".to_string(),
            ));
        }
        if let Some(ceremony) = event.ceremony_date
            && ceremony < date
        {
            return Err((
                "history.ceremony_before_decision",
                format!(
                    "ngày lễ kết nạp {} trước ngày quyết định {}",
                    format_date(ceremony),
                    format_date(date)
                ),
                format!("the ceremony ({ceremony}) is before the decision ({date})"),
            ));
        }
        self.seniority_start = Some(date);
        self.probation_start = Some(event.ceremony_date.unwrap_or(date));
        self.state = match &event.to_unit {
            Some(unit) => {
                require_unit_for_members(unit, date)?;
                self.event_units[index] = Some(unit.id);
                self.spans
                    .change(date, Some((unit.id, MembershipStatus::Probationary)));
                State::Active {
                    unit: unit.clone(),
                    status: MembershipStatus::Probationary,
                }
            }
            None => State::Outside {
                status: MembershipStatus::Probationary,
            },
        };
        Ok(())
    }

    pub(super) fn full_membership(
        &mut self,
        index: usize,
        event: &EventFacts,
    ) -> Result<(), Refusal> {
        let date = event.date;
        let status = match &self.state {
            State::Active { status, .. } | State::Outside { status } => *status,
            other => {
                let (vi, en) = describe(other);
                return Err((
                    "history.cannot_become_full",
                    format!("không thể công nhận chính thức: {vi}"),
                    format!("cannot be recognised as a full member: {en}"),
                ));
            }
        };
        if status == MembershipStatus::Full {
            return Err((
                "history.already_full",
                "đảng viên đã là đảng viên chính thức".to_string(),
                "already a full member".to_string(),
            ));
        }
        if let Some(start) = self.probation_start {
            // Probation is counted by the rules in force when it began.
            let rules = membership_rules();
            let edition = rules.on(start);
            let months = edition.rules.probation_months;
            let earliest = start + Months::new(months);
            if date < earliest {
                return Err((
                    "history.probation_not_over",
                    format!(
                        "ngày chính thức {} sớm hơn {months} tháng dự bị kể từ lễ kết nạp {} (sớm nhất {}; {})",
                        format_date(date),
                        format_date(start),
                        format_date(earliest),
                        edition.citation()
                    ),
                    format!(
                        "full membership on {date} is before the {months} months of probation from {start} end (earliest {earliest}; {})",
                        edition.document
                    ),
                ));
            }
        }
        self.state = match std::mem::replace(&mut self.state, State::NotYet) {
            State::Active { unit, .. } => {
                self.event_units[index] = Some(unit.id);
                self.spans
                    .change(date, Some((unit.id, MembershipStatus::Full)));
                State::Active {
                    unit,
                    status: MembershipStatus::Full,
                }
            }
            _ => State::Outside {
                status: MembershipStatus::Full,
            },
        };
        Ok(())
    }

    pub(super) fn readmission(&mut self, index: usize, event: &EventFacts) -> Result<(), Refusal> {
        let date = event.date;
        let State::Left { date: left, .. } = &self.state else {
            let (vi, en) = describe(&self.state);
            return Err((
                "history.readmission_needs_left",
                format!("kết nạp lại chỉ áp dụng cho người đã ra khỏi Đảng: {vi}"),
                format!("readmission is for someone who left the party: {en}"),
            ));
        };
        let left = *left;
        let Some(to) = &event.to_unit else {
            return Err((
                "history.readmission_needs_branch",
                "kết nạp lại cần chi bộ kết nạp".to_string(),
                "readmission needs the admitting branch".to_string(),
            ));
        };
        require_unit_for_members(to, date)?;
        self.gaps.push((left, date));
        self.probation_start = Some(event.ceremony_date.unwrap_or(date));
        self.event_units[index] = Some(to.id);
        self.spans
            .change(date, Some((to.id, MembershipStatus::Probationary)));
        self.state = State::Active {
            unit: to.clone(),
            status: MembershipStatus::Probationary,
        };
        Ok(())
    }

    pub(super) fn restoration(&mut self, index: usize, event: &EventFacts) -> Result<(), Refusal> {
        let date = event.date;
        let State::Left {
            kind: EventKind::Expulsion | EventKind::Removal,
            status,
            unit,
            ..
        } = &self.state
        else {
            let (vi, en) = describe(&self.state);
            return Err((
                "history.restoration_needs_removed",
                format!("phục hồi đảng tịch chỉ áp dụng cho người bị khai trừ hoặc xóa tên: {vi}"),
                format!("restoration is for someone expelled or removed: {en}"),
            ));
        };
        let status = *status;
        let Some(to) = event.to_unit.as_ref().or(unit.as_ref()).cloned() else {
            return Err((
                "history.restoration_needs_branch",
                "phục hồi đảng tịch cần chi bộ sinh hoạt".to_string(),
                "restoration needs the branch the member returns to".to_string(),
            ));
        };
        require_unit_for_members(&to, date)?;
        // Restoration undoes a wrongful decision: the time outside still counts as seniority.
        self.event_units[index] = Some(to.id);
        self.spans.change(date, Some((to.id, status)));
        self.state = State::Active { unit: to, status };
        Ok(())
    }
}
