//! Template workbooks for imports: the headers a file needs, one example row, and a second sheet
//! explaining each column and the values it accepts, from the same field lists the importer reads.

use dangbo_domain::members::events::EventKind;
use dangbo_domain::members::{GeneralEducation, Qualification, Sex, TheoryLevel};
use dangbo_domain::tree::UnitKind;

use super::sheet::{Cell, ReportSheet, report_xlsx};
use super::{Dataset, export_header, fields_of};
use crate::Result;

/// What a column holds, in words, and the example row's value.
fn explained(dataset: Dataset, key: &str) -> (String, &'static str) {
    match dataset.read_by() {
        Some(dangbo_domain::access::Capability::WriteProgrammes) => {
            return crate::programmes::columns::explained(dataset, key);
        }
        Some(dangbo_domain::access::Capability::Admit) => {
            return crate::admission::columns::explained(dataset, key);
        }
        Some(dangbo_domain::access::Capability::Rate) => {
            return crate::ratings::columns::explained(dataset, key);
        }
        Some(dangbo_domain::access::Capability::Inspect) => {
            return crate::inspection::columns::explained(key);
        }
        Some(dangbo_domain::access::Capability::ManageCadres) => {
            return crate::cadres::columns::explained(key);
        }
        _ => {}
    }
    let list = |labels: Vec<&str>| labels.join("; ");
    let text: String = match (dataset, key) {
        (Dataset::Units, "code") => "Mã đơn vị, không trùng; chữ, số, dấu . - _".into(),
        (Dataset::Units, "name") => "Tên đơn vị".into(),
        (Dataset::Units, "kind") => list(UnitKind::ALL.iter().map(|k| k.label_vi()).collect()),
        (Dataset::Units, "parent") => "Mã đơn vị cấp trên (có sẵn hoặc trong cùng tệp)".into(),
        (Dataset::Units, "start") => "Ngày thành lập, dd/mm/yyyy".into(),
        (Dataset::Units, "end") => "Ngày đầu tiên đơn vị không còn (nếu đã giải thể)".into(),
        (Dataset::Units, "hardship") => {
            "«có» nếu đơn vị ở vùng khó khăn: người vào Đảng ở đơn vị và các đơn vị trực thuộc chỉ cần trình độ tiểu học; «không» để bỏ; để trống thì giữ nguyên".into()
        }
        (Dataset::Members, "code") | (Dataset::Events, "member") => {
            "Mã đảng viên, không trùng; chữ, số, dấu . - _".into()
        }
        (Dataset::Members, "sex") => list(Sex::ALL.iter().map(|s| s.label_vi()).collect()),
        (Dataset::Members, "birth") => "Ngày sinh, dd/mm/yyyy".into(),
        (Dataset::Members, "national_id") => "12 chữ số".into(),
        (Dataset::Members, "education") => {
            list(GeneralEducation::ALL.iter().map(|l| l.label_vi()).collect())
        }
        (Dataset::Members, "qualification") => {
            list(Qualification::ALL.iter().map(|l| l.label_vi()).collect())
        }
        (Dataset::Members, "theory") => {
            list(TheoryLevel::ALL.iter().map(|l| l.label_vi()).collect())
        }
        (Dataset::Members, "admitted") => "Ngày ký quyết định kết nạp; cần «Mã chi bộ»".into(),
        (Dataset::Members, "full") => "Ngày công nhận đảng viên chính thức".into(),
        (Dataset::Members, "branch") => {
            "Mã chi bộ nơi kết nạp, hoặc chi bộ đảng viên sinh hoạt nếu chi bộ thành lập sau ngày vào Đảng".into()
        }
        (Dataset::Members, "origin") => format!(
            "Chỉ khi chi bộ thành lập sau ngày vào Đảng: nơi kết nạp (tổ chức đảng ngoài hệ thống); để trống thì ghi «{}». Đảng viên được ghi nhận vào chi bộ từ ngày chi bộ thành lập, không tính là chuyển đến",
            super::UNKNOWN_PLACE
        ),
        (Dataset::Events, "kind") => list(EventKind::ALL.iter().map(|k| k.label_vi()).collect()),
        (Dataset::Events, "date") => "Ngày của sự kiện (kết nạp: ngày ký quyết định)".into(),
        (Dataset::Events, "from") | (Dataset::Events, "to") => {
            "Mã đơn vị trong cơ sở dữ liệu, hoặc tên tổ chức đảng ngoài hệ thống".into()
        }
        (Dataset::Events, "ceremony") => "Ngày lễ kết nạp: thời gian dự bị tính từ ngày này".into(),
        (Dataset::Events, "end") => "Ngày kết thúc miễn sinh hoạt hoặc đình chỉ".into(),
        (Dataset::Events, "cause") => "Để trống, hoặc «Sắp xếp tổ chức»".into(),
        _ => "Chữ".into(),
    };
    let example = match (dataset, key) {
        (Dataset::Units, "code") => "CB-MAU",
        (Dataset::Units, "name") => "Chi bộ thôn Mẫu",
        (Dataset::Units, "kind") => "Chi bộ cơ sở",
        (Dataset::Units, "start") => "01/01/2003",
        (Dataset::Members, "code") | (Dataset::Events, "member") => "DV-MAU-01",
        (Dataset::Members, "name") => "Nguyễn Văn Mẫu",
        (Dataset::Members, "sex") => "Nam",
        (Dataset::Members, "birth") => "15/08/1985",
        (Dataset::Members, "ethnicity") => "Tày",
        (Dataset::Members, "religion") => "Không",
        (Dataset::Members, "theory") => "Sơ cấp",
        (Dataset::Events, "kind") => "Chuyển đến",
        (Dataset::Events, "date") => "01/03/2024",
        (Dataset::Events, "decision") => "15-QĐ/ĐU",
        (Dataset::Events, "from") => "Đảng bộ xã Khác",
        (Dataset::Events, "to") => "CB-MAU",
        _ => "",
    };
    (text, example)
}

/// One column of an import file, as the template's help sheet and the help page explain it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnGuide {
    /// The header the template (and an export) writes.
    pub header: &'static str,
    pub required: bool,
    /// What it holds and the values it accepts, in words.
    pub content: String,
    /// The template's example value.
    pub example: &'static str,
}

/// Every column of an import of `dataset`, in the file's order.
pub fn column_guide(dataset: Dataset) -> Vec<ColumnGuide> {
    fields_of(dataset)
        .iter()
        .map(|f| {
            let (content, example) = explained(dataset, f.key);
            ColumnGuide {
                header: export_header(f.key, dataset),
                required: f.required,
                content,
                example,
            }
        })
        .collect()
}

/// A workbook to fill in for an import of `dataset`.
pub fn template_xlsx(dataset: Dataset) -> Result<Vec<u8>> {
    let columns = column_guide(dataset);
    let headers: Vec<String> = columns.iter().map(|c| c.header.to_string()).collect();
    let example: Vec<Cell> = columns.iter().map(|c| Cell::from(c.example)).collect();
    let help: Vec<Vec<Cell>> = columns
        .into_iter()
        .map(|c| {
            vec![
                Cell::from(c.header),
                Cell::from(if c.required { "Có" } else { "Không" }),
                Cell::from(c.content),
            ]
        })
        .collect();
    report_xlsx(&[
        ReportSheet {
            name: dataset.label_vi().to_string(),
            headers,
            rows: vec![example],
            ..ReportSheet::default()
        },
        ReportSheet {
            name: "Hướng dẫn".to_string(),
            title: vec![
                format!("Mẫu nhập {}: mỗi dòng một hồ sơ, từ dòng 2 của trang đầu", dataset.label_vi().to_lowercase()),
                "Ngày viết dd/mm/yyyy; tên cột có dấu hay không đều được; dòng ví dụ cần xóa trước khi nhập".into(),
            ],
            headers: vec!["Cột".into(), "Bắt buộc".into(), "Nội dung, giá trị được chấp nhận".into()],
            rows: help,
            total: None,
        },
    ])
}
