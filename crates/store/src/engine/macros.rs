//! Query macros: one SQL text, expanded once per engine so each runs with its own concrete types.

/// Runs a statement; evaluates to `Result<u64, sqlx::Error>` (rows affected).
macro_rules! execute {
    ($tx:expr, $sql:expr, [$($arg:expr),* $(,)?]) => {{
        let sql = $sql;
        match $tx {
            $crate::engine::Tx::Sqlite(t) => sqlx::query(sqlx::AssertSqlSafe(sql))
                $(.bind($arg))*
                .execute(&mut **t)
                .await
                .map(|r| r.rows_affected()),
            $crate::engine::Tx::Postgres(t) => sqlx::query(sqlx::AssertSqlSafe(sql))
                $(.bind($arg))*
                .execute(&mut **t)
                .await
                .map(|r| r.rows_affected()),
        }
    }};
}

/// Fetches all rows and maps each with `|row| expr` (expr: `Result<T, sqlx::Error>`);
/// evaluates to `Result<Vec<T>, sqlx::Error>`.
macro_rules! fetch_all {
    ($tx:expr, $sql:expr, [$($arg:expr),* $(,)?], |$row:ident| $map:expr) => {{
        #[allow(unused_imports)]
        use sqlx::Row as _;
        let sql = $sql;
        match $tx {
            $crate::engine::Tx::Sqlite(t) => sqlx::query(sqlx::AssertSqlSafe(sql))
                $(.bind($arg))*
                .fetch_all(&mut **t)
                .await
                .and_then(|rows| rows.iter().map(|$row| $map).collect::<Result<Vec<_>, sqlx::Error>>()),
            $crate::engine::Tx::Postgres(t) => sqlx::query(sqlx::AssertSqlSafe(sql))
                $(.bind($arg))*
                .fetch_all(&mut **t)
                .await
                .and_then(|rows| rows.iter().map(|$row| $map).collect::<Result<Vec<_>, sqlx::Error>>()),
        }
    }};
}

/// Fetches at most one row and maps it; evaluates to `Result<Option<T>, sqlx::Error>`.
macro_rules! fetch_optional {
    ($tx:expr, $sql:expr, [$($arg:expr),* $(,)?], |$row:ident| $map:expr) => {{
        #[allow(unused_imports)]
        use sqlx::Row as _;
        let sql = $sql;
        match $tx {
            $crate::engine::Tx::Sqlite(t) => sqlx::query(sqlx::AssertSqlSafe(sql))
                $(.bind($arg))*
                .fetch_optional(&mut **t)
                .await
                .and_then(|row| row.as_ref().map(|$row| $map).transpose()),
            $crate::engine::Tx::Postgres(t) => sqlx::query(sqlx::AssertSqlSafe(sql))
                $(.bind($arg))*
                .fetch_optional(&mut **t)
                .await
                .and_then(|row| row.as_ref().map(|$row| $map).transpose()),
        }
    }};
}

/// Binds run-time values (`&[Value]`) to a query.
macro_rules! bind_values {
    ($query:expr, $values:expr) => {{
        let mut q = $query;
        for v in $values {
            q = match v {
                $crate::engine::Value::Int(x) => q.bind(*x),
                $crate::engine::Value::Text(x) => q.bind(x.clone()),
                $crate::engine::Value::Date(x) => q.bind(*x),
            };
        }
        q
    }};
}

/// Like `fetch_all!`, with parameters bound from a `&[Value]` built at run time.
macro_rules! fetch_all_values {
    ($tx:expr, $sql:expr, $values:expr, |$row:ident| $map:expr) => {{
        #[allow(unused_imports)]
        use sqlx::Row as _;
        let sql = $sql;
        match $tx {
            $crate::engine::Tx::Sqlite(t) => {
                bind_values!(sqlx::query(sqlx::AssertSqlSafe(sql)), $values)
                    .fetch_all(&mut **t)
                    .await
                    .and_then(|rows| {
                        rows.iter()
                            .map(|$row| $map)
                            .collect::<Result<Vec<_>, sqlx::Error>>()
                    })
            }
            $crate::engine::Tx::Postgres(t) => {
                bind_values!(sqlx::query(sqlx::AssertSqlSafe(sql)), $values)
                    .fetch_all(&mut **t)
                    .await
                    .and_then(|rows| {
                        rows.iter()
                            .map(|$row| $map)
                            .collect::<Result<Vec<_>, sqlx::Error>>()
                    })
            }
        }
    }};
}
