//! Backups: a consistent copy of the whole database taken while it is in use, and its restore into
//! an empty database. SQLite copies itself with `VACUUM INTO` (one read transaction, so one
//! snapshot, while writers go on); PostgreSQL through `pg_dump`, which reads one snapshot too, and
//! `pg_restore`. Copying the database file itself is not a backup: a copy taken during a write, or
//! without its write-ahead log, is stale or corrupt.

use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

use super::{Db, Engine, Pool};
use crate::{Result, StoreError};

/// What a backup file holds, known from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BackupKind {
    Sqlite,
    PostgresDump,
}

impl BackupKind {
    fn engine(self) -> Engine {
        match self {
            BackupKind::Sqlite => Engine::Sqlite,
            BackupKind::PostgresDump => Engine::Postgres,
        }
    }
}

/// A finished backup.
#[derive(Debug, Clone)]
pub struct Backup {
    pub path: PathBuf,
    pub bytes: u64,
    pub engine: Engine,
}

/// Said when PostgreSQL's client tools are missing: the documented way without them.
const PG_TOOLS_MISSING: &str = "không tìm thấy pg_dump/pg_restore (gói postgresql-client). Cài gói \
đó (cùng phiên bản với máy chủ hoặc mới hơn) rồi chạy lại; hoặc sao lưu trên máy chủ cơ sở dữ liệu \
bằng `pg_dump --format=custom --file=TỆP TÊN_CSDL` và khôi phục bằng `dangbo restore TỆP` (xem \
README, mục Sao lưu)";

fn file_error(path: &Path, problem: impl std::fmt::Display) -> StoreError {
    StoreError::File(format!("{}: {problem}", path.display()))
}

/// Where a backup or restore is written before it is complete (a stopped run leaves no file under
/// the real name): a new, empty file only its owner may read, since it will hold every record.
fn create_partial(path: &Path) -> Result<PathBuf> {
    let mut name = path.file_name().map(OsString::from).unwrap_or_default();
    name.push(format!(".{}.dangbo-partial", crate::auth::random_token()));
    let partial = path.with_file_name(name);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(&partial)
        .map_err(|e| file_error(&partial, e))?;
    Ok(partial)
}

/// Puts a finished file under its real name, never over an existing file.
fn publish(partial: &Path, target: &Path) -> Result<()> {
    let linked = std::fs::hard_link(partial, target).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => file_error(target, "tệp đã có; không ghi đè"),
        _ => file_error(target, e),
    });
    let _ = std::fs::remove_file(partial);
    linked
}

fn backup_kind(path: &Path) -> Result<BackupKind> {
    let mut head = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(|e| file_error(path, e))?;
    let read = file.read(&mut head).map_err(|e| file_error(path, e))?;
    let head = &head[..read];
    if head == b"SQLite format 3\0" {
        Ok(BackupKind::Sqlite)
    } else if head.starts_with(b"PGDMP") {
        Ok(BackupKind::PostgresDump)
    } else {
        Err(file_error(
            path,
            "không phải bản sao lưu của Dangbo (cần tệp do `dangbo backup` tạo: SQLite hoặc pg_dump dạng custom)",
        ))
    }
}

impl Db {
    /// Writes a consistent copy of the whole database to `target`, which must not exist yet.
    pub(crate) async fn backup_to(&self, target: &Path) -> Result<Backup> {
        if target.exists() {
            return Err(file_error(
                target,
                "tệp đã có; bản sao lưu không ghi đè tệp nào, hãy chọn tên khác",
            ));
        }
        let partial = create_partial(target)?;
        let written = match &self.pool {
            Pool::Sqlite(pool) => vacuum_into(pool, &partial).await,
            Pool::Postgres(_) => pg_dump(&self.url, &partial).await,
        };
        let checked = match written {
            Ok(()) => check_backup(&partial, self.engine()).await,
            Err(e) => Err(e),
        };
        if let Err(e) = checked {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
        publish(&partial, target)?;
        let bytes = std::fs::metadata(target)
            .map_err(|e| file_error(target, e))?
            .len();
        Ok(Backup {
            path: target.to_path_buf(),
            bytes,
            engine: self.engine(),
        })
    }
}

/// Checks that a file is a whole backup of this engine.
async fn check_backup(path: &Path, engine: Engine) -> Result<()> {
    let kind = backup_kind(path)?;
    if kind.engine() != engine {
        return Err(file_error(
            path,
            "bản sao lưu không đúng loại cơ sở dữ liệu",
        ));
    }
    if kind == BackupKind::Sqlite {
        check_sqlite_copy(path).await?;
    }
    Ok(())
}

async fn vacuum_into(pool: &SqlitePool, target: &Path) -> Result<()> {
    let name = target
        .to_str()
        .ok_or_else(|| file_error(target, "tên tệp phải là văn bản UTF-8"))?;
    // VACUUM cannot run inside a transaction; VACUUM INTO reads one snapshot by itself.
    sqlx::query("VACUUM INTO $1")
        .bind(name)
        .execute(pool)
        .await
        .map_err(|e| file_error(target, format!("không sao lưu được: {e}")))?;
    Ok(())
}

/// Opens a SQLite backup read-only and checks it is whole and is Dangbo's.
async fn check_sqlite_copy(path: &Path) -> Result<()> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|e| file_error(path, format!("không mở được bản sao lưu: {e}")))?;
    let integrity: std::result::Result<String, sqlx::Error> =
        sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&pool)
            .await;
    let migrations: std::result::Result<i64, sqlx::Error> =
        sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
            .fetch_one(&pool)
            .await;
    pool.close().await;
    match (integrity, migrations) {
        (Ok(ok), Ok(n)) if ok == "ok" && n > 0 => Ok(()),
        (Ok(ok), Ok(_)) if ok != "ok" => Err(file_error(path, format!("bản sao lưu hỏng: {ok}"))),
        _ => Err(file_error(
            path,
            "không phải bản sao lưu của Dangbo (không có bảng phiên bản cơ sở dữ liệu)",
        )),
    }
}

/// The URL without its password, and the password (given to the PostgreSQL tools in their
/// environment, so it does not show in the process list).
fn split_password(url: &str) -> Result<(String, Option<String>)> {
    let mut parsed = url::Url::parse(url)
        .map_err(|e| StoreError::Config(format!("địa chỉ cơ sở dữ liệu không hợp lệ: {e}")))?;
    let password = parsed.password().map(|p| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    });
    if password.is_some() {
        // Only fails for URLs that cannot have a password, which these have.
        let _ = parsed.set_password(None);
    }
    // A password may also come as a parameter; it goes to the environment as well.
    let mut from_query = None;
    let kept: Vec<(String, String)> = parsed
        .query_pairs()
        .filter(|(name, value)| {
            let secret = name == "password";
            if secret {
                from_query = Some(value.to_string());
            }
            !secret
        })
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    if from_query.is_some() {
        parsed.query_pairs_mut().clear().extend_pairs(&kept);
        if kept.is_empty() {
            parsed.set_query(None);
        }
    }
    Ok((parsed.to_string(), password.or(from_query)))
}

/// Runs one of PostgreSQL's client tools against the database at `url`.
async fn pg_tool(tool: &str, url: &str, args: &[OsString]) -> Result<()> {
    let (url, password) = split_password(url)?;
    let mut command = tokio::process::Command::new(tool);
    command.args(args).arg(format!("--dbname={url}"));
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output = command.output().await.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => StoreError::Config(PG_TOOLS_MISSING.into()),
        _ => StoreError::Config(format!("không chạy được {tool}: {e}")),
    })?;
    if output.status.success() {
        Ok(())
    } else {
        Err(StoreError::Config(format!(
            "{tool} không thành công: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}

async fn pg_dump(url: &str, target: &Path) -> Result<()> {
    let mut file = OsString::from("--file=");
    file.push(target);
    let args = [
        OsString::from("--format=custom"),
        OsString::from("--no-owner"),
        OsString::from("--no-privileges"),
        file,
    ];
    pg_tool("pg_dump", url, &args).await
}

/// Restores a backup made by [`Db::backup_to`] into the empty database at `url` (of the same
/// engine), then opens it, migrating it if the backup is older than this program.
pub(crate) async fn restore(url: &str, source: &Path) -> Result<Db> {
    let kind = backup_kind(source)?;
    let engine = Engine::of_url(url)?;
    if kind.engine() != engine {
        let made = match kind {
            BackupKind::Sqlite => "SQLite",
            BackupKind::PostgresDump => "PostgreSQL",
        };
        return Err(file_error(
            source,
            format!(
                "bản sao lưu của {made} chỉ khôi phục được vào {made}; để chuyển dữ liệu giữa hai loại, xuất rồi nhập các tệp (xem docs/import-format.md)"
            ),
        ));
    }
    match kind {
        BackupKind::Sqlite => restore_sqlite(url, source).await?,
        BackupKind::PostgresDump => restore_postgres(url, source).await?,
    }
    Db::open(url).await
}

fn not_empty(target: &str) -> StoreError {
    StoreError::Config(format!(
        "cơ sở dữ liệu đích {target} đã có dữ liệu: chỉ khôi phục vào cơ sở dữ liệu trống (chọn --db khác, hoặc xóa hay đổi tên cái cũ sau khi chắc chắn không cần nó)"
    ))
}

async fn restore_sqlite(url: &str, source: &Path) -> Result<()> {
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| StoreError::Config(format!("địa chỉ cơ sở dữ liệu không hợp lệ: {e}")))?;
    let target = options.get_filename().to_path_buf();
    if in_memory || target.as_os_str().is_empty() {
        return Err(StoreError::Config(
            "khôi phục cần một tệp cơ sở dữ liệu (sqlite://TỆP), không phải cơ sở dữ liệu trong bộ nhớ".into(),
        ));
    }
    let occupied = |path: &Path| std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
    if occupied(&target) || occupied(&with_suffix(&target, "-wal")) {
        return Err(not_empty(&target.display().to_string()));
    }
    // A live database file copied without its write-ahead log would restore stale records.
    if occupied(&with_suffix(source, "-wal")) {
        return Err(file_error(
            source,
            "đây là tệp cơ sở dữ liệu đang dùng (có tệp -wal bên cạnh), không phải bản sao lưu: dùng `dangbo backup`",
        ));
    }
    check_sqlite_copy(source).await?;
    let partial = create_partial(&target)?;
    // Migrated under its temporary name: a restore that cannot be brought to this version leaves
    // nothing under the real name.
    let prepared = async {
        std::fs::copy(source, &partial).map_err(|e| file_error(&partial, e))?;
        let db = Db::open_sqlite_file(&partial).await?;
        db.close().await;
        Ok::<(), StoreError>(())
    }
    .await;
    if let Err(e) = prepared {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(with_suffix(&partial, suffix));
        }
        return Err(e);
    }
    publish(&partial, &target)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

async fn restore_postgres(url: &str, source: &Path) -> Result<()> {
    let db = Db::connect(url).await?;
    let Pool::Postgres(pool) = &db.pool else {
        return Err(StoreError::Config("cần cơ sở dữ liệu PostgreSQL".into()));
    };
    let tables: std::result::Result<i64, sqlx::Error> = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.tables \
         WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
    )
    .fetch_one(pool)
    .await;
    db.close().await;
    if tables? > 0 {
        let (shown, _) = split_password(url)?;
        return Err(not_empty(&shown));
    }
    let args = [
        OsString::from("--no-owner"),
        OsString::from("--no-privileges"),
        OsString::from("--exit-on-error"),
        // All or nothing, like every other write.
        OsString::from("--single-transaction"),
        source.as_os_str().to_owned(),
    ];
    pg_tool("pg_restore", url, &args).await
}

#[cfg(test)]
mod tests {
    use super::split_password;
    use crate::Engine;

    #[test]
    fn passwords_leave_the_url_for_the_environment() {
        let (url, password) =
            split_password("postgres://dang:b%C3%AD%20m%E1%BA%ADt@db:5432/tinh").unwrap();
        assert_eq!(url, "postgres://dang@db:5432/tinh");
        assert_eq!(password.as_deref(), Some("bí mật"));
        let (url, password) =
            split_password("postgres://dang@db/tinh?sslmode=require&password=kin").unwrap();
        assert_eq!(url, "postgres://dang@db/tinh?sslmode=require");
        assert_eq!(password.as_deref(), Some("kin"));
        let (url, password) = split_password("postgres://dang@db/tinh?password=kin").unwrap();
        assert_eq!(url, "postgres://dang@db/tinh");
        assert_eq!(password.as_deref(), Some("kin"));
        assert_eq!(
            split_password("postgres://dang@db/tinh").unwrap(),
            ("postgres://dang@db/tinh".to_string(), None)
        );
    }

    #[test]
    fn an_unknown_scheme_is_named_without_the_rest_of_the_url() {
        let refused = Engine::of_url("mysql://root:bi-mat@db/tinh")
            .unwrap_err()
            .to_string();
        assert!(refused.contains("mysql:"), "{refused}");
        assert!(!refused.contains("bi-mat"), "{refused}");
    }
}
