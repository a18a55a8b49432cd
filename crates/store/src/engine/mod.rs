//! One code path over two engines: SQLite (embedded, the default) and PostgreSQL.
//!
//! Every query is written once, with `$1`-style parameters that both engines accept, and run through
//! the macros below, which expand the same source for each engine's concrete pool so that real types
//! (dates, integers) are kept on both.

#[macro_use]
mod macros;
pub(crate) mod backup;
pub(crate) mod migrations;
pub mod schema;
pub(crate) mod sql;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

use crate::StoreError;

/// The PostgreSQL advisory lock every writing transaction holds until it ends.
pub(crate) const WRITER_LOCK: i64 = 7201;

/// The database URL used when none is given.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://dangbo.db";

/// Which engine a database runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// The engine a database URL names.
    pub fn of_url(url: &str) -> Result<Engine, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Engine::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Engine::Postgres)
        } else {
            // Only the scheme is repeated: the rest may hold a password.
            let scheme = url.split_once(':').map_or("", |(scheme, _)| scheme);
            Err(StoreError::Config(format!(
                "không nhận ra loại cơ sở dữ liệu «{scheme}:»: cần sqlite://TỆP hoặc postgres://…"
            )))
        }
    }
}

/// A connection pool on one of the two engines. Opaque: statements run only inside the store, so
/// no caller can reach the data without going through the access layer.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    /// Kept for the tools that work on the whole database (`pg_dump`), never shown: it may hold a
    /// password.
    url: std::sync::Arc<str>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("engine", &self.engine())
            .finish()
    }
}

#[derive(Clone, Debug)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// An open transaction. Every store operation runs inside one, so writes happen whole or not at all.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Db {
    /// Opens the database named by `url` (`sqlite://FILE`, `sqlite::memory:`, `postgres://…`),
    /// creating a SQLite file if it does not exist. Does not migrate.
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        if Engine::of_url(url)? == Engine::Sqlite {
            let options = SqliteConnectOptions::from_str(url).map_err(|e| {
                StoreError::Config(format!("địa chỉ cơ sở dữ liệu không hợp lệ: {e}"))
            })?;
            Db::connect_sqlite(options, url).await
        } else {
            let options = PgConnectOptions::from_str(url).map_err(|e| {
                StoreError::Config(format!("địa chỉ cơ sở dữ liệu không hợp lệ: {e}"))
            })?;
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await?;
            Ok(Db {
                pool: Pool::Postgres(pool),
                url: url.into(),
            })
        }
    }

    /// Opens a SQLite database with the app's settings.
    async fn connect_sqlite(options: SqliteConnectOptions, url: &str) -> Result<Db, StoreError> {
        let options = options
            .create_if_missing(true)
            .foreign_keys(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            // Sorting a province's members must not spill to temporary files.
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-65536");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        Ok(Db {
            pool: Pool::Sqlite(pool),
            url: url.into(),
        })
    }

    /// Opens and migrates a SQLite file named by its path (not a URL, which would need escaping).
    pub(crate) async fn open_sqlite_file(path: &std::path::Path) -> Result<Db, StoreError> {
        let db = Db::connect_sqlite(SqliteConnectOptions::new().filename(path), "sqlite:").await?;
        db.migrate().await?;
        Ok(db)
    }

    /// Opens and migrates.
    pub async fn open(url: &str) -> Result<Db, StoreError> {
        let db = Db::connect(url).await?;
        db.migrate().await?;
        let mut tx = db.begin().await?;
        crate::members::fill_sort_keys(&mut tx).await?;
        crate::members::search::fill_if_empty(&mut tx).await?;
        crate::figures::summary::rebuild_if_needed(&mut tx).await?;
        tx.commit().await?;
        Ok(db)
    }

    /// Applies the migrations of this engine. Both engines have the same version numbers.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.pool {
            Pool::Sqlite(pool) => migrations::migrator(false).run(pool).await?,
            Pool::Postgres(pool) => migrations::migrator(true).run(pool).await?,
        }
        Ok(())
    }

    /// Refreshes the planner's statistics after a change of `rows` rows to `table` when they are
    /// stale: never gathered, or the change is a tenth of what they counted (what autovacuum waits
    /// for, but now rather than some time later). An import into a big database does not pay for an
    /// `ANALYZE` per file.
    pub async fn refresh_statistics_after(
        &self,
        table: &str,
        rows: usize,
    ) -> Result<(), StoreError> {
        if let Pool::Postgres(pool) = &self.pool {
            let counted: Option<f32> =
                sqlx::query_scalar("SELECT reltuples FROM pg_class WHERE relname = $1")
                    .bind(table)
                    .fetch_optional(pool)
                    .await?;
            if statistics_stale(counted, rows) {
                self.refresh_statistics().await?;
            }
        }
        Ok(())
    }

    /// Refreshes the planner's statistics after a big change, so that the plans stay the ones the
    /// plan tests check. PostgreSQL's autovacuum would, some time later; SQLite plans without them.
    pub async fn refresh_statistics(&self) -> Result<(), StoreError> {
        if let Pool::Postgres(pool) = &self.pool {
            sqlx::query(
                "ANALYZE units, members, member_spans, member_events, member_terms, \
                 summary_stock_years, summary_stock_months, summary_flow_months",
            )
            .execute(pool)
            .await?;
        }
        Ok(())
    }

    pub fn engine(&self) -> Engine {
        match &self.pool {
            Pool::Sqlite(_) => Engine::Sqlite,
            Pool::Postgres(_) => Engine::Postgres,
        }
    }

    pub(crate) async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match &self.pool {
            Pool::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Pool::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Begins a transaction that only reads, on one snapshot: on PostgreSQL every statement of it
    /// sees the same committed state (a figure from the summary and the rows of the month's
    /// changes, a cached entry's check and the newest touch); SQLite's reads always do.
    pub(crate) async fn begin_read(&self) -> Result<Tx, StoreError> {
        Ok(match &self.pool {
            Pool::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Pool::Postgres(pool) => Tx::Postgres(
                pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .await?,
            ),
        })
    }

    /// Begins a transaction that will write. Writers take turns on both engines, so that a check
    /// made before a write (a member's history, a unit's members, the audit chain's last row) still
    /// holds when the write commits: on SQLite the write lock is taken at once (BEGIN IMMEDIATE), on
    /// PostgreSQL a transaction-level advisory lock that every writer takes first.
    pub(crate) async fn begin_write(&self) -> Result<Tx, StoreError> {
        Ok(match &self.pool {
            Pool::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(WRITER_LOCK)
                    .execute(&mut *tx)
                    .await?;
                Tx::Postgres(tx)
            }
        })
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }

    /// The migration versions applied, in order (for the schema parity test and `dangbo migrate`).
    pub async fn applied_migrations(&self) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.begin().await?;
        let versions = fetch_all!(
            &mut tx,
            "SELECT version FROM _sqlx_migrations ORDER BY version",
            [],
            |row| row.try_get::<i64, _>("version")
        )?;
        tx.rollback().await?;
        Ok(versions)
    }

    /// The schema as the engine describes it, for the schema parity test.
    pub async fn schema(&self) -> Result<schema::Schema, StoreError> {
        let mut tx = self.begin().await?;
        let result = schema::read(&mut tx).await;
        tx.rollback().await?;
        result
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    pub async fn rollback(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t) => t.rollback().await?,
            Tx::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }

    pub fn engine(&self) -> Engine {
        match self {
            Tx::Sqlite(_) => Engine::Sqlite,
            Tx::Postgres(_) => Engine::Postgres,
        }
    }
}

/// Ids written into an `IN (…)` list (ids are integers from the database, never user text).
pub(crate) fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// A value bound to a statement built at run time (bulk inserts).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
    Date(Option<chrono::NaiveDate>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(Some(v))
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Value {
        Value::Int(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(Some(v.to_string()))
    }
}
impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(Some(v))
    }
}
impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Value {
        Value::Text(v)
    }
}
impl From<chrono::NaiveDate> for Value {
    fn from(v: chrono::NaiveDate) -> Value {
        Value::Date(Some(v))
    }
}
impl From<Option<chrono::NaiveDate>> for Value {
    fn from(v: Option<chrono::NaiveDate>) -> Value {
        Value::Date(v)
    }
}

/// Most parameters one statement may carry on both engines (SQLite allows 32,766).
const MAX_PARAMETERS: usize = 30_000;

impl Tx {
    /// Runs one statement with parameters bound from `values`.
    pub async fn execute_values(&mut self, sql: &str, values: &[Value]) -> Result<u64, StoreError> {
        let sql = sql.to_string();
        Ok(match self {
            Tx::Sqlite(t) => bind_values!(sqlx::query(sqlx::AssertSqlSafe(sql)), values)
                .execute(&mut **t)
                .await?
                .rows_affected(),
            Tx::Postgres(t) => bind_values!(sqlx::query(sqlx::AssertSqlSafe(sql)), values)
                .execute(&mut **t)
                .await?
                .rows_affected(),
        })
    }

    /// Inserts many rows into `table` with as few statements as the engines allow.
    pub async fn insert_rows(
        &mut self,
        table: &str,
        columns: &[&str],
        rows: &[Vec<Value>],
    ) -> Result<(), StoreError> {
        self.insert_rows_then(table, columns, rows, "").await
    }

    /// Inserts rows whose last column is an amount; a row whose `key` columns are already there
    /// adds its amount to the stored one.
    pub async fn upsert_adding(
        &mut self,
        table: &str,
        columns: &[&str],
        key: &str,
        rows: &[Vec<Value>],
    ) -> Result<(), StoreError> {
        let Some(amount) = columns.last() else {
            return Ok(());
        };
        let clause = format!(
            " ON CONFLICT ({key}) DO UPDATE SET {amount} = {table}.{amount} + excluded.{amount}"
        );
        self.insert_rows_then(table, columns, rows, &clause).await
    }

    async fn insert_rows_then(
        &mut self,
        table: &str,
        columns: &[&str],
        rows: &[Vec<Value>],
        clause: &str,
    ) -> Result<(), StoreError> {
        if clause.is_empty()
            && rows.len() >= COPY_ROWS
            && let Tx::Postgres(tx) = self
        {
            return copy_rows(tx, table, columns, rows).await;
        }
        let per_statement = (MAX_PARAMETERS / columns.len()).max(1);
        // sqlx asks SQLite for every parameter's name, which SQLite finds by a linear walk: long
        // statements with `$N` names turn quadratic. Anonymous `?` parameters have no name to find.
        let anonymous = self.engine() == Engine::Sqlite;
        for chunk in rows.chunks(per_statement) {
            let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
            let mut n = 0;
            for (i, _) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push(',');
                }
                sql.push('(');
                for c in 0..columns.len() {
                    if c > 0 {
                        sql.push(',');
                    }
                    n += 1;
                    if anonymous {
                        sql.push('?');
                    } else {
                        sql.push_str(&format!("${n}"));
                    }
                }
                sql.push(')');
            }
            sql.push_str(clause);
            let values: Vec<Value> = chunk.iter().flatten().cloned().collect();
            self.execute_values(&sql, &values).await?;
        }
        Ok(())
    }
}

/// Whether statistics that counted `counted` rows (none, or negative: never gathered) are stale
/// after a change of `rows` rows: a tenth of the table, autovacuum's own threshold.
fn statistics_stale(counted: Option<f32>, rows: usize) -> bool {
    counted.is_none_or(|n| n < 0.0 || rows as f64 * 10.0 >= f64::from(n))
}

/// From this many rows, PostgreSQL takes them by `COPY`: one stream instead of statements of a few
/// thousand parameters, several times faster for an import.
const COPY_ROWS: usize = 500;

/// Bytes sent to `COPY` at a time.
const COPY_CHUNK: usize = 1 << 20;

/// Inserts rows through `COPY … FROM STDIN` (text format).
async fn copy_rows(
    tx: &mut Transaction<'static, Postgres>,
    table: &str,
    columns: &[&str],
    rows: &[Vec<Value>],
) -> Result<(), StoreError> {
    let statement = format!("COPY {table} ({}) FROM STDIN", columns.join(", "));
    let mut copy = tx.copy_in_raw(&statement).await?;
    let mut buffer = String::with_capacity(COPY_CHUNK + 4096);
    for row in rows {
        for (i, value) in row.iter().enumerate() {
            if i > 0 {
                buffer.push('\t');
            }
            copy_text(&mut buffer, value);
        }
        buffer.push('\n');
        if buffer.len() >= COPY_CHUNK {
            copy.send(buffer.as_bytes()).await?;
            buffer.clear();
        }
    }
    if !buffer.is_empty() {
        copy.send(buffer.as_bytes()).await?;
    }
    copy.finish().await?;
    Ok(())
}

/// A value in `COPY`'s text format: `\N` for NULL, and the separators escaped.
fn copy_text(out: &mut String, value: &Value) {
    use std::fmt::Write;
    match value {
        Value::Int(Some(n)) => {
            let _ = write!(out, "{n}");
        }
        Value::Date(Some(d)) => {
            let _ = write!(out, "{}", d.format("%Y-%m-%d"));
        }
        Value::Text(Some(text)) => {
            for c in text.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c => out.push(c),
                }
            }
        }
        Value::Int(None) | Value::Text(None) | Value::Date(None) => out.push_str("\\N"),
    }
}

#[cfg(test)]
mod tests {
    use super::statistics_stale;

    #[test]
    fn statistics_are_stale_when_never_gathered_or_a_tenth_changed() {
        assert!(statistics_stale(None, 1));
        assert!(statistics_stale(Some(-1.0), 1));
        assert!(statistics_stale(Some(100_000.0), 10_000));
        assert!(!statistics_stale(Some(100_001.0), 10_000));
        assert!(!statistics_stale(Some(9_000_000.0), 200_000));
    }
}
