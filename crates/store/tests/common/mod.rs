//! Test support: a fresh database per test on each engine, and the `conformance!` macro that runs
//! one test body against both SQLite and PostgreSQL.
#![allow(dead_code)]

pub mod fixture;

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::NaiveDate;
use dangbo_store::Db;

/// Where the PostgreSQL server for tests is (trust auth on this machine kind).
pub fn pg_admin_url() -> String {
    std::env::var("DANGBO_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

/// A fresh, migrated database that is removed when dropped.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

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
            "dangbo_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0)
        );
        let admin = Db::connect(&pg_admin_url()).await.expect(
            "PostgreSQL must be running for the store tests (see README: pg_ctlcluster … start)",
        );
        admin_exec(&admin, &format!("CREATE DATABASE {name}")).await;
        admin.close().await;
        let base = pg_admin_url();
        let url = format!(
            "{}/{name}",
            base.rsplit_once('/').map(|(b, _)| b).unwrap_or(&base)
        );
        let db = Db::open(&url).await.expect("open postgres");
        TestDb {
            db,
            url,
            _dir: None,
            pg_name: Some(name),
        }
    }

    /// Closes the pool and drops the PostgreSQL database.
    pub async fn finish(self) {
        self.db.close().await;
        if let Some(name) = self.pg_name {
            let admin = Db::connect(&pg_admin_url()).await.expect("admin");
            admin_exec(
                &admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await;
            admin.close().await;
        }
    }
}

async fn admin_exec(admin: &Db, sql: &str) {
    let Db::Postgres(pool) = admin else {
        panic!("the admin database is PostgreSQL");
    };
    let mut tx = pool.acquire().await.expect("admin connection");
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&mut *tx)
        .await
        .expect("admin statement");
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

/// Runs `async fn body(db: &Db)` against a fresh SQLite database and a fresh PostgreSQL database.
#[macro_export]
macro_rules! conformance {
    ($name:ident, $body:path) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let t = common::TestDb::sqlite().await;
                $body(&t.db).await;
                t.finish().await;
            }

            #[tokio::test]
            async fn postgres() {
                let t = common::TestDb::postgres().await;
                $body(&t.db).await;
                t.finish().await;
            }
        }
    };
}
