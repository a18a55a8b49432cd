//! The store's error type. A refusal by a rule carries a stable code (for programs and tests) and
//! its message in Vietnamese (for the people who made the mistake) and in English.

use crate::io::RowError;

/// Why a rule refused something: a stable code and what is wrong in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Stable, dotted: `history.probation_not_over`, `unit.outside_parent`, …
    pub code: &'static str,
    pub message: String,
    pub message_en: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The English of each refusal code whose message does not carry its own.
fn english(code: &str) -> &'static str {
    match code {
        "unit.code_empty" => "the unit's code is empty",
        "unit.name_empty" => "the unit's name is empty",
        "unit.end_before_start" => "the unit ends before it starts",
        "unit.code_taken" => "a unit with this code already exists",
        "unit.parent_is_branch" => "a branch has no sub-units",
        "unit.outside_parent" => "the unit's life lies outside its parent's",
        "unit.not_on_date" => "the unit does not exist on that date",
        "restructure.no_sources" => "a merge needs at least one unit",
        "restructure.members_need_branch" => "members can only move to a branch",
        "restructure.children_remain" => "the unit still has sub-units on that date",
        "restructure.members_remain" => "the unit still has members on that date",
        "restructure.unassigned" => "some members or sub-units are not given to a new unit",
        "restructure.not_in_unit" => "a member named is not in the unit being split",
        "restructure.not_a_child" => "a unit named is not a sub-unit of the unit being split",
        "history.refused" => "the events make an impossible history",
        "figure.unknown" => "no figure has this key",
        "period.reversed" => "the period ends before it starts",
        "user.disable_self" => "nobody can disable their own account",
        "member.stale" => "someone else changed the record since it was read: reload it",
        "admission.code_taken" => "a member already has this code: the file was admitted",
        "store.write_failed" => "the database did not return what was written",
        _ => "the request breaks a rule",
    }
}

impl Refusal {
    /// A refusal whose English is the code's general description.
    pub fn new(code: &'static str, message: impl Into<String>) -> Refusal {
        Refusal {
            code,
            message: message.into(),
            message_en: english(code).to_string(),
        }
    }
}

/// Errors of the store. Messages meant for users are in Vietnamese.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed; its text is for logs, not for users.
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Database(#[from] sqlx::Error),
    #[error("lỗi cập nhật cấu trúc cơ sở dữ liệu: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Config(String),
    /// Input that breaks a rule; the refusal says which and why.
    #[error("{0}")]
    Invalid(Refusal),
    #[error("không tìm thấy {0}")]
    NotFound(String),
    /// The actor's role or scope may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The record changed since the caller read it: nothing was written.
    #[error("{0}")]
    Conflict(Refusal),
    /// Input with problems in named fields: (field, message) pairs, for forms.
    #[error("{}", .0.iter().map(|(f, m)| format!("{f}: {m}")).collect::<Vec<_>>().join("; "))]
    Fields(Vec<(String, String)>),
    /// An import with bad rows: nothing was written.
    #[error("{} dòng lỗi, không ghi gì vào cơ sở dữ liệu", .0.len())]
    Import(Vec<RowError>),
    #[error("lỗi đọc/ghi tệp: {0}")]
    File(String),
}

impl StoreError {
    /// A refusal by the rule `code`, with its Vietnamese message.
    pub fn invalid(code: &'static str, message: impl Into<String>) -> StoreError {
        StoreError::Invalid(Refusal::new(code, message))
    }

    /// The refusal's code, for refusals.
    pub fn rule(&self) -> Option<&'static str> {
        match self {
            StoreError::Invalid(refusal) | StoreError::Conflict(refusal) => Some(refusal.code),
            _ => None,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
