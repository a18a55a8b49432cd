//! The query plans figures rely on, as each engine describes them: a test keeps every figure
//! statement on an index (a unit's cost must follow its subtree, never the database), and
//! `dangbo bench` prints them.

use chrono::NaiveDate;
use dangbo_domain::figures::Window;

use crate::engine::Value as SqlValue;
use crate::{Db, Result, StoreError, Tx};

/// One statement and its plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryPlan {
    /// What the statement computes ("count member_events", "summary stock"…).
    pub what: String,
    /// The plan, one line per step, as the engine prints it.
    pub plan: String,
}

impl QueryPlan {
    /// The tables the plan reads whole instead of through an index (`c`, the inline table of units
    /// being evaluated, is read whole by design).
    pub fn full_scans(&self) -> Vec<String> {
        let mut out = Vec::new();
        // SQLite names the results of subqueries it computes first; reading those is no scan.
        let computed: Vec<&str> = self
            .plan
            .lines()
            .filter_map(|l| {
                let l = l.trim();
                l.strip_prefix("CO-ROUTINE ")
                    .or_else(|| l.strip_prefix("MATERIALIZE "))
            })
            .map(|name| name.split_whitespace().next().unwrap_or(""))
            .collect();
        for line in self.plan.lines() {
            let line = line.trim_start_matches(['|', '-', '`', ' ']).trim();
            // SQLite: "SCAN x" (a table read whole; "SCAN x USING INDEX" walks an index whole).
            if let Some(rest) = line.strip_prefix("SCAN ") {
                let table = rest.split_whitespace().next().unwrap_or("");
                if table != "c"
                    && table != "CONSTANT"
                    && !computed.contains(&table)
                    && !rest.contains("COVERING INDEX")
                {
                    out.push(line.to_string());
                }
            }
            // PostgreSQL: "Seq Scan on x".
            if let Some(at) = line.find("Seq Scan on ") {
                out.push(line[at..].to_string());
            }
        }
        out
    }
}

/// The plans of the statements that compute a unit's figures on a date: the rows' statements for a
/// small subtree; for the whole database and the provinces, the summary's statements (and the
/// counts of units, documents, targets and tasks, which come from the rows).
pub async fn figure_plans(db: &Db, unit_code: &str, date: NaiveDate) -> Result<Vec<QueryPlan>> {
    // The plan the data would get: fresh statistics, as after an import or autovacuum.
    db.refresh_statistics().await?;
    let mut tx = db.begin().await?;
    let unit = if unit_code.is_empty() {
        crate::tree::everything()
    } else {
        crate::tree::require(&mut tx, unit_code).await?
    };
    let window = Window {
        as_of: date,
        from: date
            .checked_sub_months(chrono::Months::new(12))
            .unwrap_or(date),
        to: date,
    };
    let summarized = super::summary::SummaryUnits::load(&mut tx)
        .await?
        .contains(unit.id);
    let mut statements = super::statements(&unit, &window);
    let mut summary = super::summary::statements(&[unit.id], date);
    if summarized {
        // The summary answers most of the members' counts; the units', the work programmes',
        // the candidates' and the admissions by who was admitted come from the rows.
        statements.retain(|(what, ..)| {
            [
                "count units",
                "count member_events",
                "count documents",
                "count targets",
                "count tasks",
                "count candidates",
                "count awareness_classes",
                "count class_trainees",
                "count ratings",
                "count case_subjects",
                "count discipline",
                "count complaints",
                "count inspection_plans",
                "count holdings",
                "count training",
                "count study_sessions",
                "count study_units",
                "count study_attendance",
            ]
            .contains(&what.as_str())
        });
        statements.append(&mut summary);
        statements.extend(super::breakdown_statements());
    } else {
        // Every evaluation reads which units have summaries.
        statements.extend(summary.into_iter().take(1));
    }
    let mut out = Vec::new();
    for (what, sql, values) in statements {
        let plan = explain(&mut tx, &sql, &values).await?;
        out.push(QueryPlan { what, plan });
    }
    tx.rollback().await?;
    Ok(out)
}

/// The engine's plan for a statement. On PostgreSQL sequential scans are priced out, so that a
/// small test database shows the index a large one would use, and a scan shows that none can.
async fn explain(tx: &mut Tx, sql: &str, values: &[SqlValue]) -> Result<String> {
    let lines: Vec<String> = match tx {
        Tx::Sqlite(_) => {
            let text = format!("EXPLAIN QUERY PLAN {sql}");
            fetch_all_values!(tx, text, values, |row| row.try_get::<String, _>(3))?
        }
        Tx::Postgres(_) => {
            execute!(tx, "SET LOCAL enable_seqscan = off", [])?;
            let text = format!("EXPLAIN {sql}");
            fetch_all_values!(tx, text, values, |row| row.try_get::<String, _>(0))?
        }
    };
    if lines.is_empty() {
        return Err(StoreError::invalid("plan.empty", "no plan"));
    }
    Ok(lines.join("\n"))
}
