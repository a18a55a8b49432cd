//! Commands an administrator scripts: serve, user, token, audit.

use std::net::SocketAddr;

use clap::Subcommand;
use dangbo_domain::access::Role;
use dangbo_store::auth::{self, NewUser};
use dangbo_store::{Db, Result, StoreError, audit, units};
use dangbo_web::AppState;

use crate::demo;
use crate::progress;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a user. The password comes from DANGBO_PASSWORD or is asked for.
    Add {
        username: String,
        /// administrator, organization, inspection, propaganda, mobilization, office, branch_secretary, viewer.
        #[arg(long)]
        role: String,
        /// The unit whose subtree the user sees (its code); the whole database without it.
        #[arg(long)]
        scope: Option<String>,
        /// The name shown in the app.
        #[arg(long, default_value = "")]
        name: String,
    },
    /// List users.
    List,
    /// Disable a user (ends their sessions).
    Disable { username: String },
    /// Enable a disabled user.
    Enable { username: String },
    /// Set a new password (from DANGBO_PASSWORD or asked for); ends the user's sessions.
    ResetPassword { username: String },
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create an API token scoped like a user; prints the secret once.
    Add {
        name: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        scope: Option<String>,
    },
    /// List API tokens.
    List,
    /// Revoke an API token.
    Revoke { id: i64 },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain from the first row to the last.
    Verify,
}

/// The command line acts as an administrator over the whole database: whoever can run it can
/// open the database file anyway. The audit log names the operating-system user.
pub fn cli_administrator() -> dangbo_store::access::Actor {
    dangbo_store::access::Actor {
        name: cli_actor(),
        display_name: "Dòng lệnh".into(),
        role: Role::Administrator,
        scope: units::everything(),
    }
}

/// Who did it, in the audit log, for changes made from the command line.
fn cli_actor() -> String {
    format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    )
}

fn parse_role(text: &str) -> Result<Role> {
    Role::parse(text).ok_or_else(|| {
        StoreError::Invalid(format!(
            "vai trò «{text}» không có; cần một trong: {}",
            Role::ALL
                .iter()
                .map(|r| r.code())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

fn read_password() -> Result<String> {
    if let Ok(password) = std::env::var("DANGBO_PASSWORD") {
        return Ok(password);
    }
    let first = rpassword::prompt_password("Mật khẩu: ")
        .map_err(|e| StoreError::Config(format!("không đọc được mật khẩu: {e}")))?;
    let again = rpassword::prompt_password("Nhập lại mật khẩu: ")
        .map_err(|e| StoreError::Config(format!("không đọc được mật khẩu: {e}")))?;
    if first != again {
        return Err(StoreError::Invalid(
            "hai lần nhập mật khẩu không khớp".into(),
        ));
    }
    Ok(first)
}

pub async fn user(db: &Db, command: UserCommand) -> Result<()> {
    let actor = cli_actor();
    match command {
        UserCommand::List => {
            let mut tx = db.begin().await?;
            let users = auth::users(&mut tx).await?;
            let all = units::all_units(&mut tx).await?;
            tx.rollback().await?;
            for u in users {
                let scope = u
                    .scope_unit_id
                    .and_then(|id| all.get(&id))
                    .map(|unit| unit.code.clone())
                    .unwrap_or_else(|| "*".into());
                emit!(
                    "{}\t{}\t{}\t{}\t{}",
                    u.username,
                    u.role.code(),
                    scope,
                    if u.disabled {
                        "đã khoá"
                    } else {
                        "đang dùng"
                    },
                    u.display_name
                );
            }
            Ok(())
        }
        UserCommand::Add {
            username,
            role,
            scope,
            name,
        } => {
            let role = parse_role(&role)?;
            let password = read_password()?;
            let mut tx = db.begin_write().await?;
            let new = NewUser {
                username,
                display_name: name,
                password,
                role,
                scope_code: scope,
            };
            let user = auth::create_user(&mut tx, &actor, &new).await?;
            tx.commit().await?;
            emit!(
                "Đã thêm người dùng «{}» ({}).",
                user.username,
                user.role.label_vi()
            );
            Ok(())
        }
        UserCommand::Disable { username } => set_disabled(db, &actor, &username, true).await,
        UserCommand::Enable { username } => set_disabled(db, &actor, &username, false).await,
        UserCommand::ResetPassword { username } => {
            let password = read_password()?;
            let mut tx = db.begin_write().await?;
            auth::set_password(&mut tx, &actor, &username, &password).await?;
            tx.commit().await?;
            emit!(
                "Đã đặt lại mật khẩu cho «{username}»; các phiên đăng nhập của người này đã kết thúc."
            );
            Ok(())
        }
    }
}

async fn set_disabled(db: &Db, actor: &str, username: &str, disabled: bool) -> Result<()> {
    let mut tx = db.begin_write().await?;
    auth::set_disabled(&mut tx, actor, username, disabled).await?;
    tx.commit().await?;
    emit!(
        "Đã {} «{username}».",
        if disabled { "khoá" } else { "mở khoá" }
    );
    Ok(())
}

pub async fn token(db: &Db, command: TokenCommand) -> Result<()> {
    let actor = cli_actor();
    match command {
        TokenCommand::Add { name, role, scope } => {
            let role = parse_role(&role)?;
            let mut tx = db.begin_write().await?;
            let (token, secret) =
                auth::create_token(&mut tx, &actor, &name, role, scope.as_deref()).await?;
            tx.commit().await?;
            emit!("Mã truy cập #{} «{}»: {secret}", token.id, token.name);
            emit!("Lưu lại ngay: mã này không hiện lại lần nào nữa.");
        }
        TokenCommand::List => {
            let mut tx = db.begin().await?;
            let tokens = auth::tokens(&mut tx).await?;
            tx.rollback().await?;
            for t in tokens {
                emit!(
                    "#{}\t{}\t{}\t{}",
                    t.id,
                    t.role.code(),
                    if t.revoked {
                        "đã thu hồi"
                    } else {
                        "đang dùng"
                    },
                    t.name
                );
            }
        }
        TokenCommand::Revoke { id } => {
            let mut tx = db.begin_write().await?;
            auth::revoke_token(&mut tx, &actor, id).await?;
            tx.commit().await?;
            emit!("Đã thu hồi mã truy cập #{id}.");
        }
    }
    Ok(())
}

/// Verifies the audit chain; an error (non-zero exit) when it is broken.
pub async fn audit(db: &Db, command: AuditCommand) -> Result<()> {
    match command {
        AuditCommand::Verify => {
            let result = audit::verify(db).await?;
            match result.broken_at {
                None => {
                    emit!(
                        "Nhật ký toàn vẹn: {} dòng, chuỗi mã băm khớp.",
                        result.entries
                    );
                    Ok(())
                }
                Some((id, reason)) => Err(StoreError::Invalid(format!(
                    "nhật ký bị can thiệp tại dòng #{id}: {reason}"
                ))),
            }
        }
    }
}

/// The password of the demo's accounts (printed at start; demo data only).
pub const DEMO_PASSWORD: &str = "dangbo-demo";

/// The demo's accounts: username, display name, role, scope unit code.
pub const DEMO_USERS: [(&str, &str, Role, Option<&str>); 4] = [
    (
        "quantri",
        "Quản trị hệ thống, toàn bộ dữ liệu",
        Role::Administrator,
        None,
    ),
    (
        "tochuc",
        "Ban Tổ chức Tỉnh ủy Thái Nguyên",
        Role::Organization,
        Some("T19"),
    ),
    (
        "bangthanh",
        "Cán bộ Đảng ủy xã Bằng Thành",
        Role::Organization,
        Some("X2025-01864"),
    ),
    (
        "xem",
        "Chỉ xem, Đảng ủy xã Cao Minh",
        Role::Viewer,
        Some("X2025-01879"),
    ),
];

/// Fills an empty database with the demo district and its accounts.
async fn prepare_demo(db: &Db) -> Result<String> {
    let mut tx = db.begin().await?;
    let empty = units::all_units(&mut tx).await?.is_empty();
    let users = auth::user_count(&mut tx).await?;
    tx.rollback().await?;
    if empty {
        eprintln!("Đang nạp dữ liệu mẫu (huyện Pác Nặm, 2003–2026)…");
        let mut bar = progress::Bar::new();
        let message = demo::fill(db, demo::Scale::District, &mut bar).await?;
        bar.finish();
        eprintln!("{message}");
    }
    if users == 0 {
        let mut tx = db.begin_write().await?;
        for (username, name, role, scope) in DEMO_USERS {
            // A database that held other data may lack the demo's units: skip those accounts.
            let scope_exists = match scope {
                Some(code) => units::by_code(&mut tx, code).await?.is_some(),
                None => true,
            };
            if scope_exists {
                let new = NewUser {
                    username: username.into(),
                    display_name: name.into(),
                    password: DEMO_PASSWORD.into(),
                    role,
                    scope_code: scope.map(str::to_string),
                };
                auth::create_user(&mut tx, "demo", &new).await?;
            }
        }
        tx.commit().await?;
    }
    let lines: Vec<String> = DEMO_USERS
        .iter()
        .map(|(u, name, _, _)| format!("  {u} / {DEMO_PASSWORD} — {name}"))
        .collect();
    Ok(format!(
        "Tài khoản mẫu (tên / mật khẩu):\n{}",
        lines.join("\n")
    ))
}

pub async fn serve(db: Db, addr: SocketAddr, with_demo: bool, secure_cookies: bool) -> Result<()> {
    let hint = if with_demo {
        prepare_demo(&db).await?
    } else {
        String::new()
    };
    let mut tx = db.begin().await?;
    let users = auth::user_count(&mut tx).await?;
    tx.rollback().await?;
    if users == 0 {
        return Err(StoreError::Config(
            "chưa có người dùng nào. Tạo quản trị viên đầu tiên rồi chạy lại:\n  dangbo user add TÊN --role administrator --name \"Họ tên\"\n(hoặc chạy `dangbo serve --demo` để dùng thử với dữ liệu mẫu)".into(),
        ));
    }
    let mut state = AppState::new(db);
    state.secure_cookies = secure_cookies;
    state.sign_in_hint = hint.clone();
    dangbo_web::serve(state, addr, |bound| {
        emit!("Dangbo đang chạy: http://{bound}/  (Ctrl+C để dừng)");
        if !hint.is_empty() {
            emit!("{hint}");
        }
    })
    .await
    .map_err(|e| StoreError::Config(format!("không mở được cổng {addr}: {e}")))
}
