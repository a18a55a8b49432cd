//! The file of inspection cases: one row per case subject, with the case's decision, the
//! subject's conclusion and the discipline decided on it, as the importer reads it, the template
//! explains it and an export writes it (`docs/import-format.md`). The rows are read by the
//! access layer's inspection writer, which checks the scope and the rules.

use dangbo_domain::input::TextKind;
use dangbo_domain::inspection::{Body, CaseKind, Conclusion, Discipline};

use crate::io::{Dataset, Field, Table, export_headers, field, numbered};
use crate::{Result, Tx};

const COLUMNS: &[Field] = &[
    field("case", &["ma vu viec", "case_code"], true).takes(TextKind::Code),
    field("kind", &["loai", "loai vu viec", "kind"], true),
    field(
        "unit",
        &["co quan quyet dinh", "don vi quyet dinh", "unit"],
        true,
    )
    .takes(TextKind::Line),
    field("body", &["bo phan quyet dinh", "body"], false),
    field(
        "decision_number",
        &["so quyet dinh", "decision_number"],
        true,
    ),
    field("decided_on", &["ngay quyet dinh", "decided_on"], true),
    field("started_on", &["ngay bat dau", "started_on"], false),
    field("topic", &["noi dung", "topic"], false).takes(TextKind::Line),
    field("subject_unit", &["ma don vi", "subject_unit"], false).takes(TextKind::Code),
    field("subject_member", &["ma dang vien", "subject_member"], false).takes(TextKind::Code),
    field("concluded_on", &["ngay ket luan", "concluded_on"], false),
    field("conclusion", &["ket luan", "conclusion"], false),
    field(
        "conclusion_note",
        &["ghi chu ket luan", "conclusion_note"],
        false,
    )
    .takes(TextKind::Note),
    field("form", &["hinh thuc ky luat", "form"], false),
    field("violation_on", &["ngay vi pham", "violation_on"], false),
    field(
        "no_limit",
        &["khong ap dung thoi hieu", "no_limit_kind"],
        false,
    ),
    field(
        "discipline_by",
        &["cap quyet dinh ky luat", "discipline_decided_by"],
        false,
    )
    .takes(TextKind::Line),
    field(
        "discipline_number",
        &["so quyet dinh ky luat", "discipline_decision_number"],
        false,
    ),
    field(
        "discipline_on",
        &["ngay quyet dinh ky luat", "discipline_decided_on"],
        false,
    ),
    field(
        "discipline_body",
        &["bo phan quyet dinh ky luat", "discipline_body"],
        false,
    ),
    field("reason", &["ly do ky luat", "reason"], false).takes(TextKind::Note),
];

pub(crate) fn fields() -> &'static [Field] {
    COLUMNS
}

/// The header each column is written with.
pub(crate) fn headers() -> &'static [(&'static str, &'static str)] {
    &[
        ("case", "Mã vụ việc"),
        ("kind", "Loại"),
        ("unit", "Cơ quan quyết định"),
        ("body", "Bộ phận quyết định"),
        ("decision_number", "Số quyết định"),
        ("decided_on", "Ngày quyết định"),
        ("started_on", "Ngày bắt đầu"),
        ("topic", "Nội dung"),
        ("subject_unit", "Mã đơn vị"),
        ("subject_member", "Mã đảng viên"),
        ("concluded_on", "Ngày kết luận"),
        ("conclusion", "Kết luận"),
        ("conclusion_note", "Ghi chú kết luận"),
        ("form", "Hình thức kỷ luật"),
        ("violation_on", "Ngày vi phạm"),
        ("no_limit", "Không áp dụng thời hiệu"),
        ("discipline_by", "Cấp quyết định kỷ luật"),
        ("discipline_number", "Số quyết định kỷ luật"),
        ("discipline_on", "Ngày quyết định kỷ luật"),
        ("discipline_body", "Bộ phận quyết định kỷ luật"),
        ("reason", "Lý do kỷ luật"),
    ]
}

fn words<T: Copy>(all: &[T], label: fn(T) -> &'static str) -> String {
    all.iter().map(|&v| label(v)).collect::<Vec<_>>().join("; ")
}

/// What a column holds, in words, and the template's example value.
pub(crate) fn explained(key: &str) -> (String, &'static str) {
    match key {
        "case" => (
            "Mã vụ việc, không trùng; các dòng cùng mã là các đối tượng của một vụ việc".into(),
            "KT-2024-01",
        ),
        "kind" => (
            words(CaseKind::ALL, CaseKind::label_vi),
            "Kiểm tra khi có dấu hiệu vi phạm",
        ),
        "unit" => (
            "Mã (hoặc tên đúng) của đơn vị có cơ quan ra quyết định kiểm tra, giám sát".into(),
            "XA-MAU",
        ),
        "body" => (
            format!("{}; để trống là Cấp ủy", words(Body::ALL, Body::label_vi)),
            "Ủy ban Kiểm tra",
        ),
        "decision_number" => ("Số quyết định kiểm tra, giám sát".into(), "05-QĐ/UBKT"),
        "decided_on" => ("Ngày quyết định, dd/mm/yyyy".into(), "10/03/2024"),
        "started_on" => ("Ngày bắt đầu (không bắt buộc)".into(), ""),
        "topic" => ("Nội dung kiểm tra, giám sát".into(), ""),
        "subject_unit" => (
            "Mã tổ chức đảng là đối tượng (để trống khi đối tượng là đảng viên)".into(),
            "",
        ),
        "subject_member" => (
            "Mã đảng viên là đối tượng (để trống khi đối tượng là tổ chức)".into(),
            "DV-MAU-01",
        ),
        "concluded_on" => ("Ngày kết luận, khi đã kết luận".into(), "10/06/2024"),
        "conclusion" => (
            format!(
                "Có vi phạm / Không vi phạm, hoặc: {}; «Có vi phạm» có hình thức kỷ luật là đến mức phải kỷ luật",
                words(Conclusion::ALL, Conclusion::label_vi)
            ),
            "Có vi phạm",
        ),
        "conclusion_note" => ("Ghi chú của kết luận".into(), ""),
        "form" => (
            format!(
                "Khi có quyết định kỷ luật: {}",
                words(Discipline::ALL, Discipline::label_vi)
            ),
            "Cảnh cáo",
        ),
        "violation_on" => (
            "Ngày vi phạm (hành vi cuối), để tính thời hiệu; bắt buộc khi có hình thức kỷ luật"
                .into(),
            "01/12/2023",
        ),
        "no_limit" => (
            "«có» nếu vi phạm thuộc loại không áp dụng thời hiệu".into(),
            "",
        ),
        "discipline_by" => (
            "Mã đơn vị quyết định kỷ luật; để trống là cơ quan quyết định kiểm tra".into(),
            "",
        ),
        "discipline_number" => ("Số quyết định kỷ luật".into(), "07-QĐ/ĐU"),
        "discipline_on" => ("Ngày quyết định kỷ luật".into(), "01/07/2024"),
        "discipline_body" => (
            format!("{}; để trống là Cấp ủy", words(Body::ALL, Body::label_vi)),
            "",
        ),
        "reason" => ("Lý do kỷ luật".into(), ""),
        _ => ("Chữ".into(), ""),
    }
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(dangbo_domain::text::format_date).unwrap_or_default()
}

/// The cases decided in the subtree of `scope_path`, one row per subject (with the discipline
/// standing on it), oldest first, as a file writes them.
pub(crate) async fn export(tx: &mut Tx, scope_path: &str) -> Result<Table> {
    let cases = super::under(tx, scope_path, &super::CaseFilter::default()).await?;
    let mut rows = Vec::new();
    for case in cases.iter().rev() {
        for s in &case.subjects {
            // Complaints are not in the file: a decision annulled by one is left out.
            let decision = s.decisions.iter().find(|d| d.annulled_on.is_none());
            let (unit, member) = match &s.member_code {
                Some(m) => (String::new(), m.clone()),
                None => (s.unit_code.clone(), String::new()),
            };
            let mut row = vec![
                case.code.clone(),
                case.kind.label_vi().to_string(),
                case.unit_code.clone(),
                case.body.label_vi().to_string(),
                case.decision_number.clone(),
                date(Some(case.decided_on)),
                date(case.started_on),
                case.topic.clone(),
                unit,
                member,
                date(case.concluded_on),
                s.conclusion
                    .map(|c| c.label_vi())
                    .unwrap_or_default()
                    .to_string(),
                s.conclusion_note.clone(),
            ];
            row.extend(match decision {
                Some(d) => [
                    d.form.label_vi().to_string(),
                    date(Some(d.violation_on)),
                    if d.no_limit_kind { "có" } else { "" }.to_string(),
                    d.decided_by_code.clone(),
                    d.decision_number.clone(),
                    date(Some(d.decided_on)),
                    d.body.label_vi().to_string(),
                    d.reason.clone(),
                ],
                None => Default::default(),
            });
            rows.push(row);
        }
    }
    Ok(numbered(export_headers(Dataset::Inspections), rows))
}
