//! Users and API tokens through the scope: a scoped administrator sees and manages only users and
//! tokens whose scope lies inside theirs, never grants a wider scope or a role that can do more
//! than their own, and cannot lock themselves out.

use std::collections::HashMap;

use dangbo_domain::access::{Capability, Role};
use serde_json::json;

use super::Access;
use crate::auth;
use crate::tree::Unit;
use crate::{Result, StoreError, Tx};

pub use crate::auth::{ApiToken, NewUser, User};

/// An API token to create.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub name: String,
    pub role: Role,
    /// The scope unit's code; `None` for the whole database.
    pub scope_code: Option<String>,
}

impl Access {
    /// Manages users and API tokens; only for roles that may.
    pub fn user_admin(&self) -> Result<UserAdmin<'_>> {
        self.allowed(Capability::ManageUsers)?;
        Ok(UserAdmin { access: self })
    }
}

/// Manages users and API tokens inside the scope, each change with its audit row.
pub struct UserAdmin<'a> {
    access: &'a Access,
}

/// A user or token's scope as listed: the unit, or `None` for the whole database.
type Scopes = HashMap<i64, Unit>;

impl UserAdmin<'_> {
    /// The path of a scope unit (`/` for the whole database).
    fn scope_path(scopes: &Scopes, scope_unit_id: Option<i64>) -> Option<String> {
        match scope_unit_id {
            None => Some("/".to_string()),
            Some(id) => scopes.get(&id).map(|u| u.path.clone()),
        }
    }

    /// Whether the actor may see and manage something scoped to `scope_unit_id` with `role`:
    /// inside its scope, with a role it could grant, and not another administrator of exactly its
    /// own scope (a peer: the level above manages both).
    fn manages(&self, scopes: &Scopes, scope_unit_id: Option<i64>, role: Role) -> bool {
        let actor = &self.access.actor;
        let Some(path) = Self::scope_path(scopes, scope_unit_id) else {
            return false;
        };
        actor.sees(&path) && actor.role.grants(role) && !self.is_peer(&path, role)
    }

    fn is_peer(&self, scope_path: &str, role: Role) -> bool {
        let actor = &self.access.actor;
        !actor.sees_everything() && role == Role::Administrator && scope_path == actor.scope.path
    }

    async fn scopes(tx: &mut Tx) -> Result<Scopes> {
        crate::tree::all_units(tx).await
    }

    /// Users the actor manages, by username, each with their scope unit (`None`: whole database).
    pub async fn users(&self) -> Result<Vec<(User, Option<Unit>)>> {
        let mut tx = self.access.read().await?;
        let scopes = Self::scopes(&mut tx).await?;
        let users = auth::users(&mut tx).await?;
        tx.rollback().await?;
        Ok(users
            .into_iter()
            .filter(|u| {
                u.username == self.access.actor.name
                    || self.manages(&scopes, u.scope_unit_id, u.role)
            })
            .map(|u| {
                let scope = u.scope_unit_id.and_then(|id| scopes.get(&id).cloned());
                (u, scope)
            })
            .collect())
    }

    /// API tokens the actor manages, newest first, each with its scope unit.
    pub async fn tokens(&self) -> Result<Vec<(ApiToken, Option<Unit>)>> {
        let mut tx = self.access.read().await?;
        let scopes = Self::scopes(&mut tx).await?;
        let tokens = auth::tokens(&mut tx).await?;
        tx.rollback().await?;
        Ok(tokens
            .into_iter()
            .filter(|t| self.manages(&scopes, t.scope_unit_id, t.role))
            .map(|t| {
                let scope = t.scope_unit_id.and_then(|id| scopes.get(&id).cloned());
                (t, scope)
            })
            .collect())
    }

    /// Checks what a new user or token would get: a role the actor may grant, and a scope inside
    /// the actor's (a scoped actor must name one). Problems come back per field.
    async fn check_grant(&self, tx: &mut Tx, role: Role, scope_code: Option<&str>) -> Result<()> {
        let actor = &self.access.actor;
        let mut problems = Vec::new();
        if !actor.role.grants(role) {
            problems.push((
                "role".to_string(),
                format!(
                    "vai trò «{}» có quyền mà vai trò «{}» của bạn không có",
                    role.label_vi(),
                    actor.role.label_vi()
                ),
            ));
        }
        match scope_code.map(str::trim).filter(|c| !c.is_empty()) {
            None if !actor.sees_everything() => problems.push((
                "scope".to_string(),
                format!(
                    "cần mã đơn vị trong phạm vi của bạn ({}); để trống là toàn bộ cơ sở dữ liệu",
                    actor.scope.name
                ),
            )),
            None => {}
            Some(code) => match self.access.unit_in(tx, code).await? {
                None => problems.push((
                    "scope".to_string(),
                    format!("không có đơn vị «{code}» trong phạm vi của bạn"),
                )),
                Some(unit) if self.is_peer(&unit.path, role) => problems.push((
                    "scope".to_string(),
                    "quản trị viên cùng phạm vi với bạn do cấp trên tạo; chọn một đơn vị trực thuộc"
                        .to_string(),
                )),
                Some(_) => {}
            },
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Fields(problems))
        }
    }

    /// Creates a user inside the scope.
    pub async fn create_user(&self, new: &NewUser) -> Result<User> {
        let mut tx = self.access.db.begin_write().await?;
        self.check_grant(&mut tx, new.role, new.scope_code.as_deref())
            .await?;
        let (user, scope) = auth::create_user(&mut tx, new).await?;
        let path = scope.as_ref().map_or("/".to_string(), |u| u.path.clone());
        self.access
            .audit(
                &mut tx,
                "user.create",
                "user",
                &user.username,
                &path,
                serde_json::Value::Null,
                json!({
                    "display_name": user.display_name,
                    "role": user.role.code(),
                    "scope": scope.map(|u| u.code),
                }),
            )
            .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// A user the actor manages, or not found (exactly as for a name that does not exist).
    async fn managed_user(&self, tx: &mut Tx, username: &str) -> Result<(User, String)> {
        let scopes = Self::scopes(tx).await?;
        let not_found = || StoreError::NotFound(format!("người dùng «{}»", username.trim()));
        let user = auth::user_by_name(tx, username)
            .await?
            .filter(|u| {
                u.username == self.access.actor.name
                    || self.manages(&scopes, u.scope_unit_id, u.role)
            })
            .ok_or_else(not_found)?;
        let path = Self::scope_path(&scopes, user.scope_unit_id).ok_or_else(not_found)?;
        Ok((user, path))
    }

    /// Disables or re-enables a user; disabling ends their sessions. Nobody disables themselves.
    pub async fn set_disabled(&self, username: &str, disabled: bool) -> Result<()> {
        let mut tx = self.access.db.begin_write().await?;
        let (user, path) = self.managed_user(&mut tx, username).await?;
        if disabled && user.username == self.access.actor.name {
            return Err(StoreError::invalid(
                "user.disable_self",
                "không thể tự khóa tài khoản của mình",
            ));
        }
        auth::set_disabled(&mut tx, &user, disabled).await?;
        self.access
            .audit(
                &mut tx,
                if disabled {
                    "user.disable"
                } else {
                    "user.enable"
                },
                "user",
                &user.username,
                &path,
                json!({ "disabled": user.disabled }),
                json!({ "disabled": disabled }),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a user's password and ends their sessions. The audit row says it changed, never what to.
    pub async fn reset_password(&self, username: &str, password: &str) -> Result<()> {
        let mut tx = self.access.db.begin_write().await?;
        let (user, path) = self.managed_user(&mut tx, username).await?;
        auth::set_password(&mut tx, &user, password).await?;
        self.access
            .audit(
                &mut tx,
                "user.password",
                "user",
                &user.username,
                &path,
                serde_json::Value::Null,
                json!({ "password": "changed" }),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates an API token inside the scope; returns it with its secret, shown once.
    pub async fn create_token(&self, new: &NewToken) -> Result<(ApiToken, String)> {
        let mut tx = self.access.db.begin_write().await?;
        self.check_grant(&mut tx, new.role, new.scope_code.as_deref())
            .await?;
        let (token, scope, secret) = auth::create_token(
            &mut tx,
            &self.access.actor.name,
            &new.name,
            new.role,
            new.scope_code.as_deref(),
        )
        .await?;
        let path = scope.as_ref().map_or("/".to_string(), |u| u.path.clone());
        self.access
            .audit(
                &mut tx,
                "token.create",
                "api_token",
                &token.id.to_string(),
                &path,
                serde_json::Value::Null,
                json!({
                    "name": token.name,
                    "role": token.role.code(),
                    "scope": scope.map(|u| u.code),
                }),
            )
            .await?;
        tx.commit().await?;
        Ok((token, secret))
    }

    /// Revokes a token the actor manages.
    pub async fn revoke_token(&self, id: i64) -> Result<()> {
        let mut tx = self.access.db.begin_write().await?;
        let scopes = Self::scopes(&mut tx).await?;
        let not_found = || StoreError::NotFound(format!("mã truy cập số {id}"));
        let token = auth::token_by_id(&mut tx, id)
            .await?
            .filter(|t| !t.revoked && self.manages(&scopes, t.scope_unit_id, t.role))
            .ok_or_else(not_found)?;
        let path = Self::scope_path(&scopes, token.scope_unit_id).ok_or_else(not_found)?;
        auth::revoke_token(&mut tx, id).await?;
        self.access
            .audit(
                &mut tx,
                "token.revoke",
                "api_token",
                &id.to_string(),
                &path,
                json!({ "revoked": false }),
                json!({ "revoked": true }),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
