//! `dangbo serve`: the web app, with the demo and its accounts on request.

use std::net::SocketAddr;

use dangbo_domain::access::Role;
use dangbo_store::access::{NewUser, Sessions};
use dangbo_store::{Db, Result, StoreError};
use dangbo_web::AppState;

use crate::demo;
use crate::progress;

/// The password of the demo's accounts (printed at start; demo data only).
pub const DEMO_PASSWORD: &str = "dangbo-demo";

/// The demo's accounts: username, display name, role, scope unit code.
pub const DEMO_USERS: [(&str, &str, Role, Option<&str>); 6] = [
    ("quantri", "Quản trị hệ thống", Role::Administrator, None),
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
        "kiemtra",
        "Ủy ban Kiểm tra Đảng ủy xã Bằng Thành",
        Role::Inspection,
        Some("X2025-01864"),
    ),
    (
        "tuyengiao",
        "Ban Tuyên giáo Tỉnh ủy Thái Nguyên",
        Role::Propaganda,
        Some("T19"),
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
    let loader = demo::loader(db);
    if !loader.has_units().await? {
        eprintln!("Đang nạp dữ liệu mẫu (huyện Pác Nặm, 2003–2026)…");
        let mut bar = progress::Bar::new();
        let message = demo::fill(db, demo::Scale::District, &mut bar).await?;
        bar.finish();
        eprintln!("{message}");
    }
    if !Sessions::new(db).has_users().await? {
        let admin = loader.user_admin()?;
        for (username, name, role, scope) in DEMO_USERS {
            // A database that held other data may lack the demo's units: skip those accounts.
            let scope_exists = match scope {
                Some(code) => loader.unit(code).await?.is_some(),
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
                admin.create_user(&new).await?;
            }
        }
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

/// How `dangbo serve` runs.
pub struct ServeOptions {
    pub addr: SocketAddr,
    pub with_demo: bool,
    pub secure_cookies: bool,
    /// The header a trusted reverse proxy writes the client's address in.
    pub client_ip_header: Option<String>,
}

pub async fn serve(db: Db, options: ServeOptions) -> Result<()> {
    let ServeOptions {
        addr,
        with_demo,
        secure_cookies,
        client_ip_header,
    } = options;
    let mut state = AppState::new(db.clone());
    if let Some(name) = &client_ip_header {
        state
            .trust_client_ip_header(name)
            .map_err(|problem| StoreError::Config(format!("--client-ip-header: {problem}")))?;
    }
    let hint = if with_demo {
        prepare_demo(&db).await?
    } else {
        String::new()
    };
    if !Sessions::new(&db).has_users().await? {
        return Err(StoreError::Config(
            "chưa có người dùng nào. Tạo quản trị viên đầu tiên rồi chạy lại:\n  dangbo user add TÊN --role administrator --name \"Họ tên\"\n(hoặc chạy `dangbo serve --demo` để dùng thử với dữ liệu mẫu)".into(),
        ));
    }
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
