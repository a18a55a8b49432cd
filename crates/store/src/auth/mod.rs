//! Users, sign-in with throttling, server-side sessions and API tokens.
//!
//! Passwords are hashed with Argon2id. Session and API tokens are random 256-bit values given to the
//! client once; the database keeps only their SHA-256, so a copy of it cannot be used to sign in.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use dangbo_domain::access::Role;
use dangbo_domain::input::TextKind;
use dangbo_domain::text::clean;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::tree::{self, Unit};
use crate::{Db, Result, StoreError, Tx};

/// A session ends after this long without a request…
pub const IDLE_SECONDS: i64 = 30 * 60;
/// …and this long after sign-in, whatever happens.
pub const ABSOLUTE_SECONDS: i64 = 12 * 60 * 60;
/// Failed sign-ins are counted over this window.
pub const THROTTLE_WINDOW_SECONDS: i64 = 15 * 60;
/// Failures per account within the window before it is locked for the rest of the window.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failures per client address within the window.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// A user account (never with its password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The unit whose subtree the user sees; `None` for the whole database.
    pub scope_unit_id: Option<i64>,
    pub disabled: bool,
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
    /// The scope unit's code; `None` for the whole database.
    pub scope_code: Option<String>,
}

/// Seconds since the Unix epoch, now.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A new random token, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Checks a new password against the policy; the message is for the user.
pub fn check_password(password: &str) -> Result<()> {
    if let Err(problem) = TextKind::Password.check(password) {
        return Err(StoreError::Fields(vec![(
            "password".into(),
            format!("mật khẩu {problem}"),
        )]));
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(StoreError::Fields(vec![(
            "password".into(),
            format!("mật khẩu phải có ít nhất {MIN_PASSWORD_CHARS} ký tự"),
        )]));
    }
    Ok(())
}

fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Config(format!("không băm được mật khẩu: {e}")))
}

fn password_matches(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

fn parse_role(code: &str) -> std::result::Result<Role, sqlx::Error> {
    Role::parse(code).ok_or_else(|| sqlx::Error::Decode(format!("unknown role {code}").into()))
}

macro_rules! user_from_row {
    ($row:ident) => {
        Ok(User {
            id: $row.try_get("id")?,
            username: $row.try_get("username")?,
            display_name: $row.try_get("display_name")?,
            role: parse_role(&$row.try_get::<String, _>("role")?)?,
            scope_unit_id: $row.try_get("scope_unit_id")?,
            disabled: $row.try_get::<i64, _>("disabled")? != 0,
        })
    };
}

/// How many users there are (a database with none must be given an administrator first).
pub async fn user_count(tx: &mut Tx) -> Result<i64> {
    Ok(
        fetch_optional!(tx, "SELECT COUNT(*) AS n FROM users", [], |row| row
            .try_get::<i64, _>("n"))?
        .unwrap_or(0),
    )
}

/// Every user, by username.
pub async fn users(tx: &mut Tx) -> Result<Vec<User>> {
    Ok(fetch_all!(
        tx,
        "SELECT * FROM users ORDER BY username",
        [],
        |row| user_from_row!(row)
    )?)
}

pub async fn user_by_name(tx: &mut Tx, username: &str) -> Result<Option<User>> {
    Ok(fetch_optional!(
        tx,
        "SELECT * FROM users WHERE username = $1",
        [username.trim()],
        |row| user_from_row!(row)
    )?)
}

async fn scope_unit(tx: &mut Tx, scope_code: Option<&str>) -> Result<Option<Unit>> {
    match scope_code.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(code) => Ok(Some(tree::require(tx, code).await?)),
    }
}

/// Creates a user (the caller checks the scope and writes the audit row); returns it with its
/// scope unit.
pub(crate) async fn create_user(tx: &mut Tx, new: &NewUser) -> Result<(User, Option<Unit>)> {
    let username = clean(&new.username).to_lowercase();
    // A safe alphabet: names go into URLs, and `token:…` or `cli:…` are other kinds of actors.
    let valid = !username.is_empty()
        && username.len() <= 64
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !valid {
        return Err(StoreError::Fields(vec![(
            "username".into(),
            format!(
                "tên đăng nhập «{}» không hợp lệ: cần chữ không dấu a–z, chữ số, dấu chấm, gạch dưới hoặc gạch ngang (tối đa 64 ký tự)",
                new.username
            ),
        )]));
    }
    if user_by_name(tx, &username).await?.is_some() {
        return Err(StoreError::Fields(vec![(
            "username".into(),
            format!("tên đăng nhập «{username}» đã có người dùng"),
        )]));
    }
    check_password(&new.password)?;
    let scope = scope_unit(tx, new.scope_code.as_deref()).await?;
    let hash = hash_password(&new.password)?;
    let at = now();
    let display_name = clean(&new.display_name);
    if let Err(problem) = TextKind::Name.check(&display_name) {
        return Err(StoreError::Fields(vec![(
            "display_name".into(),
            format!("tên hiển thị {problem}"),
        )]));
    }
    execute!(
        tx,
        "INSERT INTO users (username, display_name, password_hash, role, scope_unit_id, disabled, \
         created_at, password_changed_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $6)",
        [
            username.as_str(),
            display_name.as_str(),
            hash.as_str(),
            new.role.code(),
            scope.as_ref().map(|u| u.id),
            at
        ]
    )?;
    let user = user_by_name(tx, &username)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("người dùng «{username}»")))?;
    Ok((user, scope))
}

/// Disables or re-enables a user; disabling ends their sessions.
pub(crate) async fn set_disabled(tx: &mut Tx, user: &User, disabled: bool) -> Result<()> {
    execute!(
        tx,
        "UPDATE users SET disabled = $1 WHERE id = $2",
        [i64::from(disabled), user.id]
    )?;
    if disabled {
        execute!(tx, "DELETE FROM sessions WHERE user_id = $1", [user.id])?;
    }
    Ok(())
}

/// Sets a new password and ends the user's sessions.
pub(crate) async fn set_password(tx: &mut Tx, user: &User, password: &str) -> Result<()> {
    check_password(password)?;
    let hash = hash_password(password)?;
    execute!(
        tx,
        "UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3",
        [hash.as_str(), now(), user.id]
    )?;
    execute!(tx, "DELETE FROM sessions WHERE user_id = $1", [user.id])?;
    Ok(())
}

/// Whether `password` is the user's current password.
pub async fn password_is(tx: &mut Tx, user_id: i64, password: &str) -> Result<bool> {
    let hash = fetch_optional!(
        tx,
        "SELECT password_hash FROM users WHERE id = $1",
        [user_id],
        |row| row.try_get::<String, _>("password_hash")
    )?;
    Ok(hash.is_some_and(|h| password_matches(&h, password)))
}

/// Why a sign-in failed. Both wrong name and wrong password read the same to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInError {
    /// Wrong username or password, or the account is disabled.
    Refused,
    /// Too many failures lately; try again after this many minutes.
    Throttled { minutes: i64 },
}

/// A session just started: the token for the cookie and the CSRF token for forms.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub user: User,
}

async fn failures_since(tx: &mut Tx, subject: &str, since: i64) -> Result<(i64, i64)> {
    Ok(fetch_optional!(
        tx,
        "SELECT COUNT(*) AS n, MIN(failed_at) AS first FROM sign_in_failures \
         WHERE subject = $1 AND failed_at > $2",
        [subject, since],
        |row| Ok((
            row.try_get::<i64, _>("n")?,
            row.try_get::<Option<i64>, _>("first")?.unwrap_or(since)
        ))
    )?
    .unwrap_or((0, since)))
}

/// How long a sign-in from an address waits, given its failures in the window: nothing up to the
/// limit, then one more second per failure, at most [`MAX_ADDRESS_DELAY_SECONDS`]. Many people can
/// sit behind one address (an office's proxy), so an address is slowed, never locked out: the
/// right password of a real account still signs in.
pub fn address_delay(failures: i64) -> std::time::Duration {
    let over = (failures - MAX_FAILURES_PER_ADDRESS + 1).clamp(0, MAX_ADDRESS_DELAY_SECONDS);
    std::time::Duration::from_secs(over.unsigned_abs())
}

/// The longest wait of a sign-in from an address with many failures.
pub const MAX_ADDRESS_DELAY_SECONDS: i64 = 10;

/// Minutes until an account may try again, when it has reached its failure limit.
async fn account_locked(tx: &mut Tx, account: &str, at: i64) -> Result<Option<i64>> {
    let since = at - THROTTLE_WINDOW_SECONDS;
    let (count, first) = failures_since(tx, account, since).await?;
    Ok((count >= MAX_FAILURES_PER_ACCOUNT)
        .then(|| ((first + THROTTLE_WINDOW_SECONDS - at) / 60).max(1)))
}

async fn record_failure(tx: &mut Tx, subjects: &[&str], at: i64) -> Result<()> {
    for subject in subjects {
        execute!(
            tx,
            "INSERT INTO sign_in_failures (subject, failed_at) VALUES ($1, $2)",
            [*subject, at]
        )?;
    }
    Ok(())
}

/// The failure counter of an account (shared by sign-in and password change).
fn account_subject(username: &str) -> String {
    format!("user:{username}")
}

/// Checks a password and starts a session. Failures are counted per account (locked for the
/// window after [`MAX_FAILURES_PER_ACCOUNT`]) and per address (slowed, see [`address_delay`]).
///
/// Every attempt is first counted as a failure, under the writer lock, and forgiven only once the
/// password proved right: parallel guesses therefore each see the ones before them, and the lock
/// holds at five whatever the number of connections. The password hash is checked outside any
/// transaction, so guessing never holds up other writers.
pub async fn sign_in(
    db: &Db,
    username: &str,
    password: &str,
    address: &str,
) -> Result<std::result::Result<NewSession, SignInError>> {
    let username = clean(username).to_lowercase();
    // No account has a name with control characters (names are codes); such a name is not even
    // looked up, and is not counted against anyone.
    if TextKind::Line.check(&username).is_err() {
        return Ok(Err(SignInError::Refused));
    }
    let account = account_subject(&username);
    let client = format!("addr:{address}");
    let at = now();
    let mut tx = db.begin_write().await?;
    execute!(
        &mut tx,
        "DELETE FROM sign_in_failures WHERE failed_at <= $1",
        [at - THROTTLE_WINDOW_SECONDS]
    )?;
    if let Some(minutes) = account_locked(&mut tx, &account, at).await? {
        tx.commit().await?;
        return Ok(Err(SignInError::Throttled { minutes }));
    }
    let (address_failures, _) =
        failures_since(&mut tx, &client, at - THROTTLE_WINDOW_SECONDS).await?;
    record_failure(&mut tx, &[&account, &client], at).await?;
    tx.commit().await?;
    // The wait happens outside any transaction, so it holds up nobody else.
    let delay = address_delay(address_failures);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let mut tx = db.begin().await?;
    let row = fetch_optional!(
        &mut tx,
        "SELECT * FROM users WHERE username = $1",
        [username.as_str()],
        |row| {
            let user: std::result::Result<User, sqlx::Error> = user_from_row!(row);
            Ok((user?, row.try_get::<String, _>("password_hash")?))
        }
    )?;
    tx.rollback().await?;
    // Verify against a real hash even for unknown names, so timing does not reveal which exist.
    let hash = row
        .as_ref()
        .map_or_else(|| dummy_hash().to_string(), |(_, hash)| hash.clone());
    let typed = password.to_string();
    let matches = tokio::task::spawn_blocking(move || password_matches(&hash, &typed))
        .await
        .map_err(|e| StoreError::Config(format!("không kiểm tra được mật khẩu: {e}")))?;
    let Some(user) = row
        .map(|(user, _)| user)
        .filter(|user| matches && !user.disabled)
    else {
        // The failure was counted before the check.
        return Ok(Err(SignInError::Refused));
    };
    let mut tx = db.begin_write().await?;
    // Disabled meanwhile: refused, and the failure stays counted.
    let still_enabled = user_by_name(&mut tx, &username)
        .await?
        .is_some_and(|u| u.id == user.id && !u.disabled);
    if !still_enabled {
        tx.commit().await?;
        return Ok(Err(SignInError::Refused));
    }
    // The right password forgives the account's failures and this attempt's count against the
    // address (with others from the address in the same second: a slight undercount, never more).
    execute!(
        &mut tx,
        "DELETE FROM sign_in_failures WHERE subject = $1 OR (subject = $2 AND failed_at = $3)",
        [account.as_str(), client.as_str(), at]
    )?;
    let token = random_token();
    execute!(
        &mut tx,
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $4)",
        [token_hash(&token), user.id, random_token(), now()]
    )?;
    tx.commit().await?;
    Ok(Ok(NewSession { token, user }))
}

/// What a password change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordChange {
    Changed,
    /// The current password given was wrong (counted like a failed sign-in).
    WrongCurrent,
    /// Too many wrong passwords for this account lately; try again after this many minutes.
    Throttled {
        minutes: i64,
    },
}

/// Checks the current password of a user changing their own, counting a wrong one against the
/// account as a failed sign-in is counted: true when it is right and the account is not locked.
pub(crate) async fn check_current_password(
    tx: &mut Tx,
    user: &User,
    current: &str,
) -> Result<std::result::Result<(), PasswordChange>> {
    let account = account_subject(&user.username);
    let at = now();
    if let Some(minutes) = account_locked(tx, &account, at).await? {
        return Ok(Err(PasswordChange::Throttled { minutes }));
    }
    if password_is(tx, user.id, current).await? {
        return Ok(Ok(()));
    }
    record_failure(tx, &[&account], at).await?;
    Ok(Err(PasswordChange::WrongCurrent))
}

fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("dangbo-no-such-user").unwrap_or_default())
}

/// A live session.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
}

/// Finds the session of a cookie token, ending it if it has expired; refreshes its idle timer.
pub async fn resume(db: &Db, token: &str) -> Result<Option<Session>> {
    let at = now();
    let key = token_hash(token);
    let mut tx = db.begin().await?;
    // The session and its user in one read: this runs in front of every request.
    let row = fetch_optional!(
        &mut tx,
        "SELECT u.*, s.csrf_token, s.created_at AS session_created_at, s.last_seen_at \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        [key.as_str()],
        |row| {
            let user: std::result::Result<User, sqlx::Error> = user_from_row!(row);
            Ok((
                user?,
                row.try_get::<String, _>("csrf_token")?,
                row.try_get::<i64, _>("session_created_at")?,
                row.try_get::<i64, _>("last_seen_at")?,
            ))
        }
    )?;
    tx.rollback().await?;
    let Some((user, csrf_token, created, seen)) = row else {
        return Ok(None);
    };
    if at - seen > IDLE_SECONDS || at - created > ABSOLUTE_SECONDS {
        end(db, token).await?;
        return Ok(None);
    }
    if user.disabled {
        return Ok(None);
    }
    // Writing on every request would serialise readers on SQLite; a minute's precision is enough.
    if at - seen >= 60 {
        let mut tx = db.begin_write().await?;
        execute!(
            &mut tx,
            "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2",
            [at, key.as_str()]
        )?;
        tx.commit().await?;
    }
    Ok(Some(Session { user, csrf_token }))
}

/// Ends a session (sign-out), and removes any session that has expired.
pub async fn end(db: &Db, token: &str) -> Result<()> {
    let at = now();
    let mut tx = db.begin_write().await?;
    execute!(
        &mut tx,
        "DELETE FROM sessions WHERE token_hash = $1 OR last_seen_at < $2 OR created_at < $3",
        [token_hash(token), at - IDLE_SECONDS, at - ABSOLUTE_SECONDS]
    )?;
    tx.commit().await?;
    Ok(())
}

/// An API token as listed (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub scope_unit_id: Option<i64>,
    pub created_by: String,
    pub revoked: bool,
}

macro_rules! token_from_row {
    ($row:ident) => {
        Ok(ApiToken {
            id: $row.try_get("id")?,
            name: $row.try_get("name")?,
            role: parse_role(&$row.try_get::<String, _>("role")?)?,
            scope_unit_id: $row.try_get("scope_unit_id")?,
            created_by: $row.try_get("created_by")?,
            revoked: $row.try_get::<i64, _>("revoked")? != 0,
        })
    };
}

/// Creates an API token scoped like a user; returns it with its scope unit and the secret, which
/// is shown once.
pub(crate) async fn create_token(
    tx: &mut Tx,
    created_by: &str,
    name: &str,
    role: Role,
    scope_code: Option<&str>,
) -> Result<(ApiToken, Option<Unit>, String)> {
    let name = clean(name);
    if let Err(problem) = TextKind::Name.check(&name) {
        return Err(StoreError::Fields(vec![(
            "name".into(),
            format!("tên mã truy cập {problem}"),
        )]));
    }
    if name.is_empty() {
        return Err(StoreError::Fields(vec![(
            "name".into(),
            "tên mã truy cập không được để trống".into(),
        )]));
    }
    let scope = scope_unit(tx, scope_code).await?;
    let secret = format!("dbt_{}", random_token());
    let id = fetch_optional!(
        tx,
        "INSERT INTO api_tokens (name, token_hash, role, scope_unit_id, created_by, created_at, revoked) \
         VALUES ($1, $2, $3, $4, $5, $6, 0) RETURNING id",
        [
            name.as_str(),
            token_hash(&secret),
            role.code(),
            scope.as_ref().map(|u| u.id),
            created_by,
            now()
        ],
        |row| row.try_get::<i64, _>("id")
    )?
    .ok_or_else(|| StoreError::invalid("store.write_failed", "không tạo được mã truy cập"))?;
    let token = ApiToken {
        id,
        name,
        role,
        scope_unit_id: scope.as_ref().map(|u| u.id),
        created_by: created_by.to_string(),
        revoked: false,
    };
    Ok((token, scope, secret))
}

/// Every API token, newest first.
pub async fn tokens(tx: &mut Tx) -> Result<Vec<ApiToken>> {
    Ok(fetch_all!(
        tx,
        "SELECT * FROM api_tokens ORDER BY id DESC",
        [],
        |row| token_from_row!(row)
    )?)
}

/// Revokes a token.
pub(crate) async fn revoke_token(tx: &mut Tx, id: i64) -> Result<()> {
    let changed = execute!(
        tx,
        "UPDATE api_tokens SET revoked = 1 WHERE id = $1 AND revoked = 0",
        [id]
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound(format!("mã truy cập số {id}")));
    }
    Ok(())
}

/// A token by id, revoked or not.
pub(crate) async fn token_by_id(tx: &mut Tx, id: i64) -> Result<Option<ApiToken>> {
    Ok(fetch_optional!(
        tx,
        "SELECT * FROM api_tokens WHERE id = $1",
        [id],
        |row| token_from_row!(row)
    )?)
}

/// The live token with this secret.
pub async fn token_by_secret(db: &Db, secret: &str) -> Result<Option<ApiToken>> {
    let mut tx = db.begin().await?;
    let token = fetch_optional!(
        &mut tx,
        "SELECT * FROM api_tokens WHERE token_hash = $1 AND revoked = 0",
        [token_hash(secret)],
        |row| token_from_row!(row)
    )?;
    tx.rollback().await?;
    Ok(token)
}
