//! The files of the work programmes: the columns of documents and targets as the importer reads
//! them, the template explains them and an export writes them (see `docs/import-format.md`). The
//! rows themselves are read by the access layer's programme writer, which checks the scope.

use dangbo_domain::programmes::{Comparator, DocumentKind, Domain};
use dangbo_domain::text::format_date;

use crate::io::{Dataset, Field, Table, export_headers, field, numbered};
use crate::{Result, Tx};
use dangbo_domain::input::TextKind;

const DOCUMENT_COLUMNS: &[Field] = &[
    field("number", &["so van ban", "number"], true),
    field("kind", &["loai van ban", "kind"], true),
    field("title", &["trich yeu", "title"], true).takes(TextKind::Line),
    field("unit", &["ma don vi ban hanh", "unit"], true).takes(TextKind::Code),
    field("issuing_body", &["co quan ban hanh", "issuing_body"], false).takes(TextKind::Line),
    field("signed_on", &["ngay ban hanh", "signed_on"], true),
    field("valid_from", &["hieu luc tu", "valid_from"], true),
    field("valid_to", &["hieu luc den", "valid_to"], true),
    field("domain", &["linh vuc", "domain"], true),
    field("implements", &["thuc hien van ban", "implements"], false),
];

const TARGET_COLUMNS: &[Field] = &[
    field("document", &["so van ban", "document"], true),
    field("unit", &["ma don vi", "unit"], true).takes(TextKind::Code),
    field("text", &["noi dung chi tieu", "text"], true).takes(TextKind::Line),
    field("domain", &["linh vuc", "domain"], true),
    field("from", &["tu ngay", "from"], true),
    field("to", &["den ngay", "to"], true),
    field("figure", &["chi so", "figure"], false),
    field("comparator", &["so sanh", "comparator"], true),
    field("value", &["gia tri", "value"], true),
    field("reported", &["gia tri bao cao", "reported"], false),
    field("source", &["nguon so lieu", "source"], false).takes(TextKind::Line),
    field("as_of", &["ngay so lieu", "as_of"], false),
    field("allocated_from", &["phan bo tu", "allocated_from"], false).takes(TextKind::Line),
];

const TASK_COLUMNS: &[Field] = &[
    field("document", &["so van ban", "document"], true),
    field("unit", &["ma don vi", "unit"], true).takes(TextKind::Code),
    field("text", &["nhiem vu", "noi dung nhiem vu", "text"], true).takes(TextKind::Line),
    field("owner", &["chu tri", "don vi chu tri", "owner"], true).takes(TextKind::Line),
    field("assigned_on", &["ngay giao", "assigned_on"], false),
    field(
        "deadline",
        &["han hoan thanh", "thoi han", "deadline"],
        true,
    ),
    field("done_on", &["ngay hoan thanh", "done_on"], false),
];

pub(crate) fn fields(dataset: Dataset) -> &'static [Field] {
    match dataset {
        Dataset::Targets => TARGET_COLUMNS,
        Dataset::Tasks => TASK_COLUMNS,
        _ => DOCUMENT_COLUMNS,
    }
}

/// The header each column is written with.
pub(crate) fn headers(dataset: Dataset) -> &'static [(&'static str, &'static str)] {
    match dataset {
        Dataset::Tasks => &[
            ("document", "Số văn bản"),
            ("unit", "Mã đơn vị"),
            ("text", "Nhiệm vụ"),
            ("owner", "Chủ trì"),
            ("assigned_on", "Ngày giao"),
            ("deadline", "Hạn hoàn thành"),
            ("done_on", "Ngày hoàn thành"),
        ],
        Dataset::Targets => &[
            ("document", "Số văn bản"),
            ("unit", "Mã đơn vị"),
            ("text", "Nội dung chỉ tiêu"),
            ("domain", "Lĩnh vực"),
            ("from", "Từ ngày"),
            ("to", "Đến ngày"),
            ("figure", "Chỉ số"),
            ("comparator", "So sánh"),
            ("value", "Giá trị"),
            ("reported", "Giá trị báo cáo"),
            ("source", "Nguồn số liệu"),
            ("as_of", "Ngày số liệu"),
            ("allocated_from", "Phân bổ từ"),
        ],
        _ => &[
            ("number", "Số văn bản"),
            ("kind", "Loại văn bản"),
            ("title", "Trích yếu"),
            ("unit", "Mã đơn vị ban hành"),
            ("issuing_body", "Cơ quan ban hành"),
            ("signed_on", "Ngày ban hành"),
            ("valid_from", "Hiệu lực từ"),
            ("valid_to", "Hiệu lực đến"),
            ("domain", "Lĩnh vực"),
            ("implements", "Thực hiện văn bản"),
        ],
    }
}

/// What a column holds, in words, and the template's example value.
pub(crate) fn explained(dataset: Dataset, key: &str) -> (String, &'static str) {
    let domains = || {
        Domain::ALL
            .iter()
            .map(|d| d.label_vi())
            .collect::<Vec<_>>()
            .join("; ")
    };
    match (dataset, key) {
        (Dataset::Documents, "number") => (
            "Số văn bản theo thể thức của Đảng: số-loại/cơ quan (88-KH/HU, 03-NQ/ĐU)".into(),
            "03-NQ/HU",
        ),
        (Dataset::Documents, "kind") => (
            DocumentKind::ALL.iter().map(|k| format!("{} ({})", k.label_vi(), k.abbreviation())).collect::<Vec<_>>().join("; "),
            "Nghị quyết",
        ),
        (Dataset::Documents, "title") => ("Trích yếu nội dung như văn bản ghi".into(), "Về phát triển đảng viên giai đoạn 2021 – 2025"),
        (Dataset::Documents, "unit") => ("Mã đơn vị (cấp ủy) ban hành, trong phạm vi của bạn".into(), "H060"),
        (Dataset::Documents, "issuing_body") => (
            "Để trống khi cấp ủy tự ban hành; tên cơ quan cùng cấp khi do cơ quan đó ban hành (Ủy ban MTTQ, Đoàn Thanh niên, Hội Phụ nữ…)".into(),
            "",
        ),
        (Dataset::Documents, "signed_on") => ("Ngày ký ban hành, dd/mm/yyyy".into(), "15/03/2021"),
        (Dataset::Documents, "valid_from") => ("Ngày đầu của thời gian văn bản điều chỉnh (nhiệm kỳ, năm, quý)".into(), "01/01/2021"),
        (Dataset::Documents, "valid_to") => ("Ngày cuối của thời gian văn bản điều chỉnh".into(), "31/12/2025"),
        (Dataset::Documents, "domain") | (Dataset::Targets, "domain") => (domains(), "Xây dựng Đảng"),
        (Dataset::Documents, "implements") => (
            "Số văn bản mà văn bản này thực hiện (chương trình thực hiện nghị quyết), của cùng cấp ủy hoặc cấp trên; văn bản đó có sẵn hoặc ở dòng khác của tệp".into(),
            "",
        ),
        (Dataset::Targets, "document") => ("Số văn bản đặt chỉ tiêu, của đơn vị ở cột «Mã đơn vị» hoặc cấp trên".into(), "03-NQ/HU"),
        (Dataset::Targets, "unit") => ("Mã đơn vị mà chỉ tiêu đo (tính cho cả đơn vị trực thuộc)".into(), "H060"),
        (Dataset::Targets, "text") => ("Nội dung chỉ tiêu như văn bản viết".into(), "Kết nạp từ 80 đảng viên trở lên"),
        (Dataset::Targets, "from") => ("Ngày đầu kỳ của chỉ tiêu, trong hiệu lực của văn bản".into(), "01/01/2021"),
        (Dataset::Targets, "to") => ("Ngày cuối kỳ của chỉ tiêu".into(), "31/12/2021"),
        (Dataset::Targets, "figure") => (
            "Mã chỉ số trong danh mục (trang Chỉ số) để Dangbo tự tính từ hồ sơ; để trống khi số liệu do người báo cáo".into(),
            "admissions",
        ),
        (Dataset::Targets, "comparator") => (
            format!("Một trong: {}", Comparator::ALL.map(Comparator::symbol).join(" ")),
            ">=",
        ),
        (Dataset::Targets, "value") => ("Giá trị chỉ tiêu: số (dấu phẩy trước phần thập phân); tỷ lệ ghi theo phần trăm, 0 đến 100".into(), "80"),
        (Dataset::Targets, "reported") => ("Chỉ với chỉ tiêu không gắn chỉ số: giá trị đạt được theo báo cáo".into(), ""),
        (Dataset::Targets, "source") => ("Nguồn của giá trị báo cáo (cần khi có giá trị báo cáo)".into(), ""),
        (Dataset::Targets, "as_of") => (
            "Ngày của giá trị báo cáo; để trống thì lấy «Đến ngày»".into(),
            "",
        ),
        (Dataset::Tasks, "document") => ("Số văn bản giao nhiệm vụ, của đơn vị ở cột «Mã đơn vị» hoặc cấp trên".into(), "03-NQ/HU"),
        (Dataset::Tasks, "unit") => ("Mã đơn vị được giao nhiệm vụ".into(), "H060"),
        (Dataset::Tasks, "text") => ("Nội dung nhiệm vụ như văn bản viết".into(), "Rà soát, bổ sung quy hoạch cán bộ nhiệm kỳ 2025 – 2030"),
        (Dataset::Tasks, "owner") => ("Cơ quan, ban hoặc người chủ trì thực hiện".into(), "Ban Tổ chức Huyện ủy"),
        (Dataset::Tasks, "assigned_on") => ("Ngày giao; để trống thì lấy ngày ban hành văn bản".into(), ""),
        (Dataset::Tasks, "deadline") => ("Hạn hoàn thành, dd/mm/yyyy".into(), "30/06/2021"),
        (Dataset::Tasks, "done_on") => (
            "Ngày hoàn thành, nếu đã xong: ghi một báo cáo «Hoàn thành» ngày đó; để trống nếu chưa xong".into(),
            "",
        ),
        (Dataset::Targets, "allocated_from") => (
            "Khi chỉ tiêu này là phần được phân bổ cho đơn vị cấp dưới: nội dung chỉ tiêu của cấp trên trong cùng văn bản (cùng chỉ số, cùng cách so sánh); chỉ tiêu đó có sẵn hoặc ở dòng khác của tệp".into(),
            "",
        ),
        _ => ("Chữ".into(), ""),
    }
}

/// A number as the import reads it back exactly: every digit it has, a comma before the
/// decimals, no thousands dots ("33,333", "1250").
fn exact(value: f64) -> String {
    value.to_string().replace('.', ",")
}

/// The documents or targets of units in the subtree of `scope_path`, as a file writes them: the
/// columns an import reads, so that an export imports back unchanged.
pub(crate) async fn export(tx: &mut Tx, dataset: Dataset, scope_path: &str) -> Result<Table> {
    let date = |d: Option<chrono::NaiveDate>| d.map(format_date).unwrap_or_default();
    let mut rows = Vec::new();
    // Targets and tasks of a document outside the scope (a unit's part of its province's
    // target) are read, not written, by the exporter: an export holds what it may import back.
    let own: std::collections::HashSet<i64> = super::documents_under(tx, scope_path)
        .await?
        .iter()
        .map(|d| d.id)
        .collect();
    match dataset {
        Dataset::Tasks => {
            let tasks = super::tasks::tasks_under(tx, scope_path, super::LAST_DAY).await?;
            for task in tasks.into_iter().filter(|t| own.contains(&t.document_id)) {
                rows.push(vec![
                    task.document,
                    task.unit_code,
                    task.text,
                    task.owner,
                    format_date(task.assigned_on),
                    format_date(task.deadline),
                    date(task.done_on),
                ]);
            }
        }
        Dataset::Targets => {
            let targets: Vec<_> = super::targets_under(tx, scope_path)
                .await?
                .into_iter()
                .filter(|t| own.contains(&t.document_id))
                .collect();
            let ids: Vec<i64> = targets.iter().map(|t| t.id).collect();
            let wording: std::collections::HashMap<i64, String> =
                targets.iter().map(|t| (t.id, t.text.clone())).collect();
            let reported = super::latest_values_ever(tx, &ids).await?;
            for target in targets {
                let value = reported.get(&target.id);
                rows.push(vec![
                    target.document,
                    target.unit_code,
                    target.text,
                    target.domain.label_vi().to_string(),
                    format_date(target.from),
                    format_date(target.to),
                    target.figure_key.unwrap_or_default(),
                    target.comparator.symbol().to_string(),
                    exact(target.value),
                    value.map(|v| exact(v.value)).unwrap_or_default(),
                    value.map(|v| v.source.clone()).unwrap_or_default(),
                    date(value.map(|v| v.as_of)),
                    target
                        .allocated_from
                        .and_then(|id| wording.get(&id).cloned())
                        .unwrap_or_default(),
                ]);
            }
        }
        _ => {
            for document in super::documents_under(tx, scope_path).await? {
                rows.push(vec![
                    document.number,
                    document.kind.label_vi().to_string(),
                    document.title,
                    document.unit_code,
                    document.issuing_body,
                    format_date(document.signed_on),
                    format_date(document.valid_from),
                    format_date(document.valid_to),
                    document.domain.label_vi().to_string(),
                    document.implements.unwrap_or_default(),
                ]);
            }
        }
    }
    Ok(numbered(export_headers(dataset), rows))
}
