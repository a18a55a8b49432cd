//! Membership ending: removal (xóa tên), expulsion, resignation, and death.

use super::{Refusal, Walk, describe};
use crate::members::events::{EventFacts, State};

impl Walk {
    pub(super) fn leave(&mut self, index: usize, event: &EventFacts) -> Result<(), Refusal> {
        let State::Active { unit, status } = &self.state else {
            let (vi, en) = describe(&self.state);
            return Err((
                "history.cannot_leave",
                format!("không thể {}: {vi}", event.kind.label_vi().to_lowercase()),
                format!("cannot record {}: {en}", event.kind.code()),
            ));
        };
        self.event_units[index] = Some(unit.id);
        let next = State::Left {
            kind: event.kind,
            date: event.date,
            status: *status,
            unit: Some(unit.clone()),
        };
        self.spans.change(event.date, None);
        self.state = next;
        Ok(())
    }

    pub(super) fn death(&mut self, index: usize, event: &EventFacts) -> Result<(), Refusal> {
        match &self.state {
            State::Active { unit, .. } => self.event_units[index] = Some(unit.id),
            State::Outside { .. } | State::Left { .. } => {}
            other => {
                let (vi, en) = describe(other);
                return Err((
                    "history.cannot_record_death",
                    format!("không thể ghi từ trần: {vi}"),
                    format!("cannot record a death: {en}"),
                ));
            }
        }
        self.spans.change(event.date, None);
        self.state = State::Dead { date: event.date };
        Ok(())
    }
}
