//! The store's error type. Messages meant for users are in Vietnamese.

use crate::io::RowError;

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
    /// Input that breaks a rule; the message says which and why.
    #[error("{0}")]
    Invalid(String),
    #[error("không tìm thấy {0}")]
    NotFound(String),
    /// The actor's role may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Input with problems in named fields: (field, message) pairs, for forms.
    #[error("{}", .0.iter().map(|(f, m)| format!("{f}: {m}")).collect::<Vec<_>>().join("; "))]
    Fields(Vec<(String, String)>),
    /// An import with bad rows: nothing was written.
    #[error("{} dòng lỗi, không ghi gì vào cơ sở dữ liệu", .0.len())]
    Import(Vec<RowError>),
    #[error("lỗi đọc/ghi tệp: {0}")]
    File(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
