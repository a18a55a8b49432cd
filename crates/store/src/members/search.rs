//! The search index of members: a search ignoring tone marks and case finds a member by any part
//! of the name that starts at a word ("tran thi lan", "thi lan", "lan"), or by the start of the
//! code, national ID or card number. Each member's terms are rows of `member_terms`, so a rare
//! name is an index range however large the database; a common one matches so many members that
//! walking the list in name order finds a page at once.

use dangbo_domain::text::fold;

use crate::engine::Value;
use crate::{Result, Tx};

/// A search matching more terms than this walks the list in name order instead. Up to it, the
/// matches are read from the index and sorted: a name shared by thousands across the country
/// ("tran thi lan") would otherwise walk the list up to where its given name sorts.
pub(crate) const SPARSE: usize = 20_000;

/// The terms a member is found by.
pub(crate) fn terms(
    name_key: &str,
    code: &str,
    national_id: &str,
    card_number: &str,
) -> Vec<String> {
    let words: Vec<&str> = name_key.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out: Vec<String> = (0..words.len()).map(|i| words[i..].join(" ")).collect();
    out.push(code.to_lowercase());
    for other in [national_id, card_number] {
        if !other.trim().is_empty() {
            out.push(other.trim().to_lowercase());
        }
    }
    out.retain(|t| !t.is_empty());
    out.sort();
    out.dedup();
    out
}

/// What a person typed, as the index holds it; `None` when nothing is left to search for.
pub(crate) fn normalise(search: &str) -> Option<String> {
    let folded = fold(search);
    let folded = folded.trim().to_string();
    (!folded.is_empty()).then_some(folded)
}

/// A normalised search as the text of a LIKE pattern: its wildcards (`_` is allowed in codes)
/// and the escape character taken literally.
pub(crate) fn like_text(search: &str) -> String {
    let mut out = String::with_capacity(search.len());
    for c in search.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The condition a member matches a normalised search by, without the index (for a dense search);
/// the same matches as the index's. `p` is the placeholder of [`like_text`] of the search.
pub(crate) fn condition(p: &str) -> String {
    let starts = |column: &str| format!("{column} LIKE ({p} || '%') ESCAPE '\\'");
    format!(
        "((' ' || m.name_key) LIKE ('% ' || {p} || '%') ESCAPE '\\' OR {} OR {} OR {})",
        starts("LOWER(m.code)"),
        starts("LOWER(m.national_id)"),
        starts("LOWER(m.card_number)")
    )
}

/// How a normalised search finds its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// No member has a term starting with it.
    Nobody,
    /// Few enough terms start with it: the members come from the index ([`indexed_condition`]).
    Indexed,
    /// Too many: the list is walked in name order with [`condition`].
    Walk,
}

/// Decides how to find a search's members by counting, up to [`SPARSE`], the index's terms that
/// start with it (a member is counted once per matching term, so at most that many members).
pub(crate) async fn route(tx: &mut Tx, search: &str) -> Result<Route> {
    let sql = format!(
        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM member_terms WHERE term >= $1 AND term < $2 \
         LIMIT {}) t",
        SPARSE + 1
    );
    let end = upper_bound(search);
    let n = fetch_optional!(tx, sql, [search, end.as_str()], |row| row
        .try_get::<i64, _>("n"))?
    .unwrap_or(0);
    Ok(match usize::try_from(n).unwrap_or(usize::MAX) {
        0 => Route::Nobody,
        n if n <= SPARSE => Route::Indexed,
        _ => Route::Walk,
    })
}

/// The end of the range of terms that start with a normalised search.
pub(crate) fn upper_bound(search: &str) -> String {
    format!("{search}\u{10FFFF}")
}

/// The condition a member matches a search through the index: `lo` and `hi` are the placeholders
/// of the search and its [`upper_bound`]. The engine reads the matching ids itself, however many.
pub(crate) fn indexed_condition(lo: &str, hi: &str) -> String {
    format!(
        "m.id IN (SELECT t.member_id FROM member_terms t WHERE t.term >= {lo} AND t.term < {hi})"
    )
}

/// Writes the terms of members: (id, name_key, code, national ID, card). `replace` first removes
/// the terms they had (members changed, not just created).
pub(crate) async fn index(
    tx: &mut Tx,
    members: &[(i64, String, String, String, String)],
    replace: bool,
) -> Result<()> {
    if replace {
        for chunk in members.chunks(1000) {
            let list = crate::engine::id_list(&chunk.iter().map(|m| m.0).collect::<Vec<_>>());
            execute!(
                tx,
                format!("DELETE FROM member_terms WHERE member_id IN ({list})"),
                []
            )?;
        }
    }
    let rows: Vec<Vec<Value>> = members
        .iter()
        .flat_map(|(id, name_key, code, national_id, card)| {
            terms(name_key, code, national_id, card)
                .into_iter()
                .map(move |t| vec![Value::from(t), Value::from(*id)])
        })
        .collect();
    tx.insert_rows("member_terms", &["term", "member_id"], &rows)
        .await
}

/// Members read at a time when the index is filled.
const FILL_MEMBERS: i64 = 20_000;

/// Fills the index for members stored before it existed (the migration that made it).
pub(crate) async fn fill_if_empty(tx: &mut Tx) -> Result<()> {
    let indexed = fetch_optional!(
        tx,
        "SELECT member_id FROM member_terms LIMIT 1",
        [],
        |row| row.try_get::<i64, _>("member_id")
    )?;
    if indexed.is_some() {
        return Ok(());
    }
    let (low, high) = super::id_range(tx).await?;
    let mut start = low;
    while start <= high {
        let end = start + FILL_MEMBERS;
        let members =
            indexed_fields(tx, "id >= $1 AND id < $2", &[start.into(), end.into()]).await?;
        index(tx, &members, false).await?;
        start = end;
    }
    Ok(())
}

/// Re-indexes members by id (after their records were written).
pub(crate) async fn reindex(tx: &mut Tx, ids: &[i64]) -> Result<()> {
    index_ids(tx, ids, true).await
}

/// Indexes members just created (they have no terms yet).
pub(crate) async fn index_new(tx: &mut Tx, ids: &[i64]) -> Result<()> {
    index_ids(tx, ids, false).await
}

async fn index_ids(tx: &mut Tx, ids: &[i64], replace: bool) -> Result<()> {
    let mut members = Vec::new();
    for chunk in ids.chunks(1000) {
        let filter = format!("id IN ({})", crate::engine::id_list(chunk));
        members.extend(indexed_fields(tx, &filter, &[]).await?);
    }
    index(tx, &members, replace).await
}

/// The fields the index holds of the members a condition selects.
async fn indexed_fields(
    tx: &mut Tx,
    filter: &str,
    values: &[Value],
) -> Result<Vec<(i64, String, String, String, String)>> {
    let sql =
        format!("SELECT id, name_key, code, national_id, card_number FROM members WHERE {filter}");
    Ok(fetch_all_values!(tx, sql, values, |row| Ok((
        row.try_get::<i64, _>("id")?,
        row.try_get::<String, _>("name_key")?,
        row.try_get::<String, _>("code")?,
        row.try_get::<String, _>("national_id")?,
        row.try_get::<String, _>("card_number")?
    )))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_is_found_by_every_word_suffix_and_the_starts_of_codes() {
        assert_eq!(
            terms("tran thi lan", "X01-7", "001234", ""),
            vec!["001234", "lan", "thi lan", "tran thi lan", "x01-7"]
        );
        assert_eq!(normalise("  Trần  THỊ Lan "), Some("tran thi lan".into()));
        assert_eq!(normalise("  "), None);
        assert_eq!(normalise("HN_001"), Some("hn_001".into()));
        assert_eq!(like_text("hn_1%\\"), "hn\\_1\\%\\\\");
    }
}
