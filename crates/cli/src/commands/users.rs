//! `dangbo user` and `dangbo token`: users and API tokens, through the access layer.

use clap::Subcommand;
use dangbo_domain::access::Role;
use dangbo_store::access::{NewToken, NewUser};
use dangbo_store::{Db, Result, StoreError};

use super::cli_access;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a user. The password comes from DANGBO_PASSWORD or is asked for.
    Add {
        /// The name the user signs in with.
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
    Disable {
        /// The user's sign-in name.
        username: String,
    },
    /// Enable a disabled user.
    Enable {
        /// The user's sign-in name.
        username: String,
    },
    /// Set a new password (from DANGBO_PASSWORD or asked for); ends the user's sessions.
    ResetPassword {
        /// The user's sign-in name.
        username: String,
    },
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create an API token scoped like a user; prints the secret once.
    Add {
        /// A name saying who or what uses the token.
        name: String,
        /// The token's role, as for a user.
        #[arg(long)]
        role: String,
        /// The unit whose subtree the token sees (its code); the whole database without it.
        #[arg(long)]
        scope: Option<String>,
    },
    /// List API tokens.
    List,
    /// Revoke an API token.
    Revoke {
        /// The token's number, as `token list` shows it.
        id: i64,
    },
}

fn parse_role(text: &str) -> Result<Role> {
    Role::parse(text).ok_or_else(|| {
        StoreError::invalid(
            "role.unknown",
            format!(
                "vai trò «{text}» không có; cần một trong: {}",
                Role::ALL
                    .iter()
                    .map(|r| r.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
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
        return Err(StoreError::invalid(
            "password.mismatch",
            "hai lần nhập mật khẩu không khớp",
        ));
    }
    Ok(first)
}

pub async fn user(db: &Db, command: UserCommand) -> Result<()> {
    let access = cli_access(db);
    let admin = access.user_admin()?;
    match command {
        UserCommand::List => {
            for (u, scope) in admin.users().await? {
                emit!(
                    "{}\t{}\t{}\t{}\t{}",
                    u.username,
                    u.role.code(),
                    scope.map(|unit| unit.code).unwrap_or_else(|| "*".into()),
                    if u.disabled {
                        "đã khóa"
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
            let new = NewUser {
                username,
                display_name: name,
                password,
                role,
                scope_code: scope,
            };
            let user = admin.create_user(&new).await?;
            emit!(
                "Đã thêm người dùng «{}» ({}).",
                user.username,
                user.role.label_vi()
            );
            Ok(())
        }
        UserCommand::Disable { username } => {
            admin.set_disabled(&username, true).await?;
            emit!("Đã khóa «{username}».");
            Ok(())
        }
        UserCommand::Enable { username } => {
            admin.set_disabled(&username, false).await?;
            emit!("Đã mở khóa «{username}».");
            Ok(())
        }
        UserCommand::ResetPassword { username } => {
            let password = read_password()?;
            admin.reset_password(&username, &password).await?;
            emit!(
                "Đã đặt lại mật khẩu cho «{username}»; các phiên đăng nhập của người này đã kết thúc."
            );
            Ok(())
        }
    }
}

pub async fn token(db: &Db, command: TokenCommand) -> Result<()> {
    let access = cli_access(db);
    let admin = access.user_admin()?;
    match command {
        TokenCommand::Add { name, role, scope } => {
            let new = NewToken {
                name,
                role: parse_role(&role)?,
                scope_code: scope,
            };
            let (token, secret) = admin.create_token(&new).await?;
            emit!("Mã truy cập #{} «{}»: {secret}", token.id, token.name);
            emit!("Lưu lại ngay: mã này không hiện lại lần nào nữa.");
        }
        TokenCommand::List => {
            for (t, _) in admin.tokens().await? {
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
            admin.revoke_token(id).await?;
            emit!("Đã thu hồi mã truy cập #{id}.");
        }
    }
    Ok(())
}
