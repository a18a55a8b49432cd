//! Dated member events: what can happen to a member, and the facts of an event that the history
//! rules need. Nothing about a member's status or unit is stored as a current value: it is derived
//! from these events by [`crate::members::history`].

use chrono::NaiveDate;
use serde::Serialize;

use crate::tree::UnitKind;

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

/// The facts only some kinds of event carry (every event has a date, a decision and a note).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventField {
    /// The admission ceremony (lễ kết nạp).
    CeremonyDate,
    /// When an exemption or suspension ends.
    EndDate,
    /// The unit in this database the member joins or moves to.
    ToUnit,
    /// The party organization outside this database a transfer comes from or goes to.
    ExternalUnit,
}

impl EventKind {
    /// Whether this kind of event carries the field.
    pub fn uses(self, field: EventField) -> bool {
        use EventKind as K;
        match field {
            EventField::CeremonyDate => matches!(self, K::Admission | K::Readmission),
            EventField::EndDate => matches!(self, K::Exemption | K::Suspension),
            EventField::ToUnit => matches!(
                self,
                K::Admission
                    | K::Readmission
                    | K::Restoration
                    | K::TransferIn
                    | K::TransferOut
                    | K::TemporaryTransferIn
                    | K::TemporaryTransferOut
            ),
            EventField::ExternalUnit => matches!(
                self,
                K::TransferIn | K::TransferOut | K::TemporaryTransferIn | K::TemporaryTransferOut
            ),
        }
    }

    /// Order of events that fall on the same day: arrivals first, departures last.
    pub(crate) fn same_day_rank(self) -> u8 {
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

/// Why an event was recorded: by a person; by a restructure of the tree; or, for a transfer in,
/// as the placement of a member admitted before their branch was founded, when a committee
/// brings its roster into Dangbo (no transfer figure counts it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventCause {
    Recorded,
    Restructure,
    Placement,
}

impl EventCause {
    pub const ALL: [EventCause; 3] = [
        EventCause::Recorded,
        EventCause::Restructure,
        EventCause::Placement,
    ];

    /// The code stored and given by the API.
    pub fn code(self) -> &'static str {
        match self {
            EventCause::Recorded => "recorded",
            EventCause::Restructure => "restructure",
            EventCause::Placement => "placement",
        }
    }

    pub fn parse(code: &str) -> Option<EventCause> {
        EventCause::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The words of the events file's `Lý do` column (empty for an event recorded by a person).
    pub fn label_vi(self) -> &'static str {
        match self {
            EventCause::Recorded => "",
            EventCause::Restructure => "Sắp xếp tổ chức",
            EventCause::Placement => "Ghi nhận ban đầu",
        }
    }

    /// How a member's timeline names a transfer made for this cause.
    pub fn transfer_label_vi(self) -> Option<&'static str> {
        match self {
            EventCause::Recorded => None,
            EventCause::Restructure => Some("Chuyển do sắp xếp tổ chức"),
            EventCause::Placement => Some("Ghi nhận vào chi bộ khi nhập danh sách"),
        }
    }
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

    pub fn parse(code: &str) -> Option<MembershipStatus> {
        match code {
            "probationary" => Some(MembershipStatus::Probationary),
            "full" => Some(MembershipStatus::Full),
            _ => None,
        }
    }

    /// "Chính thức", "Dự bị".
    pub fn label_vi(self) -> &'static str {
        match self {
            MembershipStatus::Probationary => "Dự bị",
            MembershipStatus::Full => "Chính thức",
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
        crate::tree::exists_between(self.start_date, self.end_date, date)
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
