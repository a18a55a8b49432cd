//! The files of ratings: members' ratings (one row per member and period, as a branch's sheet
//! holds them) and organizations' ratings (one row per organization and period), as the importer
//! reads them, the template explains them and an export writes them (`docs/import-format.md`).
//! The rows are read by the access layer's rating writer, which checks the scope and the rules.

use dangbo_domain::input::TextKind;
use dangbo_domain::ratings::{Period, Subject, level_words};

use super::{Proposal, Rating};
use crate::io::{Dataset, Field, Table, export_headers, field, numbered};
use crate::{Result, Tx};

const MEMBER_COLUMNS: &[Field] = &[
    field("member", &["ma dang vien", "member_code"], true).takes(TextKind::Code),
    field("name", &["ho va ten", "ho ten", "full_name"], false).takes(TextKind::Name),
    field("unit", &["ma chi bo", "branch_code"], true).takes(TextKind::Code),
    field("year", &["nam", "year"], true),
    field("quarter", &["quy", "quarter"], false),
    field("self_level", &["tu danh gia", "self_level"], false),
    field(
        "proposed_level",
        &["chi bo de xuat", "de xuat", "proposed_level"],
        false,
    ),
    field("level", &["xep loai", "muc xep loai", "level"], true),
    field("points", &["diem", "so diem", "points"], false),
    field("decided_by", &["cap quyet dinh", "decided_by"], true).takes(TextKind::Line),
    field(
        "decision_number",
        &["so quyet dinh", "decision_number"],
        false,
    ),
    field("comment", &["nhan xet", "ghi chu", "comment"], false).takes(TextKind::Note),
    field(
        "quota_exception",
        &["quyet dinh cho phep vuot ty le", "quota_exception"],
        false,
    ),
];

const UNIT_COLUMNS: &[Field] = &[
    field("unit", &["ma don vi", "unit_code"], true).takes(TextKind::Code),
    field("name", &["ten don vi", "name"], false).takes(TextKind::Name),
    field("year", &["nam", "year"], true),
    field("quarter", &["quy", "quarter"], false),
    field("self_level", &["tu danh gia", "self_level"], false),
    field("proposed_level", &["de xuat", "proposed_level"], false),
    field("level", &["xep loai", "muc xep loai", "level"], true),
    field("points", &["diem", "so diem", "points"], false),
    field("decided_by", &["cap quyet dinh", "decided_by"], true).takes(TextKind::Line),
    field(
        "decision_number",
        &["so quyet dinh", "decision_number"],
        false,
    ),
    field("comment", &["nhan xet", "ghi chu", "comment"], false).takes(TextKind::Note),
    field(
        "quota_exception",
        &["quyet dinh cho phep vuot ty le", "quota_exception"],
        false,
    ),
];

pub(crate) fn fields(dataset: Dataset) -> &'static [Field] {
    match dataset {
        Dataset::UnitRatings => UNIT_COLUMNS,
        _ => MEMBER_COLUMNS,
    }
}

/// The header each column is written with.
pub(crate) fn headers(dataset: Dataset) -> &'static [(&'static str, &'static str)] {
    match dataset {
        Dataset::UnitRatings => &[
            ("unit", "Mã đơn vị"),
            ("name", "Tên đơn vị"),
            ("year", "Năm"),
            ("quarter", "Quý"),
            ("self_level", "Tự đánh giá"),
            ("proposed_level", "Đề xuất"),
            ("level", "Xếp loại"),
            ("points", "Điểm"),
            ("decided_by", "Cấp quyết định"),
            ("decision_number", "Số quyết định"),
            ("comment", "Nhận xét"),
            ("quota_exception", "Quyết định cho phép vượt tỷ lệ"),
        ],
        _ => &[
            ("member", "Mã đảng viên"),
            ("name", "Họ và tên"),
            ("unit", "Mã chi bộ"),
            ("year", "Năm"),
            ("quarter", "Quý"),
            ("self_level", "Tự đánh giá"),
            ("proposed_level", "Chi bộ đề xuất"),
            ("level", "Xếp loại"),
            ("points", "Điểm"),
            ("decided_by", "Cấp quyết định"),
            ("decision_number", "Số quyết định"),
            ("comment", "Nhận xét"),
            ("quota_exception", "Quyết định cho phép vượt tỷ lệ"),
        ],
    }
}

/// What a column holds, in words, and the template's example value.
pub(crate) fn explained(dataset: Dataset, key: &str) -> (String, &'static str) {
    let member = dataset == Dataset::MemberRatings;
    match key {
        "member" => (
            "Mã đảng viên, trong danh sách của chi bộ ngày cuối kỳ đánh giá".into(),
            "DV-MAU-01",
        ),
        "name" if member => (
            "Họ và tên, để đối chiếu (phải khớp với hồ sơ nếu ghi)".into(),
            "Nguyễn Văn Mẫu",
        ),
        "name" => ("Tên đơn vị, để đối chiếu (không bắt buộc)".into(), ""),
        "unit" if member => (
            "Mã chi bộ nơi đảng viên sinh hoạt chính thức ngày cuối kỳ".into(),
            "CB-MAU",
        ),
        "unit" => (
            "Mã tổ chức được xếp loại: tổ chức cơ sở đảng, đảng bộ bộ phận, chi bộ, đảng ủy xã".into(),
            "CB-MAU",
        ),
        "year" => ("Năm đánh giá".into(), "2024"),
        "quarter" => (
            "Để trống khi xếp loại năm; 1, 2 hoặc 3 khi đánh giá quý (từ Quy định 366-QĐ/TW)".into(),
            "",
        ),
        "self_level" | "proposed_level" | "level" => (
            format!(
                "Mức xếp loại theo quy định của năm (chữ hoặc mã), xem docs/rules.md: {}{}",
                levels_in_words(2024, member),
                if key == "level" { "" } else { "; có thể để trống" }
            ),
            if key == "level" { "Hoàn thành tốt nhiệm vụ" } else { "" },
        ),
        "points" => (
            "Số điểm 0 đến 100 khi quy định chấm điểm (từ Quy định 366-QĐ/TW), phải thuộc khung điểm của mức; để trống với quy định trước".into(),
            "",
        ),
        "decided_by" => ("Cấp ủy, tổ chức quyết định xếp loại".into(), "Đảng ủy xã Mẫu"),
        "decision_number" => (
            "Số quyết định; xếp loại đã có chỉ đổi được bằng quyết định số khác".into(),
            "12-QĐ/ĐU",
        ),
        "comment" => ("Nhận xét (của chi bộ nơi cư trú, sinh hoạt tạm thời…)".into(), ""),
        "quota_exception" => (
            "Quyết định cho phép vượt tỷ lệ, nếu có (khi vượt tỷ lệ đảng viên hoàn thành xuất sắc nhiệm vụ)".into(),
            "",
        ),
        _ => ("Chữ".into(), ""),
    }
}

fn levels_in_words(year: i32, member: bool) -> String {
    let subject = if member {
        Subject::Member
    } else {
        Subject::Organization
    };
    dangbo_domain::ratings::levels(
        &dangbo_domain::ratings::scheme_for(Period::year(year)).rules,
        subject,
    )
    .iter()
    .map(|l| l.label_vi)
    .collect::<Vec<_>>()
    .join("; ")
}

/// The ratings in force in the subtree of `scope_path`, of members or of organizations, every
/// period, as a file writes them (levels in words).
pub(crate) async fn export(tx: &mut Tx, dataset: Dataset, scope_path: &str) -> Result<Table> {
    let subject = if dataset == Dataset::UnitRatings {
        Subject::Organization
    } else {
        Subject::Member
    };
    let ratings = super::current_all_under(tx, scope_path, subject).await?;
    let rows = ratings
        .iter()
        .map(|r| {
            let mut row = match subject {
                Subject::Member => vec![
                    r.member_code.clone().unwrap_or_default(),
                    r.member_name.clone().unwrap_or_default(),
                    r.unit_code.clone(),
                ],
                Subject::Organization => vec![r.unit_code.clone(), r.unit_name.clone()],
            };
            row.extend(rating_cells(r.period, subject, Some(r), None));
            row
        })
        .collect();
    Ok(numbered(export_headers(dataset), rows))
}

/// The columns after who is rated: the period, then the rating (levels in words); where there
/// is none yet (a sheet to fill in), the branch's proposal if any, else blanks.
pub(crate) fn rating_cells(
    period: Period,
    subject: Subject,
    rating: Option<&Rating>,
    proposal: Option<&Proposal>,
) -> Vec<String> {
    let words = |code: &str| level_words(period, subject, code);
    let mut cells = vec![
        period.year.to_string(),
        period.quarter.map(|q| q.to_string()).unwrap_or_default(),
    ];
    if let Some(r) = rating {
        cells.extend([
            words(&r.self_level),
            words(&r.proposed_level),
            words(&r.level),
            r.points.map(|p| p.to_string()).unwrap_or_default(),
            r.decided_by.clone(),
            r.decision_number.clone(),
            r.comment.clone(),
            r.quota_exception.clone(),
        ]);
    } else {
        let p = proposal;
        let text = |get: fn(&Proposal) -> &str| p.map(get).unwrap_or_default().to_string();
        cells.extend([
            words(&text(|p| &p.self_level)),
            words(&text(|p| &p.proposed_level)),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            text(|p| &p.comment),
            String::new(),
        ]);
    }
    cells
}
