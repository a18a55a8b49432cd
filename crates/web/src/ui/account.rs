//! Sign-in, sign-out, password change and the language switch.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use dangbo_store::StoreError;
use dangbo_store::access::{PasswordChange, Sessions, SignInError};
use serde::Deserialize;

use super::Chrome;
use crate::error::render;
use crate::i18n::Lang;
use crate::session::{ClientAddr, LANG_COOKIE, SESSION_COOKIE, Ui, language, set_cookie};
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    c: Chrome,
    next: String,
    username: String,
    error: String,
    notice: String,
    demo_hint: String,
}

#[derive(Deserialize, Default)]
pub struct SignInQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    changed: String,
}

/// Only paths on this site, so the sign-in and the language switch cannot be used to send people
/// elsewhere. Browsers drop tabs and line breaks from addresses and read `\` as `/`, so
/// `/<tab>/host` is `//host`: only printable ASCII without `\` is kept (the app's own addresses
/// are percent-encoded), else the home page.
pub(crate) fn safe_next(next: &str) -> String {
    let same_site = next.starts_with('/')
        && !next.starts_with("//")
        && next.chars().all(|c| c.is_ascii_graphic() && c != '\\');
    if same_site {
        next.to_string()
    } else {
        "/".to_string()
    }
}

pub async fn sign_in_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<SignInQuery>,
) -> Result<Response, AppError> {
    let lang = language(&headers);
    let t = lang.texts();
    let page = SignInPage {
        c: Chrome::signed_out(lang, t.sign_in),
        next: safe_next(&query.next),
        username: String::new(),
        error: String::new(),
        notice: if query.changed.is_empty() {
            String::new()
        } else {
            t.password_changed.to_string()
        },
        demo_hint: state.sign_in_hint.clone(),
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientAddr(addr): ClientAddr,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    let lang = language(&headers);
    let t = lang.texts();
    match Sessions::new(&state.db)
        .sign_in(&form.username, &form.password, &addr)
        .await?
    {
        Ok(session) => {
            let cookie = set_cookie(&state, SESSION_COOKIE, &session.token, None);
            Ok((
                [(header::SET_COOKIE, cookie)],
                Redirect::to(&safe_next(&form.next)),
            )
                .into_response())
        }
        Err(refusal) => {
            let error = match refusal {
                SignInError::Refused => t.wrong_sign_in.to_string(),
                SignInError::Throttled { minutes } => {
                    format!("{} {minutes} {}.", t.throttled, t.minutes)
                }
            };
            let page = SignInPage {
                c: Chrome::signed_out(lang, t.sign_in),
                next: safe_next(&form.next),
                username: form.username,
                error,
                notice: String::new(),
                demo_hint: state.sign_in_hint.clone(),
            };
            Ok((axum::http::StatusCode::UNAUTHORIZED, render(&page)?).into_response())
        }
    }
}

pub async fn sign_out(
    State(state): State<AppState>,
    Ui(identity, _): Ui,
) -> Result<Response, AppError> {
    if let Some(token) = &identity.session_token {
        Sessions::new(&state.db).end(token).await?;
    }
    let cookie = set_cookie(&state, SESSION_COOKIE, "", Some(0));
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/sign-in")).into_response())
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    c: Chrome,
    error: String,
}

pub async fn password_page(Ui(identity, lang): Ui) -> Result<Response, AppError> {
    let page = PasswordPage {
        c: Chrome::new(
            &identity,
            lang,
            lang.texts().nav_password,
            "",
            "/account/password",
        ),
        error: String::new(),
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    repeat: String,
}

pub async fn change_password(
    Ui(identity, lang): Ui,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    if identity.session_token.is_none() {
        return Err(AppError::Forbidden(
            "mã truy cập API không có mật khẩu".into(),
        ));
    }
    let error = if form.new_password != form.repeat {
        t.passwords_differ.to_string()
    } else {
        match identity
            .access
            .change_own_password(&form.current, &form.new_password)
            .await
        {
            Ok(PasswordChange::Changed) => {
                return Ok(Redirect::to("/sign-in?changed=1").into_response());
            }
            Ok(PasswordChange::WrongCurrent) => t.wrong_current_password.to_string(),
            Ok(PasswordChange::Throttled { minutes }) => {
                format!("{} {minutes} {}.", t.throttled, t.minutes)
            }
            Err(StoreError::Fields(problems)) => problems
                .into_iter()
                .map(|(_, m)| m)
                .collect::<Vec<_>>()
                .join("; "),
            Err(other) => return Err(other.into()),
        }
    };
    let page = PasswordPage {
        c: Chrome::new(&identity, lang, t.nav_password, "", "/account/password"),
        error,
    };
    Ok((axum::http::StatusCode::BAD_REQUEST, render(&page)?).into_response())
}

#[derive(Deserialize)]
pub struct LanguageQuery {
    #[serde(default)]
    back: String,
}

/// The language choice is kept for a year.
const LANGUAGE_COOKIE_SECONDS: i64 = 365 * 24 * 3600;

pub async fn switch_language(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<LanguageQuery>,
) -> Response {
    let lang = Lang::parse(&lang);
    let cookie = set_cookie(
        &state,
        LANG_COOKIE,
        lang.code(),
        Some(LANGUAGE_COOKIE_SECONDS),
    );
    (
        [(header::SET_COOKIE, cookie)],
        Redirect::to(&safe_next(&query.back)),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_same_site_paths_are_followed() {
        for kept in ["/", "/members?q=Nguy%E1%BB%85n&page=2", "/units/XA"] {
            assert_eq!(safe_next(kept), kept);
        }
        for refused in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example/",
            "/\t/evil.example/",
            "/\n/evil.example/",
            "/ /evil.example",
            "/\0",
            "/members?q=Nguyễn",
            "",
            "members",
        ] {
            assert_eq!(safe_next(refused), "/", "{refused:?}");
        }
    }
}
