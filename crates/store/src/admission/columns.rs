//! The files of the admission pipeline: candidates (one row per file, with its nomination) and
//! their steps (one row per step, in date order per file), as the importer reads them, the
//! template explains them and an export writes them (see `docs/import-format.md`). The rows are
//! read by the access layer's admission writer, which checks the scope and the rules.

use dangbo_domain::admission::{NominatedBy, Stage, Step, StopReason};
use dangbo_domain::input::TextKind;
use dangbo_domain::members::{GeneralEducation, Qualification, Sex, TheoryLevel};
use dangbo_domain::text::format_date;

use crate::io::{Dataset, Field, Table, export_headers, field, numbered};
use crate::{Result, Tx};

const CANDIDATE_COLUMNS: &[Field] = &[
    field("code", &["ma ho so", "code"], true).takes(TextKind::Code),
    field("name", &["ho va ten", "ho ten", "full_name"], true).takes(TextKind::Name),
    field("sex", &["gioi tinh", "sex"], true),
    field("birth", &["ngay sinh", "birth_date"], true),
    field("ethnicity", &["dan toc", "ethnicity"], false),
    field("religion", &["ton giao", "religion"], false),
    field("home_town", &["que quan", "home_town"], false).takes(TextKind::Line),
    field(
        "residence",
        &["noi o hien nay", "noi o", "residence"],
        false,
    )
    .takes(TextKind::Line),
    field("national_id", &["so cccd", "cccd", "national_id"], false),
    field(
        "education",
        &[
            "giao duc pho thong",
            "trinh do hoc van",
            "general_education",
        ],
        false,
    ),
    field("qualification", &["chuyen mon", "qualification"], false),
    field(
        "theory",
        &[
            "trinh do ly luan chinh tri",
            "ly luan chinh tri",
            "theory_level",
        ],
        false,
    ),
    field("occupation", &["nghe nghiep", "occupation"], false).takes(TextKind::Line),
    field("phone", &["so dien thoai", "dien thoai", "phone"], false),
    field("unit", &["ma chi bo", "unit"], true).takes(TextKind::Code),
    field(
        "nominated_by",
        &["to chuc gioi thieu", "nominated_by"],
        true,
    ),
    field("nominated_on", &["ngay gioi thieu", "nominated_on"], true),
];

const STEP_COLUMNS: &[Field] = &[
    field("code", &["ma ho so", "code"], true).takes(TextKind::Code),
    field("stage", &["buoc", "stage"], true),
    field("on", &["ngay", "date"], true),
    field("certificate", &["so giay chung nhan", "certificate"], false),
    field("centre", &["noi cap", "centre"], false).takes(TextKind::Line),
    field("votes_for", &["tan thanh", "votes_for"], false),
    field(
        "votes_against",
        &["khong tan thanh", "votes_against"],
        false,
    ),
    field("present", &["co mat", "present"], false),
    field("entitled", &["tong so", "entitled"], false),
    field(
        "over_age_approval",
        &["quyet dinh dong y qua tuoi", "over_age_approval"],
        false,
    ),
    field("number", &["so quyet dinh", "number"], false),
    field("committee", &["cap uy quyet dinh", "committee"], false).takes(TextKind::Line),
    field("reason", &["ly do dung", "reason"], false),
    field("note", &["ghi chu", "note"], false).takes(TextKind::Note),
];

pub(crate) fn fields(dataset: Dataset) -> &'static [Field] {
    match dataset {
        Dataset::CandidateSteps => STEP_COLUMNS,
        _ => CANDIDATE_COLUMNS,
    }
}

/// The header each column is written with.
pub(crate) fn headers(dataset: Dataset) -> &'static [(&'static str, &'static str)] {
    match dataset {
        Dataset::CandidateSteps => &[
            ("code", "Mã hồ sơ"),
            ("stage", "Bước"),
            ("on", "Ngày"),
            ("certificate", "Số giấy chứng nhận"),
            ("centre", "Nơi cấp"),
            ("votes_for", "Tán thành"),
            ("votes_against", "Không tán thành"),
            ("present", "Có mặt"),
            ("entitled", "Tổng số"),
            ("over_age_approval", "Quyết định đồng ý quá tuổi"),
            ("number", "Số quyết định"),
            ("committee", "Cấp ủy quyết định"),
            ("reason", "Lý do dừng"),
            ("note", "Ghi chú"),
        ],
        _ => &[
            ("code", "Mã hồ sơ"),
            ("name", "Họ và tên"),
            ("sex", "Giới tính"),
            ("birth", "Ngày sinh"),
            ("ethnicity", "Dân tộc"),
            ("religion", "Tôn giáo"),
            ("home_town", "Quê quán"),
            ("residence", "Nơi ở hiện nay"),
            ("national_id", "Số CCCD"),
            ("education", "Giáo dục phổ thông"),
            ("qualification", "Chuyên môn"),
            ("theory", "Trình độ lý luận chính trị"),
            ("occupation", "Nghề nghiệp"),
            ("phone", "Số điện thoại"),
            ("unit", "Mã chi bộ"),
            ("nominated_by", "Tổ chức giới thiệu"),
            ("nominated_on", "Ngày giới thiệu"),
        ],
    }
}

fn list(labels: impl Iterator<Item = &'static str>) -> String {
    labels.collect::<Vec<_>>().join("; ")
}

/// What a column holds, in words, and the template's example value.
pub(crate) fn explained(dataset: Dataset, key: &str) -> (String, &'static str) {
    match (dataset, key) {
        (Dataset::Candidates, "code") => (
            "Mã hồ sơ, không trùng; thành mã đảng viên khi có quyết định kết nạp. Hồ sơ của người đã là đảng viên: ghi đúng mã đảng viên".into(),
            "HS-2026-01",
        ),
        (Dataset::Candidates, "name") => ("Họ và tên".into(), "Hoàng Thị Lan"),
        (Dataset::Candidates, "sex") => (list(Sex::ALL.iter().map(|s| s.label_vi())), "Nữ"),
        (Dataset::Candidates, "birth") => ("Ngày sinh, dd/mm/yyyy".into(), "12/04/2003"),
        (Dataset::Candidates, "ethnicity") => ("Dân tộc".into(), "Tày"),
        (Dataset::Candidates, "religion") => ("Tôn giáo; «Không» nếu không theo".into(), "Không"),
        (Dataset::Candidates, "national_id") => ("12 chữ số".into(), ""),
        (Dataset::Candidates, "education") => {
            (list(GeneralEducation::ALL.iter().map(|l| l.label_vi())), "")
        }
        (Dataset::Candidates, "qualification") => {
            (list(Qualification::ALL.iter().map(|l| l.label_vi())), "")
        }
        (Dataset::Candidates, "theory") => (list(TheoryLevel::ALL.iter().map(|l| l.label_vi())), ""),
        (Dataset::Candidates, "unit") => (
            "Mã chi bộ bồi dưỡng, trong phạm vi của bạn, có vào ngày giới thiệu".into(),
            "C0186101",
        ),
        (Dataset::Candidates, "nominated_by") => (
            list(NominatedBy::ALL.iter().map(|n| n.label_vi())),
            "Đoàn TNCS Hồ Chí Minh",
        ),
        (Dataset::Candidates, "nominated_on") => {
            ("Ngày được giới thiệu, dd/mm/yyyy".into(), "15/09/2026")
        }
        (Dataset::CandidateSteps, "code") => (
            "Mã hồ sơ (có sẵn, hoặc trong tệp hồ sơ nhập trước)".into(),
            "HS-2026-01",
        ),
        (Dataset::CandidateSteps, "stage") => (
            format!(
                "Bước đạt được, theo thứ tự; mỗi hồ sơ các dòng theo ngày: {}; «{}» để dừng xem xét",
                list(
                    Stage::ALL
                        .iter()
                        .filter(|s| !matches!(s, Stage::Nominated | Stage::Stopped))
                        .map(|s| s.step_label())
                ),
                Stage::Stopped.label_vi()
            ),
            "Đã học lớp nhận thức về Đảng",
        ),
        (Dataset::CandidateSteps, "on") => ("Ngày của bước, dd/mm/yyyy".into(), "20/10/2026"),
        (Dataset::CandidateSteps, "certificate") => {
            ("Bước học lớp nhận thức: số giấy chứng nhận".into(), "125/CN-TTCT")
        }
        (Dataset::CandidateSteps, "centre") => {
            ("Bước học lớp nhận thức: nơi cấp".into(), "Trung tâm Chính trị huyện")
        }
        (Dataset::CandidateSteps, "votes_for") => (
            "Nghị quyết của chi bộ, của đảng ủy: số tán thành (số nguyên)".into(),
            "",
        ),
        (Dataset::CandidateSteps, "votes_against") => ("Số không tán thành".into(), ""),
        (Dataset::CandidateSteps, "present") => ("Số có mặt".into(), ""),
        (Dataset::CandidateSteps, "entitled") => (
            "Tổng số: đảng viên chính thức của chi bộ; cấp ủy viên của đảng ủy".into(),
            "",
        ),
        (Dataset::CandidateSteps, "over_age_approval") => (
            "Nghị quyết của chi bộ với người quá 60 tuổi: số quyết định đồng ý của Ban Thường vụ tỉnh ủy".into(),
            "",
        ),
        (Dataset::CandidateSteps, "number") => ("Quyết định kết nạp: số quyết định".into(), ""),
        (Dataset::CandidateSteps, "committee") => ("Quyết định kết nạp: cấp ủy ra quyết định".into(), ""),
        (Dataset::CandidateSteps, "reason") => (
            format!("Dừng xem xét: {}", list(StopReason::ALL.iter().map(|r| r.label_vi()))),
            "",
        ),
        _ => ("Chữ".into(), ""),
    }
}

/// Reads a step's stage as a file writes it (the ceremony's words too).
pub(crate) fn parse_stage(text: &str) -> Option<Stage> {
    let folded = dangbo_domain::text::fold(text);
    if folded == dangbo_domain::text::fold(Stage::Admitted.step_label()) || folded == "ceremony" {
        return Some(Stage::Admitted);
    }
    Stage::parse(text)
}

/// The candidates of branches in the subtree of `scope_path`, or their steps after the
/// nomination (which the candidates' file holds), as a file writes them.
pub(crate) async fn export(tx: &mut Tx, dataset: Dataset, scope_path: &str) -> Result<Table> {
    let candidates = super::under(tx, scope_path, false).await?;
    let mut rows = Vec::new();
    if dataset == Dataset::CandidateSteps {
        let ids: Vec<i64> = candidates.iter().map(|c| c.id).collect();
        let mut steps = super::steps_of(tx, &ids).await?;
        for candidate in &candidates {
            for stored in steps.remove(&candidate.id).unwrap_or_default() {
                if let Some(row) = step_row(&candidate.record.code, &stored.step) {
                    rows.push(row);
                }
            }
        }
    } else {
        let ids: Vec<i64> = candidates.iter().map(|c| c.id).collect();
        let mut steps = super::steps_of(tx, &ids).await?;
        for c in candidates {
            let nominated = steps
                .remove(&c.id)
                .and_then(|steps| steps.into_iter().next())
                .map(|s| s.step.date());
            let r = c.record;
            rows.push(vec![
                r.code,
                r.full_name,
                r.sex.label_vi().into(),
                format_date(r.birth_date),
                r.ethnicity,
                r.religion,
                r.home_town,
                r.residence,
                r.national_id,
                r.general_education
                    .map(|v| v.label_vi().into())
                    .unwrap_or_default(),
                r.qualification
                    .map(|v| v.label_vi().into())
                    .unwrap_or_default(),
                r.theory_level
                    .map(|v| v.label_vi().into())
                    .unwrap_or_default(),
                r.occupation,
                r.phone,
                c.unit_code,
                c.nominated_by.label_vi().into(),
                nominated.map(format_date).unwrap_or_default(),
            ]);
        }
    }
    Ok(numbered(export_headers(dataset), rows))
}

/// A step as a row of the steps' file; the nomination has none (the candidates' file holds it).
fn step_row(code: &str, step: &Step) -> Option<Vec<String>> {
    let mut row = vec![String::new(); STEP_COLUMNS.len()];
    row[0] = code.to_string();
    row[1] = step.stage().step_label().to_string();
    row[2] = format_date(step.date());
    let vote = |row: &mut Vec<String>, v: &dangbo_domain::admission::Vote| {
        row[5] = v.votes_for.to_string();
        row[6] = v.votes_against.to_string();
        row[7] = v.present.to_string();
        row[8] = v.entitled.to_string();
    };
    match step {
        Step::Nominated { .. } => return None,
        Step::ClassPassed {
            certificate,
            centre,
            ..
        } => {
            row[3] = certificate.clone();
            row[4] = centre.clone();
        }
        Step::BranchResolution {
            vote: v,
            over_age_approval,
            ..
        } => {
            vote(&mut row, v);
            row[9] = over_age_approval.clone();
        }
        Step::CommitteeResolution { vote: v, .. } => vote(&mut row, v),
        Step::Decided {
            number, committee, ..
        } => {
            row[10] = number.clone();
            row[11] = committee.clone();
        }
        Step::Stop { reason, note, .. } => {
            row[12] = reason.label_vi().to_string();
            row[13] = note.clone();
        }
        Step::Applied { .. }
        | Step::Vetted { .. }
        | Step::MassOrganization { .. }
        | Step::Ceremony { .. } => {}
    }
    Some(row)
}
