//! Administration: users, API tokens and the audit log.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use dangbo_domain::access::{Capability, Role};
use dangbo_store::StoreError;
use dangbo_store::audit::{Entry, Filter};
use dangbo_store::auth::{self, NewUser};
use dangbo_store::units;
use serde::Deserialize;

use super::Chrome;
use super::{Choice, choices};
use crate::error::render;
use crate::format::{self, query};
use crate::session::{Identity, Ui};
use crate::{AppError, AppState};

/// Administration is for roles that manage users; the store refuses the rest too.
fn require_admin(identity: &Identity) -> Result<(), AppError> {
    if identity.access.actor().can(Capability::ManageUsers) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "chỉ quản trị hệ thống được làm việc này".into(),
        ))
    }
}

pub struct UserRow {
    pub username: String,
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
    error: String,
    notice: String,
    new_token: String,
}

async fn users_page(
    state: &AppState,
    identity: &Identity,
    lang: crate::i18n::Lang,
    error: String,
    notice: String,
    new_token: String,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let users = auth::users(&mut tx).await?;
    let tokens = auth::tokens(&mut tx).await?;
    let all_units = units::all_units(&mut tx).await?;
    tx.rollback().await?;
    let scope_name = |id: Option<i64>| match id.and_then(|id| all_units.get(&id)) {
        Some(u) => format!("{} ({})", u.name, u.code),
        None => units::everything().name,
    };
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
            .map(|u| UserRow {
                scope: scope_name(u.scope_unit_id),
                role: u.role.label_vi(),
                username: u.username,
                display_name: u.display_name,
                disabled: u.disabled,
            })
            .collect(),
        tokens: tokens
            .into_iter()
            .map(|t| TokenRow {
                scope: scope_name(t.scope_unit_id),
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
                .map(|r| (r.code().to_string(), r.label_vi().to_string()))
                .collect(),
        ),
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
    State(state): State<AppState>,
    Ui(identity, lang): Ui,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    require_admin(&identity)?;
    let notice = if q.ok.is_empty() {
        String::new()
    } else {
        lang.texts().saved.to_string()
    };
    users_page(
        &state,
        &identity,
        lang,
        String::new(),
        notice,
        String::new(),
    )
    .await
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

/// Runs an administrative change in a write transaction; a refusal is shown on the users page.
async fn admin_change<F>(
    state: &AppState,
    identity: &Identity,
    lang: crate::i18n::Lang,
    change: F,
) -> Result<Response, AppError>
where
    F: AsyncFnOnce(&mut dangbo_store::Tx, &str) -> Result<Option<String>, StoreError>,
{
    require_admin(identity)?;
    let actor = identity.access.actor().name.clone();
    let mut tx = state.db.begin_write().await?;
    match change(&mut tx, &actor).await {
        Ok(secret) => {
            tx.commit().await?;
            match secret {
                Some(secret) => {
                    users_page(state, identity, lang, String::new(), String::new(), secret).await
                }
                None => Ok(Redirect::to("/admin/users?ok=1").into_response()),
            }
        }
        Err(StoreError::Invalid(message)) | Err(StoreError::NotFound(message)) => {
            tx.rollback().await?;
            users_page(state, identity, lang, message, String::new(), String::new()).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn add_user(
    State(state): State<AppState>,
    Ui(identity, lang): Ui,
    Form(form): Form<UserForm>,
) -> Result<Response, AppError> {
    admin_change(&state, &identity, lang, async |tx, actor| {
        let role = Role::parse(&form.role).ok_or_else(|| {
            StoreError::Invalid(format!(
                "vai trò «{}» không có; cần một trong: {}",
                form.role,
                Role::expected_vi()
            ))
        })?;
        let new = NewUser {
            username: form.username.clone(),
            display_name: form.display_name.clone(),
            password: form.password.clone(),
            role,
            scope_code: Some(form.scope.clone()).filter(|s| !s.trim().is_empty()),
        };
        auth::create_user(tx, actor, &new).await.map(|_| None)
    })
    .await
}

pub async fn disable_user(
    State(state): State<AppState>,
    Ui(identity, lang): Ui,
    Path(username): Path<String>,
) -> Result<Response, AppError> {
    admin_change(&state, &identity, lang, async |tx, actor| {
        auth::set_disabled(tx, actor, &username, true)
            .await
            .map(|_| None)
    })
    .await
}

pub async fn enable_user(
    State(state): State<AppState>,
    Ui(identity, lang): Ui,
    Path(username): Path<String>,
) -> Result<Response, AppError> {
    admin_change(&state, &identity, lang, async |tx, actor| {
        auth::set_disabled(tx, actor, &username, false)
            .await
            .map(|_| None)
    })
    .await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

pub async fn reset_password(
    State(state): State<AppState>,
    Ui(identity, lang): Ui,
    Path(username): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    admin_change(&state, &identity, lang, async |tx, actor| {
        auth::set_password(tx, actor, &username, &form.password)
            .await
            .map(|_| None)
    })
    .await
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
    State(state): State<AppState>,
    Ui(identity, lang): Ui,
    Form(form): Form<TokenForm>,
) -> Result<Response, AppError> {
    admin_change(&state, &identity, lang, async |tx, actor| {
        let role = Role::parse(&form.role)
            .ok_or_else(|| StoreError::Invalid(format!("vai trò «{}» không có", form.role)))?;
        let scope = Some(form.scope.as_str()).filter(|s| !s.trim().is_empty());
        auth::create_token(tx, actor, &form.name, role, scope)
            .await
            .map(|(_, secret)| Some(secret))
    })
    .await
}

pub async fn revoke_token(
    State(state): State<AppState>,
    Ui(identity, lang): Ui,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    admin_change(&state, &identity, lang, async |tx, actor| {
        auth::revoke_token(tx, actor, id).await.map(|_| None)
    })
    .await
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
    let filter = Filter {
        actor: Some(q.actor.clone()),
        record_kind: Some(q.kind.clone()),
        record_key: Some(q.key.clone()),
        from: format::parse_date(&q.from),
        to: format::parse_date(&q.to),
        before_id: q.before.parse().ok(),
        limit: AUDIT_PAGE,
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
