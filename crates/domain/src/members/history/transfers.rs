//! Moving a member's activity: permanent transfers in and out (within this database or across its
//! edge) and temporary attachments, which leave the member's official unit unchanged.

use super::{Refusal, Walk, describe, require_unit_for_members, unit_name};
use crate::members::events::{EventFacts, EventKind, MembershipStatus, State};

impl Walk {
    fn where_now(&self) -> (String, String) {
        match self.active_unit() {
            Some(u) => (
                format!("đang sinh hoạt tại {}", unit_name(u)),
                format!("is active in {}", unit_name(u)),
            ),
            None => (
                "không sinh hoạt tại đơn vị nào trong hệ thống".to_string(),
                "is active in no unit of this database".to_string(),
            ),
        }
    }

    pub(super) fn transfer(&mut self, index: usize, event: &EventFacts) -> Result<(), Refusal> {
        let date = event.date;
        let status = match (&event.from_unit, &self.state) {
            (Some(from), State::Active { unit, status }) if unit.id == from.id => *status,
            (Some(from), _) => {
                let (vi, en) = self.where_now();
                return Err((
                    "history.transfer_from_elsewhere",
                    format!("chuyển đi khỏi {} nhưng đảng viên {vi}", unit_name(from)),
                    format!("transfer from {} but the member {en}", unit_name(from)),
                ));
            }
            (None, State::Active { status, .. }) if event.kind == EventKind::TransferOut => *status,
            (None, State::Active { unit, .. }) => {
                return Err((
                    "history.two_units",
                    format!(
                        "chuyển đến từ ngoài hệ thống nhưng đảng viên đang sinh hoạt tại {} (không thể ở hai đơn vị cùng lúc)",
                        unit_name(unit)
                    ),
                    format!(
                        "arrival from outside while active in {} (one unit at a time)",
                        unit_name(unit)
                    ),
                ));
            }
            (None, State::Outside { status }) if event.kind == EventKind::TransferIn => *status,
            // A member first seen arriving from elsewhere: most arrive as full members.
            (None, State::NotYet) if event.kind == EventKind::TransferIn => MembershipStatus::Full,
            (None, other) => {
                let (vi, en) = describe(other);
                return Err((
                    "history.cannot_transfer",
                    format!("không thể chuyển sinh hoạt: {vi}"),
                    format!("cannot transfer: {en}"),
                ));
            }
        };
        if event.kind == EventKind::TransferIn && event.to_unit.is_none() {
            return Err((
                "history.transfer_needs_unit",
                "chuyển đến cần đơn vị đến".to_string(),
                "a transfer in needs the unit it arrives in".to_string(),
            ));
        }
        self.event_units[index] = event
            .to_unit
            .as_ref()
            .or(event.from_unit.as_ref())
            .or(self.active_unit())
            .map(|u| u.id);
        self.state = match &event.to_unit {
            Some(to) => {
                require_unit_for_members(to, date)?;
                self.spans.change(date, Some((to.id, status)));
                State::Active {
                    unit: to.clone(),
                    status,
                }
            }
            None => {
                self.spans.change(date, None);
                State::Outside { status }
            }
        };
        Ok(())
    }

    pub(super) fn temporary_transfer_out(
        &mut self,
        index: usize,
        event: &EventFacts,
    ) -> Result<(), Refusal> {
        let Some(unit) = self.active_unit() else {
            let (vi, en) = describe(&self.state);
            return Err((
                "history.cannot_transfer",
                format!("không thể chuyển đi tạm thời: {vi}"),
                format!("cannot transfer temporarily: {en}"),
            ));
        };
        if let Some(from) = &event.from_unit
            && from.id != unit.id
        {
            let (vi, en) = self.where_now();
            return Err((
                "history.transfer_from_elsewhere",
                format!(
                    "chuyển đi tạm thời khỏi {} nhưng đảng viên {vi}",
                    unit_name(from)
                ),
                format!(
                    "temporary transfer from {} but the member {en}",
                    unit_name(from)
                ),
            ));
        }
        self.event_units[index] = Some(unit.id);
        Ok(())
    }

    pub(super) fn temporary_transfer_in(
        &mut self,
        index: usize,
        event: &EventFacts,
    ) -> Result<(), Refusal> {
        let Some(to) = &event.to_unit else {
            return Err((
                "history.transfer_needs_unit",
                "chuyển đến tạm thời cần đơn vị đến".to_string(),
                "a temporary transfer in needs the unit it arrives in".to_string(),
            ));
        };
        require_unit_for_members(to, event.date)?;
        self.event_units[index] = Some(to.id);
        Ok(())
    }
}
