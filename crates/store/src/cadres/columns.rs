//! The file of training facts: one row per level a person reached (political theory, general
//! education, professional qualification), dated, as the importer reads it, the template explains
//! it and an export writes it (`docs/import-format.md`). The rows are read by the access layer's
//! cadres writer, which checks the scope and the levels.

use dangbo_domain::education::TrainingKind;
use dangbo_domain::input::TextKind;
use dangbo_domain::text::format_date;

use crate::io::{Dataset, Field, Table, export_headers, field, numbered};
use crate::tree::subtree_bounds;
use crate::{Result, Tx};

const COLUMNS: &[Field] = &[
    field("person", &["ma dang vien", "ma nguoi", "person_code"], true).takes(TextKind::Code),
    field("kind", &["loai", "loai trinh do", "kind"], true),
    field("level", &["trinh do", "level"], true),
    field("on", &["ngay cap bang", "ngay", "date"], true),
    field("institution", &["co so dao tao", "institution"], false).takes(TextKind::Line),
    field("proof", &["van bang", "proof"], false),
    field(
        "diploma",
        &["so hieu van bang", "so bang", "diploma_number"],
        false,
    ),
];

pub(crate) fn fields() -> &'static [Field] {
    COLUMNS
}

/// The header each column is written with.
pub(crate) fn headers() -> &'static [(&'static str, &'static str)] {
    &[
        ("person", "Mã đảng viên"),
        ("kind", "Loại trình độ"),
        ("level", "Trình độ"),
        ("on", "Ngày cấp bằng"),
        ("institution", "Cơ sở đào tạo"),
        ("proof", "Văn bằng"),
        ("diploma", "Số hiệu văn bằng"),
    ]
}

/// The proofs a fact may have, by code, as a file writes them.
const PROOFS: [(&str, &str); 2] = [
    ("diploma", "Bằng tốt nghiệp"),
    ("equivalence", "Giấy chứng nhận tương đương"),
];

/// A proof's words, from its code.
pub(crate) fn proof_label(code: &str) -> &'static str {
    PROOFS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, label)| *label)
}

/// Whether a file's cell names the proof stored as `code`: empty for a diploma, the code, or the
/// words an export writes (tone marks and case ignored).
pub(crate) fn names_proof(cell: &str, code: &str) -> bool {
    let folded = dangbo_domain::text::fold(cell.trim());
    if folded.is_empty() {
        return code == "diploma";
    }
    folded == code || folded == dangbo_domain::text::fold(proof_label(code))
}

/// The levels of each kind, in words, for the guide.
fn levels_in_words() -> String {
    TrainingKind::ALL
        .iter()
        .map(|&kind| {
            let levels: Vec<&str> = kind
                .levels()
                .into_iter()
                .filter_map(|code| kind.level_label_vi(code))
                .collect();
            format!("{}: {}", kind.label_vi(), levels.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// What a column holds, in words, and the template's example value.
pub(crate) fn explained(key: &str) -> (String, &'static str) {
    match key {
        "person" => (
            "Mã đảng viên, hoặc mã của người ngoài Đảng đã có hồ sơ ngắn, trong phạm vi".into(),
            "DV-MAU-01",
        ),
        "kind" => (
            TrainingKind::ALL
                .iter()
                .map(|k| k.label_vi())
                .collect::<Vec<_>>()
                .join("; "),
            "Lý luận chính trị",
        ),
        "level" => (
            format!(
                "Trình độ đạt được, thuộc loại trình độ của dòng (chữ hoặc mã): {}",
                levels_in_words()
            ),
            "Trung cấp",
        ),
        "on" => (
            "Ngày cấp bằng (hoặc giấy chứng nhận), dd/mm/yyyy: số liệu tính trình độ này từ ngày đó"
                .into(),
            "15/09/2020",
        ),
        "institution" => ("Cơ sở đào tạo (không bắt buộc)".into(), "Trường Chính trị tỉnh"),
        "proof" => (
            format!(
                "{}; để trống là {}",
                PROOFS.map(|(_, label)| label).join("; "),
                proof_label("diploma").to_lowercase()
            ),
            "Bằng tốt nghiệp",
        ),
        "diploma" => (
            "Số hiệu văn bằng hoặc giấy chứng nhận (không bắt buộc)".into(),
            "LL-2020-0123",
        ),
        _ => ("Chữ".into(), ""),
    }
}

/// The facts of the persons in the subtree of `scope_path`: members whose unit today (or last)
/// lies in it and non-members kept by a unit in it (every person for the whole database), one row
/// per fact, by person, kind and date, levels and proofs in words.
pub(crate) async fn export(tx: &mut Tx, scope_path: &str) -> Result<Table> {
    let today = chrono::Local::now().date_naive();
    let (lo, hi) = subtree_bounds(scope_path);
    let everything = scope_path == "/";
    // A member's unit is the one of their last span begun by today, as the scope reads it.
    let last_path = "(SELECT s.unit_path FROM member_spans s WHERE s.member_id = p.member_id \
         AND s.from_date <= $3 ORDER BY s.from_date DESC LIMIT 1)";
    let sql = format!(
        "SELECT COALESCE(m.code, p.code) AS reference, f.kind, f.level, f.on_date, \
         f.institution, f.proof, f.diploma FROM training_facts f \
         JOIN persons p ON p.id = f.person_id LEFT JOIN members m ON m.id = p.member_id \
         WHERE $4 = 1 OR (p.member_id IS NULL AND {}) OR (p.member_id IS NOT NULL AND {}) \
         ORDER BY reference, f.kind, f.on_date, f.id",
        crate::engine::sql::in_subtree("p.unit_path", "$1", "$2"),
        crate::engine::sql::in_subtree(last_path, "$1", "$2"),
    );
    let rows = fetch_all!(
        tx,
        sql,
        [lo.as_str(), hi.as_str(), today, i64::from(everything)],
        |row| {
            let kind: String = row.try_get("kind")?;
            let kind = TrainingKind::parse(&kind).ok_or_else(|| {
                sqlx::Error::Decode(format!("unknown training kind {kind}").into())
            })?;
            let level: String = row.try_get("level")?;
            let proof: String = row.try_get("proof")?;
            Ok(vec![
                row.try_get::<String, _>("reference")?,
                kind.label_vi().to_string(),
                kind.level_label_vi(&level).unwrap_or(&level).to_string(),
                format_date(row.try_get("on_date")?),
                row.try_get::<String, _>("institution")?,
                proof_label(&proof).to_string(),
                row.try_get::<String, _>("diploma")?,
            ])
        }
    )?;
    Ok(numbered(export_headers(Dataset::Training), rows))
}
