//! A fresh, migrated database per test, removed when the test ends (even when it fails).
//!
//! PostgreSQL test databases are copies (`CREATE DATABASE … TEMPLATE`) of one migrated template per
//! set of migrations, made once by whichever test process comes first (under an advisory lock), so
//! a test pays for a copy, not for the migrations. SQLite databases are files in a temporary folder.

use std::sync::atomic::{AtomicU64, Ordering};

use dangbo_store::Db;

pub use dangbo_store::Engine;

/// Where the PostgreSQL server for tests is (trust auth on this machine kind).
pub fn pg_admin_url() -> String {
    std::env::var("DANGBO_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

/// The URL of another database on the same server as the admin URL.
fn pg_url(name: &str) -> String {
    let base = pg_admin_url();
    let server = base.rsplit_once('/').map(|(b, _)| b).unwrap_or(&base);
    format!("{server}/{name}")
}

/// A fresh, migrated database that is removed when dropped.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

async fn admin() -> sqlx::PgPool {
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(&pg_admin_url())
        .await
        .expect("PostgreSQL must be running for the tests (see README: pg_ctlcluster … start)")
}

async fn exec(pool: &sqlx::PgPool, sql: String) {
    sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
        .execute(pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// The name of the migrated template for the current migrations, creating it if needed.
async fn template(admin: &sqlx::PgPool) -> String {
    let name = format!("dangbo_template_{}", dangbo_store::migrations_fingerprint());
    let mut lock = admin.acquire().await.expect("admin connection");
    // One process builds the template; the others wait for it.
    sqlx::query("SELECT pg_advisory_lock(720111)")
        .execute(&mut *lock)
        .await
        .expect("lock");
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut *lock)
        .await
        .expect("look up the template");
    if exists.is_none() {
        let building = format!("{name}_building_{}", std::process::id());
        let drop_building = format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)");
        sqlx::query(sqlx::AssertSqlSafe(drop_building))
            .execute(&mut *lock)
            .await
            .expect("drop");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {building}")))
            .execute(&mut *lock)
            .await
            .expect("create the template");
        let db = Db::open(&pg_url(&building))
            .await
            .expect("migrate the template");
        db.close().await;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "ALTER DATABASE {building} RENAME TO {name}"
        )))
        .execute(&mut *lock)
        .await
        .expect("publish the template");
        // Templates of older migrations are of no further use.
        let stale: Vec<String> = sqlx::query_scalar(
            "SELECT datname::text FROM pg_database WHERE datname LIKE 'dangbo_template_%' AND datname <> $1",
        )
        .bind(&name)
        .fetch_all(&mut *lock)
        .await
        .unwrap_or_default();
        for old in stale {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {old} WITH (FORCE)"
            )))
            .execute(&mut *lock)
            .await;
        }
    }
    sqlx::query("SELECT pg_advisory_unlock(720111)")
        .execute(&mut *lock)
        .await
        .expect("unlock");
    name
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let db = Db::open(&url).await.expect("open sqlite");
        TestDb {
            db,
            url,
            _dir: Some(dir),
            pg_name: None,
        }
    }

    pub async fn postgres() -> TestDb {
        let name = format!(
            "dangbo_test_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let admin = admin().await;
        let template = template(&admin).await;
        exec(
            &admin,
            format!("CREATE DATABASE {name} TEMPLATE {template}"),
        )
        .await;
        admin.close().await;
        let url = pg_url(&name);
        let db = Db::open(&url).await.expect("open postgres");
        TestDb {
            db,
            url,
            _dir: None,
            pg_name: Some(name),
        }
    }

    /// A fresh database on `engine`.
    pub async fn on(engine: Engine) -> TestDb {
        match engine {
            Engine::Sqlite => TestDb::sqlite().await,
            Engine::Postgres => TestDb::postgres().await,
        }
    }
}

impl std::ops::Deref for TestDb {
    type Target = Db;

    fn deref(&self) -> &Db {
        &self.db
    }
}

impl TestDb {
    pub fn engine(&self) -> Engine {
        self.db.engine()
    }

    /// Runs a statement behind the store's back, on a connection of its own: for tests that
    /// tamper with rows or age sessions, never for reading what the store keeps.
    pub async fn raw(&self, sql: &str) -> Result<(), sqlx::Error> {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        match self.engine() {
            Engine::Sqlite => {
                let pool = sqlx::sqlite::SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect(&self.url)
                    .await?;
                let result = sqlx::query(sql).execute(&pool).await.map(|_| ());
                pool.close().await;
                result
            }
            Engine::Postgres => {
                let pool = sqlx::postgres::PgPoolOptions::new()
                    .max_connections(1)
                    .connect(&self.url)
                    .await?;
                let result = sqlx::query(sql).execute(&pool).await.map(|_| ());
                pool.close().await;
                result
            }
        }
    }
}

impl TestDb {
    /// Counts the rows of a table behind the store's back (to check that nothing was written).
    pub async fn count(&self, table: &str) -> i64 {
        let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"));
        match self.engine() {
            Engine::Sqlite => {
                let pool = sqlx::SqlitePool::connect(&self.url).await.expect("connect");
                let n: i64 = sqlx::query_scalar(sql)
                    .fetch_one(&pool)
                    .await
                    .expect("count");
                pool.close().await;
                n
            }
            Engine::Postgres => {
                let pool = sqlx::PgPool::connect(&self.url).await.expect("connect");
                let n: i64 = sqlx::query_scalar(sql)
                    .fetch_one(&pool)
                    .await
                    .expect("count");
                pool.close().await;
                n
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            drop_pg_database(name);
        }
    }
}

/// Removes a PostgreSQL test database. Drop cannot await: a thread with its own runtime removes
/// it, whatever the test's runtime is doing (FORCE ends the connections still open).
fn drop_pg_database(name: String) {
    let cleanup = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        if let Ok(runtime) = runtime {
            runtime.block_on(async {
                let admin = admin().await;
                let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&admin)
                .await;
                admin.close().await;
            });
        }
    });
    let _ = cleanup.join();
}

/// An empty database (no schema at all) to restore into, removed when dropped.
pub struct EmptyDb {
    pub url: String,
    pub engine: Engine,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

impl EmptyDb {
    pub async fn on(engine: Engine) -> EmptyDb {
        match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("restored.db").display());
                EmptyDb {
                    url,
                    engine,
                    _dir: Some(dir),
                    pg_name: None,
                }
            }
            Engine::Postgres => {
                let name = format!(
                    "dangbo_empty_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst)
                );
                let admin = admin().await;
                exec(&admin, format!("CREATE DATABASE {name} TEMPLATE template0")).await;
                admin.close().await;
                EmptyDb {
                    url: pg_url(&name),
                    engine,
                    _dir: None,
                    pg_name: Some(name),
                }
            }
        }
    }
}

impl Drop for EmptyDb {
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            drop_pg_database(name);
        }
    }
}
