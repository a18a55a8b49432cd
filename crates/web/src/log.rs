//! The request log: one line per request with its method, route (the pattern, never the path, so
//! no member code or search term is written), status, duration and who asked (a user's or token's
//! number, never a name).

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

use crate::session::Identity;

pub async fn requests(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "(no route)".to_string());
    let who = request
        .extensions()
        .get::<Option<Arc<Identity>>>()
        .cloned()
        .flatten()
        .map(|identity| identity.log_id.clone())
        .unwrap_or_else(|| "-".to_string());
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(
        target: "dangbo::request",
        "{method} {route} {status} {ms:.1}ms {who}"
    );
    response
}
