//! What every request and response passes through, whatever route it takes (pages, API, Swagger
//! UI, static files, errors): requests whose path or query holds control or text-direction
//! characters are refused before any handler runs, and every response carries the security
//! headers.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dangbo_domain::input::TextKind;

use crate::AppError;
use crate::error::ApiError;

/// Pages load their script and style from this site only, and are never framed.
const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; \
     object-src 'none'";
/// Swagger UI sets styles from its script and draws icons from `data:` images.
const SWAGGER_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

pub async fn security_headers(request: Request, next: Next) -> Response {
    let swagger = request.uri().path().starts_with("/api/docs");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let policy = if swagger { SWAGGER_POLICY } else { PAGE_POLICY };
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// Refuses a request whose path or query, once decoded, holds a character no field takes in a
/// single line (NUL and other control characters, text-direction marks): such text can only be an
/// attack or a mistake, and PostgreSQL refuses NUL with an error.
pub async fn refuse_control_characters(request: Request, next: Next) -> Response {
    let uri = request.uri();
    let decoded = |part: &str| {
        percent_encoding::percent_decode_str(part)
            .decode_utf8_lossy()
            // A `+` in a query is a space; it cannot hide anything.
            .into_owned()
    };
    let path = decoded(uri.path());
    let query = decoded(uri.query().unwrap_or(""));
    let problem = [("đường dẫn", path), ("tham số", query)]
        .into_iter()
        .find_map(|(part, text)| {
            TextKind::Line
                .check_characters(&text)
                .err()
                .map(|problem| format!("{part} của yêu cầu {problem}"))
        });
    match problem {
        None => next.run(request).await,
        Some(message) if uri.path().starts_with("/api/") => {
            ApiError::bad_request(message).into_response()
        }
        Some(message) => AppError::BadRequest(message).into_response(),
    }
}
