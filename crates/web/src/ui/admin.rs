//! Administration: users, API tokens and the audit log.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use dangbo_domain::access::Role;
use dangbo_store::StoreError;
use dangbo_store::access::{AuditEntry as Entry, AuditFilter as Filter, NewToken, NewUser, Unit};
use serde::Deserialize;

use super::Chrome;
use super::{Choice, choices};
use crate::AppError;
use crate::error::render;
use crate::format::{self, query};
use crate::session::{Identity, Ui};

pub struct UserRow {
    pub username: String,
    /// The user's path under `/admin/users/`, percent-encoded.
    pub link: String,
    pub display_name: String,
    pub role: &'static str,
    pub scope: String,
    pub disabled: bool,
}

pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub role: &'static str,
    pub scope: String,
    pub created_by: String,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    c: Chrome,
    users: Vec<UserRow>,
    tokens: Vec<TokenRow>,
    roles: Vec<Choice>,
    /// The scope field's value: a scoped administrator's own unit.
    default_scope: String,
    error: String,
    notice: String,
    new_token: String,
}

/// How a user's or token's scope reads: the unit's name and code, or the whole database.
fn scope_label(scope: Option<&Unit>) -> String {
    match scope {
        Some(u) => format!("{} ({})", u.name, u.code),
        None => WHOLE_DATABASE.to_string(),
    }
}

const WHOLE_DATABASE: &str = "Toàn quốc";

async fn users_page(
    identity: &Identity,
    lang: crate::i18n::Lang,
    error: String,
    notice: String,
    new_token: String,
) -> Result<Response, AppError> {
    let admin = identity.access.user_admin()?;
    let users = admin.users().await?;
    let tokens = admin.tokens().await?;
    let actor = identity.access.actor();
    let page = UsersPage {
        c: Chrome::new(
            identity,
            lang,
            lang.texts().users_title,
            "users",
            "/admin/users",
        ),
        users: users
            .into_iter()
            .map(|(u, scope)| UserRow {
                scope: scope_label(scope.as_ref()),
                role: u.role.label_vi(),
                link: format!("/admin/users/{}", format::url(&u.username)),
                username: u.username,
                display_name: u.display_name,
                disabled: u.disabled,
            })
            .collect(),
        tokens: tokens
            .into_iter()
            .map(|(t, scope)| TokenRow {
                scope: scope_label(scope.as_ref()),
                role: t.role.label_vi(),
                id: t.id,
                name: t.name,
                created_by: t.created_by,
                revoked: t.revoked,
            })
            .collect(),
        roles: choices(
            Role::Viewer.code(),
            Role::ALL
                .iter()
                .filter(|r| actor.role.grants(**r))
                .map(|r| (r.code().to_string(), r.label_vi().to_string()))
                .collect(),
        ),
        default_scope: if actor.sees_everything() {
            String::new()
        } else {
            actor.scope.code.clone()
        },
        error,
        notice,
        new_token,
    };
    let status = if page.error.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, render(&page)?).into_response())
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    ok: String,
}

pub async fn users(
    Ui(identity, lang): Ui,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let notice = if q.ok.is_empty() {
        String::new()
    } else {
        lang.texts().saved.to_string()
    };
    users_page(&identity, lang, String::new(), notice, String::new()).await
}

#[derive(Deserialize)]
pub struct UserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    scope: String,
}

/// Shows the outcome of an administrative change: the secret of a new token, a notice, or the
/// refusal on the users page.
async fn after_change(
    identity: &Identity,
    lang: crate::i18n::Lang,
    result: Result<Option<String>, StoreError>,
) -> Result<Response, AppError> {
    match result {
        Ok(Some(secret)) => users_page(identity, lang, String::new(), String::new(), secret).await,
        Ok(None) => Ok(Redirect::to("/admin/users?ok=1").into_response()),
        Err(StoreError::Invalid(refusal)) => {
            users_page(
                identity,
                lang,
                refusal.message,
                String::new(),
                String::new(),
            )
            .await
        }
        Err(StoreError::Fields(problems)) => {
            let message = problems
                .into_iter()
                .map(|(_, m)| m)
                .collect::<Vec<_>>()
                .join("; ");
            users_page(identity, lang, message, String::new(), String::new()).await
        }
        Err(other) => Err(other.into()),
    }
}

/// A role from a form, or the problem on its field.
fn form_role(code: &str) -> Result<Role, StoreError> {
    Role::parse(code).ok_or_else(|| {
        StoreError::Fields(vec![(
            "role".into(),
            format!(
                "vai trò «{code}» không có; cần một trong: {}",
                Role::expected_vi()
            ),
        )])
    })
}

pub async fn add_user(
    Ui(identity, lang): Ui,
    Form(form): Form<UserForm>,
) -> Result<Response, AppError> {
    let admin = identity.access.user_admin()?;
    let result = match form_role(&form.role) {
        Ok(role) => {
            let new = NewUser {
                username: form.username.clone(),
                display_name: form.display_name.clone(),
                password: form.password.clone(),
                role,
                scope_code: Some(form.scope.clone()).filter(|s| !s.trim().is_empty()),
            };
            admin.create_user(&new).await.map(|_| None)
        }
        Err(e) => Err(e),
    };
    after_change(&identity, lang, result).await
}

pub async fn disable_user(
    Ui(identity, lang): Ui,
    Path(username): Path<String>,
) -> Result<Response, AppError> {
    let admin = identity.access.user_admin()?;
    let result = admin.set_disabled(&username, true).await.map(|_| None);
    after_change(&identity, lang, result).await
}

pub async fn enable_user(
    Ui(identity, lang): Ui,
    Path(username): Path<String>,
) -> Result<Response, AppError> {
    let admin = identity.access.user_admin()?;
    let result = admin.set_disabled(&username, false).await.map(|_| None);
    after_change(&identity, lang, result).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

pub async fn reset_password(
    Ui(identity, lang): Ui,
    Path(username): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let admin = identity.access.user_admin()?;
    let result = admin
        .reset_password(&username, &form.password)
        .await
        .map(|_| None);
    after_change(&identity, lang, result).await
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    scope: String,
}

pub async fn add_token(
    Ui(identity, lang): Ui,
    Form(form): Form<TokenForm>,
) -> Result<Response, AppError> {
    let admin = identity.access.user_admin()?;
    let result = match form_role(&form.role) {
        Ok(role) => {
            let new = NewToken {
                name: form.name.clone(),
                role,
                scope_code: Some(form.scope.clone()).filter(|s| !s.trim().is_empty()),
            };
            admin
                .create_token(&new)
                .await
                .map(|(_, secret)| Some(secret))
        }
        Err(e) => Err(e),
    };
    after_change(&identity, lang, result).await
}

pub async fn revoke_token(
    Ui(identity, lang): Ui,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let admin = identity.access.user_admin()?;
    let result = admin.revoke_token(id).await.map(|_| None);
    after_change(&identity, lang, result).await
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    before: String,
}

pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub kind: String,
    pub key: String,
    pub before: String,
    pub after: String,
}

impl AuditRow {
    fn of(e: Entry) -> AuditRow {
        let at = e
            .time()
            .map(|t| {
                t.with_timezone(&chrono::Local)
                    .format("%d/%m/%Y %H:%M:%S")
                    .to_string()
            })
            .unwrap_or_else(|| e.at.clone());
        AuditRow {
            id: e.id,
            at,
            actor: e.actor,
            action: e.action,
            kind: e.record_kind,
            key: e.record_key,
            before: e.before_json,
            after: e.after_json,
        }
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    q: AuditQuery,
    rows: Vec<AuditRow>,
    older_link: String,
}

/// Audit rows per page.
const AUDIT_PAGE: usize = 100;

pub async fn audit(
    Ui(identity, lang): Ui,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let auditor = identity.access.auditor()?;
    let mut problems = Vec::new();
    let from = crate::params::date_field("from", &q.from, &mut problems);
    let to = crate::params::date_field("to", &q.to, &mut problems);
    let before_id = match q.before.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                problems.push((
                    "before".into(),
                    format!("«{text}» không phải số dòng nhật ký"),
                ));
                None
            }
        },
    };
    if !problems.is_empty() {
        return Err(AppError::fields(problems));
    }
    let filter = Filter {
        actor: Some(q.actor.clone()),
        record_kind: Some(q.kind.clone()),
        record_key: Some(q.key.clone()),
        from,
        to,
        before_id,
        limit: AUDIT_PAGE,
        within: None,
    };
    let rows: Vec<AuditRow> = auditor
        .list(&filter)
        .await?
        .into_iter()
        .map(AuditRow::of)
        .collect();
    let older_link = match rows.last() {
        Some(last) if rows.len() == AUDIT_PAGE => format!(
            "/admin/audit{}",
            query(&[
                ("actor", &q.actor),
                ("kind", &q.kind),
                ("key", &q.key),
                ("from", &q.from),
                ("to", &q.to),
                ("before", &last.id.to_string())
            ])
        ),
        _ => String::new(),
    };
    let page = AuditPage {
        c: Chrome::new(
            &identity,
            lang,
            lang.texts().audit_title,
            "audit",
            "/admin/audit",
        ),
        q,
        rows,
        older_link,
    };
    Ok(render(&page)?.into_response())
}
