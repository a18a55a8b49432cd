//! Signing in, sessions and API tokens: the way in, before there is an actor. These take the
//! database itself; everything after them goes through an [`Access`] built from the actor they
//! return.

use super::{Access, Actor};
use crate::auth;
use crate::{Db, Result, StoreError};

pub use crate::auth::{
    ABSOLUTE_SECONDS, IDLE_SECONDS, MAX_ADDRESS_DELAY_SECONDS, MAX_FAILURES_PER_ACCOUNT,
    MAX_FAILURES_PER_ADDRESS, NewSession, PasswordChange, Session, SignInError,
    THROTTLE_WINDOW_SECONDS, address_delay,
};

/// The sign-in and session operations over a database.
pub struct Sessions<'a> {
    db: &'a Db,
}

impl<'a> Sessions<'a> {
    pub fn new(db: &'a Db) -> Sessions<'a> {
        Sessions { db }
    }

    /// Whether any user exists (a database without one must be given an administrator first).
    pub async fn has_users(&self) -> Result<bool> {
        let mut tx = self.db.begin().await?;
        let count = auth::user_count(&mut tx).await?;
        tx.rollback().await?;
        Ok(count > 0)
    }

    /// Checks a password and starts a session, counting failures per account and per address.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        address: &str,
    ) -> Result<std::result::Result<NewSession, SignInError>> {
        auth::sign_in(self.db, username, password, address).await
    }

    /// The session of a cookie token with its scoped handle, if it is live.
    pub async fn resume(&self, token: &str) -> Result<Option<(Session, Access)>> {
        let Some(session) = auth::resume(self.db, token).await? else {
            return Ok(None);
        };
        let access = self.access_of_user(&session.user).await?;
        Ok(Some((session, access)))
    }

    /// Ends a session (sign-out).
    pub async fn end(&self, token: &str) -> Result<()> {
        auth::end(self.db, token).await
    }

    /// The scoped handle of a live API token.
    pub async fn token(&self, secret: &str) -> Result<Option<Access>> {
        let Some(token) = auth::token_by_secret(self.db, secret).await? else {
            return Ok(None);
        };
        let mut tx = self.db.begin().await?;
        let actor = Actor::with_scope(
            &mut tx,
            format!("token:{}", token.id),
            token.name.clone(),
            token.role,
            token.scope_unit_id,
        )
        .await?;
        tx.rollback().await?;
        Ok(Some(Access::new(self.db.clone(), actor)))
    }

    /// The scoped handle of an enabled user, by username (for tests and tools that act as a user).
    pub async fn access_of(&self, username: &str) -> Result<Option<Access>> {
        let mut tx = self.db.begin().await?;
        let user = auth::user_by_name(&mut tx, username).await?;
        tx.rollback().await?;
        match user {
            Some(user) if !user.disabled => Ok(Some(self.access_of_user(&user).await?)),
            _ => Ok(None),
        }
    }

    async fn access_of_user(&self, user: &auth::User) -> Result<Access> {
        let mut tx = self.db.begin().await?;
        let actor = Actor::with_scope(
            &mut tx,
            user.username.clone(),
            user.display_name.clone(),
            user.role,
            user.scope_unit_id,
        )
        .await?;
        tx.rollback().await?;
        Ok(Access::new(self.db.clone(), actor))
    }
}

impl Access {
    /// The signed-in user's own account, if the actor is a user (not a token or the command line).
    async fn own_user(&self, tx: &mut crate::Tx) -> Result<Option<auth::User>> {
        auth::user_by_name(tx, &self.actor.name).await
    }

    /// Changes the actor's own password after checking the current one; ends their sessions. A
    /// wrong current password counts against the account as a failed sign-in does, so a stolen
    /// session cannot be used to guess it.
    pub async fn change_own_password(&self, current: &str, new: &str) -> Result<PasswordChange> {
        let mut tx = self.db.begin_write().await?;
        let Some(user) = self.own_user(&mut tx).await? else {
            tx.rollback().await?;
            return Err(StoreError::Forbidden(
                "chỉ người dùng đăng nhập mới đổi được mật khẩu của mình".into(),
            ));
        };
        if let Err(refused) = auth::check_current_password(&mut tx, &user, current).await? {
            // The failure is counted, so it is kept.
            tx.commit().await?;
            return Ok(refused);
        }
        auth::set_password(&mut tx, &user, new).await?;
        let path = self.actor.scope.path.clone();
        self.audit(
            &mut tx,
            "user.password",
            "user",
            &user.username,
            &path,
            serde_json::Value::Null,
            serde_json::json!({ "password": "changed" }),
        )
        .await?;
        tx.commit().await?;
        Ok(PasswordChange::Changed)
    }
}
