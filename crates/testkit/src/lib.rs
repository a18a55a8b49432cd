//! Test support shared by every crate's tests: a fresh database per test on SQLite and on the real
//! PostgreSQL of this machine kind (each PostgreSQL test database is a copy of a migrated template),
//! the `conformance!` macro that runs one test body on both engines, fixtures built through the
//! access layer, and [`TestApp`], the web app on a free port with a signed-in client.

mod app;
mod db;
pub mod fixture;

pub use app::{TestApp, record_body, user_of};
pub use db::{EmptyDb, Engine, TestDb, pg_admin_url};

/// A date, for tests.
pub fn d(y: i32, m: u32, day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

/// Runs `async fn body(db: &TestDb)` against a fresh SQLite database and a fresh PostgreSQL
/// database (a `&TestDb` is a `&Db` wherever one is wanted).
#[macro_export]
macro_rules! conformance {
    ($name:ident, $body:path) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let t = $crate::TestDb::sqlite().await;
                $body(&t).await;
            }

            #[tokio::test]
            async fn postgres() {
                let t = $crate::TestDb::postgres().await;
                $body(&t).await;
            }
        }
    };
}

/// Runs a web test against the app on SQLite and on PostgreSQL, passing it the running app.
#[macro_export]
macro_rules! conformance_app {
    ($name:ident, $body:path) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let app = $crate::TestApp::spawn($crate::TestDb::sqlite().await).await;
                $body(&app).await;
            }

            #[tokio::test]
            async fn postgres() {
                let app = $crate::TestApp::spawn($crate::TestDb::postgres().await).await;
                $body(&app).await;
            }
        }
    };
}
