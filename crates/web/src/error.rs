//! Errors as a person or a script sees them. Store errors meant for users keep their Vietnamese
//! message; database and internal failures are logged and answered with a generic message, so
//! internal text never reaches a client.

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use dangbo_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// An error of a page handler, shown as an HTML page.
#[derive(Debug)]
pub enum AppError {
    NotFound,
    Forbidden(String),
    BadRequest(String),
    /// The record changed since it was read.
    Conflict(String),
    Internal(String),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message a client may see.
    pub fn public_message(&self) -> String {
        match self {
            AppError::NotFound => "Không tìm thấy trang hoặc hồ sơ này.".into(),
            AppError::Forbidden(m) | AppError::BadRequest(m) | AppError::Conflict(m) => m.clone(),
            AppError::Internal(_) => {
                "Hệ thống gặp lỗi khi xử lý yêu cầu. Lỗi đã được ghi lại; xin thử lại sau.".into()
            }
        }
    }

    /// A short machine-readable code for the API envelope.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Forbidden(_) => "forbidden",
            AppError::BadRequest(_) => "bad_request",
            AppError::Conflict(_) => "conflict",
            AppError::Internal(_) => "internal",
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> AppError {
        match error {
            StoreError::NotFound(_) => AppError::NotFound,
            StoreError::Forbidden(m) => AppError::Forbidden(m),
            StoreError::Invalid(refusal) => AppError::BadRequest(refusal.message),
            StoreError::Conflict(refusal) => AppError::Conflict(refusal.message),
            StoreError::Fields(_) | StoreError::Import(_) | StoreError::File(_) => {
                AppError::BadRequest(error.to_string())
            }
            StoreError::Database(_) | StoreError::Migration(_) | StoreError::Config(_) => {
                AppError::Internal(error.to_string())
            }
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(target: "dangbo::error", "{detail}");
        }
        let status = self.status();
        let page = ErrorPage {
            status: status.as_u16(),
            message: self.public_message(),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, self.public_message()).into_response(),
        }
    }
}

/// Renders a template, or answers with an internal error.
pub fn render<T: Template>(template: &T) -> Result<Html<String>, AppError> {
    template
        .render()
        .map(Html)
        .map_err(|e| AppError::Internal(format!("template: {e}")))
}

/// Renders a page that holds a form: 422 when the form came back with problems (a page that did
/// not do what was asked), 200 otherwise.
pub fn render_form<T: Template>(
    template: &T,
    with_problems: bool,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let status = if with_problems {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    Ok((status, render(template)?).into_response())
}

/// The error envelope.
#[derive(Serialize, ToSchema)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// not_found, forbidden, unauthorized, bad_request, invalid, internal.
    pub code: String,
    /// For people, in Vietnamese.
    pub message: String,
    /// For a refusal by a rule: the rule's stable code (`history.probation_not_over`, …).
    pub rule: Option<String>,
    /// For a refusal by a rule: what is wrong, in English.
    pub message_en: Option<String>,
    /// Per-field or per-row problems, when there are any.
    pub details: Vec<Problem>,
}

/// One problem: a field of a request, or a row and column of an imported file.
#[derive(Serialize, ToSchema)]
pub struct Problem {
    pub field: String,
    pub row: Option<usize>,
    pub value: Option<String>,
    pub message: String,
}

/// An API error; internal text is logged, never sent.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// The rule and English message of a refusal.
    rule: Option<(&'static str, String)>,
    details: Vec<(String, Option<usize>, Option<String>, String)>,
}

impl ApiError {
    pub fn unauthorized() -> ApiError {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            code: "unauthorized",
            message: "cần mã truy cập (Authorization: Bearer …) hoặc đăng nhập".into(),
            rule: None,
            details: Vec::new(),
        }
    }

    pub fn not_found() -> ApiError {
        AppError::NotFound.into()
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        AppError::BadRequest(message.into()).into()
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> ApiError {
        if let AppError::Internal(detail) = &error {
            tracing::error!(target: "dangbo::error", "{detail}");
        }
        ApiError {
            status: error.status(),
            code: error.code(),
            message: error.public_message(),
            rule: None,
            details: Vec::new(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::Invalid(refusal) => ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "invalid",
                message: refusal.message,
                rule: Some((refusal.code, refusal.message_en)),
                details: Vec::new(),
            },
            StoreError::Conflict(refusal) => ApiError {
                status: StatusCode::CONFLICT,
                code: "conflict",
                message: refusal.message,
                rule: Some((refusal.code, refusal.message_en)),
                details: Vec::new(),
            },
            StoreError::Fields(problems) => ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "invalid",
                message: "dữ liệu chưa hợp lệ".into(),
                rule: None,
                details: problems
                    .into_iter()
                    .map(|(f, m)| (f, None, None, m))
                    .collect(),
            },
            StoreError::Import(rows) => ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "invalid",
                message: format!("{} dòng lỗi, không ghi gì vào cơ sở dữ liệu", rows.len()),
                rule: None,
                details: rows
                    .into_iter()
                    .map(|r| (r.column, Some(r.row), Some(r.value), r.message))
                    .collect(),
            },
            other => AppError::from(other).into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorEnvelope {
            error: ErrorBody {
                code: self.code.to_string(),
                message: self.message,
                rule: self.rule.as_ref().map(|(code, _)| code.to_string()),
                message_en: self.rule.map(|(_, en)| en),
                details: self
                    .details
                    .into_iter()
                    .map(|(field, row, value, message)| Problem {
                        field,
                        row,
                        value,
                        message,
                    })
                    .collect(),
            },
        };
        (self.status, Json(body)).into_response()
    }
}

impl ApiError {
    /// Request fields that cannot be read: 400, each problem in `details`.
    pub fn fields(problems: crate::params::Problems) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "bad_request",
            message: "tham số không hợp lệ".into(),
            rule: None,
            details: problems
                .into_iter()
                .map(|(f, m)| (f, None, None, m))
                .collect(),
        }
    }
}

impl AppError {
    /// Request fields that cannot be read, as one message for a page that has no form for them.
    pub fn fields(problems: crate::params::Problems) -> AppError {
        AppError::BadRequest(
            problems
                .into_iter()
                .map(|(_, m)| m)
                .collect::<Vec<_>>()
                .join("; "),
        )
    }
}
