//! Exemption from work and activity (miễn công tác và sinh hoạt) and suspension (đình chỉ): the
//! member stays in their unit, flagged until the end date if one is given.

use super::{Refusal, Walk, describe};
use crate::members::events::{EventFacts, EventKind, State};
use crate::text::format_date;

impl Walk {
    pub(super) fn standing(&mut self, index: usize, event: &EventFacts) -> Result<(), Refusal> {
        let date = event.date;
        if let Some(end) = event.end_date
            && end <= date
        {
            return Err((
                "history.end_before_start",
                format!(
                    "ngày kết thúc {} phải sau ngày bắt đầu {}",
                    format_date(end),
                    format_date(date)
                ),
                format!("the end ({end}) must be after the start ({date})"),
            ));
        }
        let State::Active { unit, status } = &self.state else {
            let (vi, en) = describe(&self.state);
            return Err((
                "history.cannot_change_standing",
                format!("không thể {}: {vi}", event.kind.label_vi().to_lowercase()),
                format!("cannot record {}: {en}", event.kind.code()),
            ));
        };
        self.event_units[index] = Some(unit.id);
        let (unit_id, status) = (unit.id, *status);
        self.spans.expire_flags(date);
        if event.kind == EventKind::Exemption {
            self.spans.exempt_until = Some(event.end_date);
        } else {
            self.spans.suspended_until = Some(event.end_date);
        }
        self.spans.change_flags(date, unit_id, status);
        Ok(())
    }
}
