//! Who is asking: the session cookie or an API token becomes an [`Identity`] holding a scoped
//! store handle. Every state-changing request is checked against cross-site forgery here, before
//! any handler runs.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use dangbo_store::access::{Access, Sessions};

use crate::AppState;
use crate::error::ApiError;
use crate::i18n::Lang;

pub const SESSION_COOKIE: &str = "dangbo_session";
pub const LANG_COOKIE: &str = "dangbo_lang";
/// The form field (or `X-CSRF-Token` header) that carries the session's CSRF token.
pub const CSRF_FIELD: &str = "csrf";

/// The signed-in user or API token behind a request.
pub struct Identity {
    pub access: Access,
    /// Who it is in the request log: `user:<id>` or `token:<id>`, never a name.
    pub log_id: String,
    /// The session's CSRF token, for forms; `None` for API tokens.
    pub csrf: Option<String>,
    /// The session cookie's value, for sign-out.
    pub session_token: Option<String>,
}

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(|t| t.trim().to_string())
}

async fn resolve(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Identity>, dangbo_store::StoreError> {
    let sessions = Sessions::new(&state.db);
    if let Some(secret) = bearer(headers) {
        return Ok(sessions.token(&secret).await?.map(|access| Identity {
            log_id: access.actor().name.clone(),
            access: access.with_cache(state.figure_cache.clone()),
            csrf: None,
            session_token: None,
        }));
    }
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let Some((session, access)) = sessions.resume(&token).await? else {
        return Ok(None);
    };
    Ok(Some(Identity {
        log_id: format!("user:{}", session.user.id),
        access: access.with_cache(state.figure_cache.clone()),
        csrf: Some(session.csrf_token),
        session_token: Some(token),
    }))
}

/// Whether the browser says the request came from another site.
fn cross_site(headers: &HeaderMap) -> bool {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if fetch_site.is_some_and(|s| s != "same-origin" && s != "none") {
        return true;
    }
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some(origin), Some(host)) => {
            let bare = origin
                .split_once("://")
                .map(|(_, rest)| rest)
                .unwrap_or(origin);
            bare != host
        }
        _ => false,
    }
}

fn forged() -> Response {
    (
        StatusCode::FORBIDDEN,
        "Yêu cầu bị từ chối: thiếu hoặc sai mã chống giả mạo (CSRF). Xin tải lại trang và thử lại.",
    )
        .into_response()
}

/// Resolves the identity, checks CSRF on state-changing requests, and hands both to the handlers.
pub async fn identify(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let identity = match resolve(&state, request.headers()).await {
        Ok(identity) => identity,
        Err(e) => return crate::AppError::from(e).into_response(),
    };
    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let mut request = request;
    if unsafe_method && bearer(request.headers()).is_none() {
        if cross_site(request.headers()) {
            return forged();
        }
        if let Some(expected) = identity.as_ref().and_then(|i| i.csrf.clone()) {
            let (ok, rebuilt) = csrf_matches(request, &expected).await;
            if !ok {
                return forged();
            }
            request = rebuilt;
        }
    }
    request.extensions_mut().insert(identity.map(Arc::new));
    next.run(request).await
}

/// Checks the token in the `X-CSRF-Token` header, the query (`?csrf=`, for file uploads) or the
/// urlencoded form body, which is read and put back for the handler.
async fn csrf_matches(request: Request, expected: &str) -> (bool, Request) {
    let header_token = request
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let query_token = request.uri().query().and_then(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == CSRF_FIELD)
            .map(|(_, v)| v)
    });
    if let Some(token) = header_token.or(query_token) {
        return (token == expected, request);
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return (false, request);
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 4 * 1024 * 1024).await else {
        return (false, Request::from_parts(parts, Body::empty()));
    };
    let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|pairs| {
            pairs
                .into_iter()
                .find(|(k, _)| k == CSRF_FIELD)
                .map(|(_, v)| v)
        });
    (
        token.as_deref() == Some(expected),
        Request::from_parts(parts, Body::from(bytes)),
    )
}

/// A signed-in user of the pages; others are sent to the sign-in page.
pub struct Ui(pub Arc<Identity>, pub Lang);

impl FromRequestParts<AppState> for Ui {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Ui, Response> {
        let lang = language(&parts.headers);
        match parts
            .extensions
            .get::<Option<Arc<Identity>>>()
            .cloned()
            .flatten()
        {
            Some(identity) => Ok(Ui(identity, lang)),
            None => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                let target = format!("/sign-in{}", crate::format::query(&[("next", next)]));
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

/// A caller of the API: an API token or a signed-in browser.
pub struct Api(pub Arc<Identity>);

impl FromRequestParts<AppState> for Api {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Api, ApiError> {
        parts
            .extensions
            .get::<Option<Arc<Identity>>>()
            .cloned()
            .flatten()
            .map(Api)
            .ok_or_else(ApiError::unauthorized)
    }
}

/// The interface language of a request.
pub fn language(headers: &HeaderMap) -> Lang {
    Lang::parse(&cookie(headers, LANG_COOKIE).unwrap_or_default())
}

/// The client's address, for throttling sign-ins.
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<ClientAddr, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let forwarded = state.client_ip_header.as_ref().and_then(|name| {
            let client = forwarded_client(&parts.headers, name);
            if client.is_none() {
                // Said, not hidden: the proxy is not writing what --client-ip-header names.
                tracing::warn!(
                    "no client address in the {name} header; the connection's address is used"
                );
            }
            client
        });
        let addr = forwarded
            .or(peer)
            .map_or_else(|| "unknown".to_string(), |ip| ip.to_string());
        Ok(ClientAddr(addr))
    }
}

/// The client's address as the trusted proxy saw it: the last entry of the header (the one the
/// proxy appended; entries before it were sent by the client and can be anything). Values that
/// are not addresses are ignored.
pub(crate) fn forwarded_client(headers: &HeaderMap, name: &HeaderName) -> Option<IpAddr> {
    let last = headers.get_all(name).iter().next_back()?.to_str().ok()?;
    last.rsplit(',').next()?.trim().parse().ok()
}

/// A `Set-Cookie` value with the app's flags.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: Option<i64>) -> String {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    if state.secure_cookies {
        cookie.push_str("; Secure");
    }
    cookie
}

#[cfg(test)]
mod tests {
    use super::forwarded_client;
    use axum::http::{HeaderMap, HeaderName, HeaderValue};

    #[test]
    fn the_proxy_appended_address_is_the_client() {
        let name = HeaderName::from_static("x-forwarded-for");
        let with = |values: &[&str]| {
            let mut headers = HeaderMap::new();
            for value in values {
                headers.append(&name, HeaderValue::from_str(value).unwrap());
            }
            forwarded_client(&headers, &name).map(|ip| ip.to_string())
        };
        // Entries the client wrote itself come first; the proxy's own is last.
        assert_eq!(with(&["1.2.3.4, 10.0.0.7"]).as_deref(), Some("10.0.0.7"));
        assert_eq!(
            with(&["1.2.3.4", "2001:db8::1"]).as_deref(),
            Some("2001:db8::1")
        );
        assert_eq!(with(&["10.0.0.7"]).as_deref(), Some("10.0.0.7"));
        for refused in [&["10.0.0.7, nonsense"][..], &[""], &["10.0.0.7,"], &[]] {
            assert_eq!(with(refused), None, "{refused:?}");
        }
    }
}
