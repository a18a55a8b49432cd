//! The migrations of each engine, embedded in the binary. Both engines have the same version
//! numbers; the schema parity test checks that they end with the same schema.

use std::borrow::Cow;

use sha2::{Digest, Sha256};
use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

/// (version, description, SQLite text, PostgreSQL text).
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "records",
        include_str!("../../migrations/sqlite/0001_records.sql"),
        include_str!("../../migrations/postgres/0001_records.sql"),
    ),
    (
        2,
        "access",
        include_str!("../../migrations/sqlite/0002_access.sql"),
        include_str!("../../migrations/postgres/0002_access.sql"),
    ),
    (
        3,
        "scoped audit",
        include_str!("../../migrations/sqlite/0003_scoped_audit.sql"),
        include_str!("../../migrations/postgres/0003_scoped_audit.sql"),
    ),
    (
        4,
        "reported figures",
        include_str!("../../migrations/sqlite/0004_reported_figures.sql"),
        include_str!("../../migrations/postgres/0004_reported_figures.sql"),
    ),
    (
        5,
        "member versions",
        include_str!("../../migrations/sqlite/0005_member_versions.sql"),
        include_str!("../../migrations/postgres/0005_member_versions.sql"),
    ),
    (
        6,
        "summaries",
        include_str!("../../migrations/sqlite/0006_summaries.sql"),
        include_str!("../../migrations/postgres/0006_summaries.sql"),
    ),
    (
        7,
        "units kind",
        include_str!("../../migrations/sqlite/0007_units_kind.sql"),
        include_str!("../../migrations/postgres/0007_units_kind.sql"),
    ),
    (
        8,
        "member names",
        include_str!("../../migrations/sqlite/0008_member_names.sql"),
        include_str!("../../migrations/postgres/0008_member_names.sql"),
    ),
    (
        9,
        "work programmes",
        include_str!("../../migrations/sqlite/0009_work_programmes.sql"),
        include_str!("../../migrations/postgres/0009_work_programmes.sql"),
    ),
    (
        10,
        "tasks and document files",
        include_str!("../../migrations/sqlite/0010_tasks_and_files.sql"),
        include_str!("../../migrations/postgres/0010_tasks_and_files.sql"),
    ),
    (
        11,
        "admission pipeline",
        include_str!("../../migrations/sqlite/0011_admission.sql"),
        include_str!("../../migrations/postgres/0011_admission.sql"),
    ),
    (
        12,
        "ratings",
        include_str!("../../migrations/sqlite/0012_ratings.sql"),
        include_str!("../../migrations/postgres/0012_ratings.sql"),
    ),
    (
        13,
        "rating proposals",
        include_str!("../../migrations/sqlite/0013_rating_proposals.sql"),
        include_str!("../../migrations/postgres/0013_rating_proposals.sql"),
    ),
    (
        14,
        "inspection and discipline",
        include_str!("../../migrations/sqlite/0014_inspection.sql"),
        include_str!("../../migrations/postgres/0014_inspection.sql"),
    ),
    (
        15,
        "cadres and education",
        include_str!("../../migrations/sqlite/0015_cadres_education.sql"),
        include_str!("../../migrations/postgres/0015_cadres_education.sql"),
    ),
];

/// The migrator of one engine.
pub(crate) fn migrator(postgres: bool) -> Migrator {
    let migrations: Vec<Migration> = MIGRATIONS
        .iter()
        .map(|(version, description, sqlite, pg)| {
            let sql = if postgres { *pg } else { *sqlite };
            Migration::new(
                *version,
                Cow::Borrowed(*description),
                MigrationType::Simple,
                sqlx::AssertSqlSafe(sql).into_sql_str(),
                false,
            )
        })
        .collect();
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

/// A short fingerprint of every migration of both engines: a test database template made from
/// one set of migrations is never reused for another.
pub fn fingerprint() -> String {
    let mut hash = Sha256::new();
    for (version, _, sqlite, pg) in MIGRATIONS {
        hash.update(version.to_le_bytes());
        hash.update(sqlite.as_bytes());
        hash.update(pg.as_bytes());
    }
    hex::encode(&hash.finalize()[..8])
}
