//! Spans: the periods during which a member was active in one unit with one status, built as the
//! history walks the events in date order.

use chrono::NaiveDate;

use crate::members::events::{MembershipStatus, Span};

#[derive(Default)]
pub(super) struct Builder {
    spans: Vec<Span>,
    open: Option<Span>,
    /// `Some(end)` while exempt (`Some(None)`: with no end date).
    pub(super) exempt_until: Option<Option<NaiveDate>>,
    pub(super) suspended_until: Option<Option<NaiveDate>>,
}

impl Builder {
    /// Closes the open span at `date` and opens a new one if the member is active.
    pub(super) fn change(&mut self, date: NaiveDate, active: Option<(i64, MembershipStatus)>) {
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
    pub(super) fn expire_flags(&mut self, date: NaiveDate) {
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

    pub(super) fn finish(mut self) -> Vec<Span> {
        let far = NaiveDate::MAX;
        self.expire_flags(far);
        if let Some(span) = self.open.take() {
            self.spans.push(span);
        }
        self.spans
    }
}

impl Builder {
    /// Re-opens the current span on `date` with the exemption and suspension flags now in force.
    pub(super) fn change_flags(&mut self, date: NaiveDate, unit_id: i64, status: MembershipStatus) {
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
