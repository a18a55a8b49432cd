//! SQL fragments that many statements share, so each rule is written once.

/// Rows dated from `start` to `end` (exclusive; NULL while still in force) that are in force on
/// `date` (a placeholder or a column).
pub(crate) fn in_force(start: &str, end: &str, date: &str) -> String {
    format!("{start} <= {date} AND ({end} IS NULL OR {end} > {date})")
}

/// `column` holds a path inside the subtree whose bounds are `lo` and `hi` (placeholders), as given
/// by [`crate::tree::subtree_bounds`].
pub(crate) fn in_subtree(column: &str, lo: &str, hi: &str) -> String {
    format!("({column} >= {lo} AND {column} < {hi})")
}
