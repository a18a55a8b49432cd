//! The schema as each engine describes it (tables, columns with type, nullability and collation,
//! indexes, triggers), in one shape so that the parity test can hold the two engines side by side.

use serde::Serialize;
use sqlx::Row;

use super::Tx;
use crate::StoreError;

/// A column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Column {
    pub table: String,
    pub name: String,
    /// The type as the engine names it, lowercase (`integer`, `text`, `bigint`, `date`, …).
    pub ty: String,
    pub not_null: bool,
    /// The collation, when one other than the default is set (`C` on PostgreSQL).
    pub collation: Option<String>,
}

/// An index other than a primary key's.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Index {
    pub table: String,
    pub columns: Vec<String>,
    pub unique: bool,
}

/// What the parity test compares.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Schema {
    pub columns: Vec<Column>,
    pub indexes: Vec<Index>,
    /// Tables that have triggers.
    pub triggered_tables: Vec<String>,
}

fn lower(text: String) -> String {
    text.to_lowercase()
}

pub(crate) async fn read(tx: &mut Tx) -> Result<Schema, StoreError> {
    let mut schema = match tx {
        Tx::Sqlite(t) => {
            let tables: Vec<String> = sqlx::query(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
            )
            .fetch_all(&mut **t)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>("name"))
            .collect::<Result<_, _>>()?;
            let mut schema = Schema::default();
            for table in tables {
                // Table names come from sqlite_master, not from users.
                let columns =
                    format!("SELECT name, type, \"notnull\", pk FROM pragma_table_info('{table}')");
                for row in sqlx::query(sqlx::AssertSqlSafe(columns))
                    .fetch_all(&mut **t)
                    .await?
                {
                    schema.columns.push(Column {
                        table: table.clone(),
                        name: row.try_get("name")?,
                        ty: lower(row.try_get("type")?),
                        not_null: row.try_get::<i64, _>("notnull")? == 1
                            || row.try_get::<i64, _>("pk")? > 0,
                        collation: None,
                    });
                }
                let indexes =
                    format!("SELECT name, \"unique\", origin FROM pragma_index_list('{table}')");
                for index in sqlx::query(sqlx::AssertSqlSafe(indexes))
                    .fetch_all(&mut **t)
                    .await?
                {
                    if index.try_get::<String, _>("origin")? == "pk" {
                        continue;
                    }
                    let name: String = index.try_get("name")?;
                    let columns =
                        format!("SELECT name FROM pragma_index_info('{name}') ORDER BY seqno");
                    let columns: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(columns))
                        .fetch_all(&mut **t)
                        .await?
                        .iter()
                        .map(|r| r.try_get::<String, _>("name"))
                        .collect::<Result<_, _>>()?;
                    schema.indexes.push(Index {
                        table: table.clone(),
                        columns,
                        unique: index.try_get::<i64, _>("unique")? == 1,
                    });
                }
            }
            schema.triggered_tables =
                sqlx::query("SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger'")
                    .fetch_all(&mut **t)
                    .await?
                    .iter()
                    .map(|r| r.try_get::<String, _>("tbl_name"))
                    .collect::<Result<_, _>>()?;
            schema
        }
        Tx::Postgres(t) => {
            let mut schema = Schema::default();
            for row in sqlx::query(
                "SELECT table_name::text AS t, column_name::text AS c, data_type::text AS ty, \
                 is_nullable::text AS n, collation_name::text AS coll \
                 FROM information_schema.columns WHERE table_schema = current_schema() \
                 AND table_name <> '_sqlx_migrations'",
            )
            .fetch_all(&mut **t)
            .await?
            {
                schema.columns.push(Column {
                    table: row.try_get("t")?,
                    name: row.try_get("c")?,
                    ty: lower(row.try_get("ty")?),
                    not_null: row.try_get::<String, _>("n")? == "NO",
                    collation: row.try_get("coll")?,
                });
            }
            for row in sqlx::query(
                "SELECT t.relname::text AS t, ix.indisunique AS u, \
                 array_agg(a.attname::text ORDER BY k.ord) AS cols \
                 FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid \
                 JOIN pg_namespace ns ON ns.oid = t.relnamespace \
                 CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord) \
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                 WHERE ns.nspname = current_schema() AND NOT ix.indisprimary \
                 AND t.relname <> '_sqlx_migrations' \
                 GROUP BY ix.indexrelid, t.relname, ix.indisunique",
            )
            .fetch_all(&mut **t)
            .await?
            {
                schema.indexes.push(Index {
                    table: row.try_get("t")?,
                    columns: row.try_get("cols")?,
                    unique: row.try_get("u")?,
                });
            }
            schema.triggered_tables = sqlx::query(
                "SELECT DISTINCT event_object_table::text AS t FROM information_schema.triggers \
                 WHERE trigger_schema = current_schema()",
            )
            .fetch_all(&mut **t)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>("t"))
            .collect::<Result<_, _>>()?;
            schema
        }
    };
    schema.columns.sort();
    schema.indexes.sort();
    schema.triggered_tables.sort();
    Ok(schema)
}
