//! Import and export of units, members and events (and, through their capability's columns, of
//! the other records) as CSV (UTF-8, with or without BOM) or XLSX.
//! An import is one transaction: any bad row means nothing is written, and every bad row is reported
//! with its row number, column, value and what was expected. See `docs/import-format.md`.

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::NaiveDate;
use dangbo_domain::access::Capability;
use dangbo_domain::education::TrainingKind;
use dangbo_domain::input::TextKind;
use dangbo_domain::members::events::{EventCause, EventKind};
use dangbo_domain::members::{GeneralEducation, MemberRecord, Qualification, Sex, TheoryLevel};
use dangbo_domain::text::{clean, fold, format_date, parse_date};
use dangbo_domain::tree::UnitKind;

use crate::members;
use crate::members::events::{self, NewEvent};

mod files;
mod sheet;
mod template;
mod xlsx;

pub use self::files::{
    Format, LIMITS, Limits, Table, csv_bytes, read_table, write_table, xlsx_bytes,
};
pub use self::sheet::{Cell, ReportSheet, report_xlsx};
pub use self::template::{ColumnGuide, column_guide, template_xlsx};
use crate::tree::{self, NewUnit, Unit};
use crate::{Result, StoreError, Tx};

/// One problem in an import file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Row number as a spreadsheet shows it (the header is row 1).
    pub row: usize,
    /// The column's header as written in the file.
    pub column: String,
    pub value: String,
    /// What was wrong or expected, in Vietnamese.
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Dòng {}, cột «{}»", self.row, self.column)?;
        if !self.value.is_empty() {
            write!(f, ", giá trị «{}»", self.value)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    Units,
    Members,
    Events,
    /// Directing documents of the work programmes.
    Documents,
    /// Targets of the documents, with their figure binding or reported values.
    Targets,
    /// Tasks the documents assign, with their deadlines and the day they were done.
    Tasks,
    /// Candidates for admission, with their nomination.
    Candidates,
    /// The steps of candidates' files after their nomination.
    CandidateSteps,
    /// Members' ratings of a year or quarter (a branch's sheet).
    MemberRatings,
    /// Party organizations' ratings of a year or quarter.
    UnitRatings,
    /// Inspection and supervision cases, one row per subject, with conclusions and discipline.
    Inspections,
    /// Training facts: a level of political theory, general education or professional
    /// qualification a member (or a non-member with a short record) reached on a day.
    Training,
}

impl Dataset {
    /// The stable code used in URLs, the API and the audit log.
    pub fn code(self) -> &'static str {
        match self {
            Dataset::Units => "units",
            Dataset::Members => "members",
            Dataset::Events => "events",
            Dataset::Documents => "documents",
            Dataset::Targets => "targets",
            Dataset::Tasks => "tasks",
            Dataset::Candidates => "candidates",
            Dataset::CandidateSteps => "candidate_steps",
            Dataset::MemberRatings => "member_ratings",
            Dataset::UnitRatings => "unit_ratings",
            Dataset::Inspections => "inspections",
            Dataset::Training => "training",
        }
    }

    pub const ALL: [Dataset; 12] = [
        Dataset::Units,
        Dataset::Members,
        Dataset::Events,
        Dataset::Documents,
        Dataset::Targets,
        Dataset::Tasks,
        Dataset::Candidates,
        Dataset::CandidateSteps,
        Dataset::MemberRatings,
        Dataset::UnitRatings,
        Dataset::Inspections,
        Dataset::Training,
    ];

    /// What a role needs to import this kind of file: the membership records and the
    /// candidates' files are the organization board's (branch secretaries record their
    /// candidates' steps on the pages); the work programmes also the office's; the cadres'
    /// training the organization board's, as the cadres' writer.
    pub fn capability(self) -> Capability {
        match self {
            Dataset::Units | Dataset::Members | Dataset::Events => Capability::Import,
            Dataset::Documents | Dataset::Targets | Dataset::Tasks => Capability::WriteProgrammes,
            Dataset::Candidates | Dataset::CandidateSteps => Capability::Import,
            Dataset::MemberRatings | Dataset::UnitRatings => Capability::Rate,
            Dataset::Inspections => Capability::Inspect,
            Dataset::Training => Capability::ManageCadres,
        }
    }

    /// Whether an export of this kind of file holds the whole database (only its administrators
    /// make one) rather than what lies in the exporter's scope.
    pub fn exports_whole_database(self) -> bool {
        matches!(self, Dataset::Units | Dataset::Members | Dataset::Events)
    }

    /// Whether a capability's writer reads this kind of file, rather than the importer of
    /// units, members and events.
    pub(crate) fn read_by(self) -> Option<Capability> {
        match self {
            Dataset::Units | Dataset::Members | Dataset::Events => None,
            Dataset::Documents | Dataset::Targets | Dataset::Tasks => {
                Some(Capability::WriteProgrammes)
            }
            Dataset::Candidates | Dataset::CandidateSteps => Some(Capability::Admit),
            Dataset::MemberRatings | Dataset::UnitRatings => Some(Capability::Rate),
            Dataset::Inspections => Some(Capability::Inspect),
            Dataset::Training => Some(Capability::ManageCadres),
        }
    }

    /// "Tổ chức đảng", "Hồ sơ đảng viên", "Sự kiện".
    pub fn label_vi(self) -> &'static str {
        match self {
            Dataset::Units => "Tổ chức đảng",
            Dataset::Members => "Hồ sơ đảng viên",
            Dataset::Events => "Sự kiện",
            Dataset::Documents => "Văn bản chỉ đạo",
            Dataset::Targets => "Chỉ tiêu",
            Dataset::Tasks => "Nhiệm vụ",
            Dataset::Candidates => "Hồ sơ người vào Đảng",
            Dataset::CandidateSteps => "Các bước xét kết nạp",
            Dataset::MemberRatings => "Xếp loại đảng viên",
            Dataset::UnitRatings => "Xếp loại tổ chức đảng",
            Dataset::Inspections => "Kiểm tra, giám sát, kỷ luật",
            Dataset::Training => "Quá trình đào tạo, bồi dưỡng",
        }
    }

    /// Reads a code as [`Dataset::code`] writes it.
    pub fn parse(code: &str) -> Option<Dataset> {
        Dataset::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// A column the importer understands: its key, the headers (folded) that name it, and the kind of
/// text it takes.
pub(crate) struct Field {
    pub key: &'static str,
    headers: &'static [&'static str],
    pub required: bool,
    text: TextKind,
}

pub(crate) const fn field(
    key: &'static str,
    headers: &'static [&'static str],
    required: bool,
) -> Field {
    Field {
        key,
        headers,
        required,
        text: TextKind::Short,
    }
}

impl Field {
    pub(crate) const fn takes(self, text: TextKind) -> Field {
        Field { text, ..self }
    }
}

const UNIT_FIELDS: &[Field] = &[
    field("code", &["ma", "ma don vi", "code"], true).takes(TextKind::Code),
    field("name", &["ten", "ten don vi", "name"], true).takes(TextKind::Name),
    field("kind", &["loai", "loai don vi", "kind"], true),
    field(
        "parent",
        &["ma cap tren", "ma don vi cap tren", "parent"],
        false,
    )
    .takes(TextKind::Code),
    field("start", &["ngay thanh lap", "start_date"], true),
    field(
        "end",
        &["ngay giai the", "ngay ket thuc", "end_date"],
        false,
    ),
    field("hardship", &["vung kho khan", "hardship_area"], false),
];

const MEMBER_FIELDS: &[Field] = &[
    field("code", &["ma dang vien", "code"], true).takes(TextKind::Code),
    field("name", &["ho va ten", "ho ten", "full_name"], true).takes(TextKind::Name),
    field("sex", &["gioi tinh", "sex"], true),
    field("birth", &["ngay sinh", "birth_date"], true),
    field("ethnicity", &["dan toc", "ethnicity"], false),
    field("religion", &["ton giao", "religion"], false),
    field("home_town", &["que quan", "home_town"], false).takes(TextKind::Line),
    field(
        "residence",
        &["noi o hien nay", "noi o", "noi cu tru", "residence"],
        false,
    )
    .takes(TextKind::Line),
    field(
        "national_id",
        &["so cccd", "cccd", "so can cuoc", "national_id"],
        false,
    ),
    field(
        "education",
        &[
            "giao duc pho thong",
            "trinh do hoc van",
            "general_education",
        ],
        false,
    ),
    field(
        "qualification",
        &["chuyen mon", "trinh do chuyen mon", "qualification"],
        false,
    ),
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
    field(
        "card",
        &["so the dang vien", "so the", "card_number"],
        false,
    ),
    field(
        "admitted",
        &["ngay vao dang", "ngay ket nap", "admission_date"],
        false,
    ),
    field("full", &["ngay chinh thuc", "full_membership_date"], false),
    field("branch", &["ma chi bo", "branch_code"], false).takes(TextKind::Code),
    field(
        "origin",
        &["noi vao dang", "noi ket nap", "admitted_at"],
        false,
    )
    .takes(TextKind::Line),
];

const EVENT_FIELDS: &[Field] = &[
    field("member", &["ma dang vien", "member_code"], true).takes(TextKind::Code),
    field("kind", &["su kien", "loai su kien", "kind"], true),
    field("date", &["ngay", "date"], true),
    field("decision", &["so quyet dinh", "decision_number"], false),
    field(
        "body",
        &["co quan quyet dinh", "co quan ban hanh", "issuing_body"],
        false,
    )
    .takes(TextKind::Line),
    // A unit of this database by its code, or one outside it by its name.
    field("from", &["tu don vi", "from_unit"], false).takes(TextKind::Line),
    field("to", &["den don vi", "to_unit"], false).takes(TextKind::Line),
    field("note", &["ghi chu", "note"], false).takes(TextKind::Note),
    field("ceremony", &["ngay le ket nap", "ceremony_date"], false),
    field("end", &["ngay ket thuc", "end_date"], false),
    field("cause", &["ly do", "cause"], false),
];

fn fields_of(dataset: Dataset) -> &'static [Field] {
    match dataset {
        Dataset::Units => UNIT_FIELDS,
        Dataset::Members => MEMBER_FIELDS,
        Dataset::Events => EVENT_FIELDS,
        Dataset::Documents | Dataset::Targets | Dataset::Tasks => {
            crate::programmes::columns::fields(dataset)
        }
        Dataset::Candidates | Dataset::CandidateSteps => crate::admission::columns::fields(dataset),
        Dataset::MemberRatings | Dataset::UnitRatings => crate::ratings::columns::fields(dataset),
        Dataset::Inspections => crate::inspection::columns::fields(),
        Dataset::Training => crate::cadres::columns::fields(),
    }
}

/// The first header written for each field on export (the file's own names).
pub(crate) fn export_header(key: &str, dataset: Dataset) -> &'static str {
    let names: &[(&str, &str)] = match dataset {
        Dataset::Documents | Dataset::Targets | Dataset::Tasks => {
            crate::programmes::columns::headers(dataset)
        }
        Dataset::Candidates | Dataset::CandidateSteps => {
            crate::admission::columns::headers(dataset)
        }
        Dataset::MemberRatings | Dataset::UnitRatings => crate::ratings::columns::headers(dataset),
        Dataset::Inspections => crate::inspection::columns::headers(),
        Dataset::Training => crate::cadres::columns::headers(),
        Dataset::Units => &[
            ("code", "Mã"),
            ("name", "Tên"),
            ("kind", "Loại"),
            ("parent", "Mã cấp trên"),
            ("start", "Ngày thành lập"),
            ("end", "Ngày giải thể"),
            ("hardship", "Vùng khó khăn"),
        ],
        Dataset::Members => &[
            ("code", "Mã đảng viên"),
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
            ("card", "Số thẻ đảng viên"),
            ("admitted", "Ngày vào Đảng"),
            ("full", "Ngày chính thức"),
            ("branch", "Mã chi bộ"),
            ("origin", "Nơi vào Đảng"),
        ],
        Dataset::Events => &[
            ("member", "Mã đảng viên"),
            ("kind", "Sự kiện"),
            ("date", "Ngày"),
            ("decision", "Số quyết định"),
            ("body", "Cơ quan quyết định"),
            ("from", "Từ đơn vị"),
            ("to", "Đến đơn vị"),
            ("note", "Ghi chú"),
            ("ceremony", "Ngày lễ kết nạp"),
            ("end", "Ngày kết thúc"),
            ("cause", "Lý do"),
        ],
    };
    names
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, h)| *h)
        .unwrap_or("")
}

/// Maps each known field to its column in a table.
pub(crate) struct Columns {
    index: HashMap<&'static str, usize>,
}

impl Columns {
    pub(crate) fn find(
        table: &Table,
        dataset: Dataset,
    ) -> std::result::Result<Columns, Vec<RowError>> {
        let folded: Vec<String> = table.headers.iter().map(|h| fold(h)).collect();
        let mut index = HashMap::new();
        let mut errors = Vec::new();
        for f in fields_of(dataset) {
            match folded.iter().position(|h| f.headers.contains(&h.as_str())) {
                Some(i) => {
                    index.insert(f.key, i);
                }
                None if f.required => errors.push(RowError {
                    row: 1,
                    column: export_header(f.key, dataset).to_string(),
                    value: String::new(),
                    message: format!(
                        "thiếu cột bắt buộc «{}» trong dòng tiêu đề",
                        export_header(f.key, dataset)
                    ),
                }),
                None => {}
            }
        }
        if errors.is_empty() {
            Ok(Columns { index })
        } else {
            Err(errors)
        }
    }
}

/// One row being read, collecting its errors.
pub(crate) struct Row<'a> {
    number: usize,
    cells: &'a [String],
    table: &'a Table,
    columns: &'a Columns,
    errors: &'a mut Vec<RowError>,
}

impl<'a> Row<'a> {
    pub(crate) fn new(
        (number, cells): &'a (usize, Vec<String>),
        table: &'a Table,
        columns: &'a Columns,
        errors: &'a mut Vec<RowError>,
    ) -> Row<'a> {
        Row {
            number: *number,
            cells,
            table,
            columns,
            errors,
        }
    }

    pub(crate) fn header(&self, key: &str) -> String {
        self.columns
            .index
            .get(key)
            .map(|&i| self.table.headers[i].clone())
            .unwrap_or_else(|| key.to_string())
    }

    pub(crate) fn text(&self, key: &str) -> String {
        self.columns
            .index
            .get(key)
            .and_then(|&i| self.cells.get(i))
            .cloned()
            .unwrap_or_default()
    }

    pub(crate) fn fail(&mut self, key: &str, message: impl Into<String>) {
        let error = RowError {
            row: self.number,
            column: self.header(key),
            value: self.text(key),
            message: message.into(),
        };
        self.errors.push(error);
    }

    /// Its row number, as a spreadsheet shows it.
    pub(crate) fn number(&self) -> usize {
        self.number
    }

    /// Whether this row has an error on any column.
    pub(crate) fn has_errors(&self) -> bool {
        self.errors.iter().any(|e| e.row == self.number)
    }

    /// Whether this row already has an error on this column.
    pub(crate) fn has_error(&self, key: &str) -> bool {
        let column = self.header(key);
        self.errors
            .iter()
            .any(|e| e.row == self.number && e.column == column)
    }

    pub(crate) fn required(&mut self, key: &str) -> Option<String> {
        let value = self.text(key);
        if value.is_empty() {
            self.fail(key, "không được để trống");
            None
        } else {
            Some(value)
        }
    }

    pub(crate) fn date(&mut self, key: &str, required: bool) -> Option<NaiveDate> {
        let value = self.text(key);
        if value.is_empty() {
            if required {
                self.fail(key, "không được để trống, cần ngày dạng dd/mm/yyyy");
            }
            return None;
        }
        let parsed = parse_date(&value);
        if parsed.is_none() {
            self.fail(key, "cần ngày có thật, dạng dd/mm/yyyy hoặc yyyy-mm-dd");
        }
        parsed
    }

    /// A required value from a closed list.
    pub(crate) fn required_choice<T>(
        &mut self,
        key: &str,
        parse: fn(&str) -> Option<T>,
        expected: &str,
    ) -> Option<T> {
        self.required(key)?;
        self.choice(key, parse, expected)
    }

    pub(crate) fn choice<T>(
        &mut self,
        key: &str,
        parse: fn(&str) -> Option<T>,
        expected: &str,
    ) -> Option<T> {
        let value = self.text(key);
        if value.is_empty() {
            return None;
        }
        let parsed = parse(&value);
        if parsed.is_none() {
            self.fail(key, format!("cần một trong: {expected}"));
        }
        parsed
    }
}

/// The error for an import with bad rows: every problem, in row order.
pub(crate) fn refused(mut errors: Vec<RowError>) -> StoreError {
    errors.sort_by_key(|e| e.row);
    StoreError::Import(errors)
}

/// Ok if no row was bad, else the import's refusal.
fn check(errors: Vec<RowError>) -> Result<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(refused(errors))
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub events_written: usize,
    /// Members admitted before their branch was founded: recorded as admitted elsewhere and
    /// placed in the branch from its founding.
    pub placed_before_branch: usize,
    /// Codes of existing members whose record this import changed.
    pub updated_codes: Vec<String>,
}

/// Progress of a long import, for a terminal.
pub trait Progress: Send {
    fn phase(&mut self, name: &str, total: usize);
    fn advance(&mut self, done: usize);
}

/// Progress that shows nothing.
pub struct Quiet;

impl Progress for Quiet {
    fn phase(&mut self, _: &str, _: usize) {}
    fn advance(&mut self, _: usize) {}
}

/// Imports a file in one transaction; on any bad row nothing is written and every problem is returned.
///
/// Members whose codes are in `hidden` (outside the importer's scope) are treated as members the
/// file may not name: their rows are refused without a word about the member.
pub async fn import(
    tx: &mut Tx,
    dataset: Dataset,
    table: &Table,
    progress: &mut dyn Progress,
    hidden: &HashSet<String>,
) -> Result<ImportSummary> {
    let columns = Columns::find(table, dataset).map_err(StoreError::Import)?;
    let today = chrono::Local::now().date_naive();
    match dataset {
        Dataset::Units => import_units(tx, table, &columns, progress).await,
        Dataset::Members => import_members(tx, table, &columns, today, progress, hidden).await,
        Dataset::Events => import_events(tx, table, &columns, progress, hidden).await,
        // Their rows are read by their capability's writer, which the access layer holds.
        Dataset::Documents
        | Dataset::Targets
        | Dataset::Tasks
        | Dataset::Candidates
        | Dataset::CandidateSteps
        | Dataset::MemberRatings
        | Dataset::UnitRatings
        | Dataset::Inspections
        | Dataset::Training => Err(StoreError::Forbidden(format!(
            "tệp {} được nhập qua phần ghi của nghiệp vụ",
            dataset.label_vi()
        ))),
    }
}

/// Refuses every cell of a known column that its field does not take (a code outside the safe
/// alphabet, a control character, a value past its length), before anything is looked up.
pub fn check_text(dataset: Dataset, table: &Table) -> Result<()> {
    let columns = Columns::find(table, dataset).map_err(StoreError::Import)?;
    let mut errors = Vec::new();
    for (number, cells) in &table.rows {
        for field in fields_of(dataset) {
            let Some(&column) = columns.index.get(field.key) else {
                continue;
            };
            let value = cells.get(column).map_or("", String::as_str);
            if let Err(problem) = field.text.check(value) {
                errors.push(RowError {
                    row: *number,
                    column: table.headers[column].clone(),
                    value: shown_value(value),
                    message: problem.message(),
                });
            }
        }
    }
    check(errors)
}

/// A value as an error message quotes it: the first 60 characters, control characters shown as
/// their code point.
fn shown_value(value: &str) -> String {
    let mut out = String::new();
    for (index, c) in value.chars().enumerate() {
        if index == 60 {
            out.push('…');
            break;
        }
        if c.is_control() || TextKind::Name.check(&c.to_string()).is_err() {
            out.push_str(&format!("<U+{:04X}>", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// The member codes a file of members or events names (empty for units, or when its header is
/// missing: the import refuses that file anyway).
pub fn member_codes(table: &Table, dataset: Dataset) -> Vec<String> {
    let key = match dataset {
        Dataset::Members => "code",
        Dataset::Events => "member",
        Dataset::Units
        | Dataset::Documents
        | Dataset::Targets
        | Dataset::Tasks
        | Dataset::Candidates
        | Dataset::CandidateSteps
        | Dataset::MemberRatings
        | Dataset::UnitRatings
        | Dataset::Inspections
        | Dataset::Training => {
            return Vec::new();
        }
    };
    let Ok(columns) = Columns::find(table, dataset) else {
        return Vec::new();
    };
    let Some(&column) = columns.index.get(key) else {
        return Vec::new();
    };
    let codes: HashSet<String> = table
        .rows
        .iter()
        .filter_map(|(_, cells)| cells.get(column))
        .map(|c| clean(c))
        .filter(|c| !c.is_empty())
        .collect();
    codes.into_iter().collect()
}

async fn import_units(
    tx: &mut Tx,
    table: &Table,
    columns: &Columns,
    progress: &mut dyn Progress,
) -> Result<ImportSummary> {
    let mut errors = Vec::new();
    let mut wanted: Vec<(usize, NewUnit)> = Vec::new();
    // The hardship-area flag of the rows that give one: (code, flag).
    let mut flags: Vec<(String, bool)> = Vec::new();
    progress.phase("Kiểm tra", table.rows.len());
    for line in &table.rows {
        let number = &line.0;
        let mut row = Row::new(line, table, columns, &mut errors);
        let code = row.required("code");
        let name = row.required("name");
        let kind = row.required_choice(
            "kind",
            UnitKind::parse,
            &UnitKind::ALL.map(|k| k.label_vi()).join(", "),
        );
        let start = row.date("start", true);
        let end = row.date("end", false);
        let parent = row.text("parent");
        let hardship = row.choice("hardship", read_yes_no, "có, không");
        if let (Some(code), Some(hardship)) = (&code, hardship) {
            flags.push((code.clone(), hardship));
        }
        if let (Some(code), Some(name), Some(kind), Some(start)) = (code, name, kind, start) {
            wanted.push((
                *number,
                NewUnit {
                    code,
                    name,
                    kind,
                    parent_code: (!parent.is_empty()).then_some(parent),
                    start_date: start,
                    end_date: end,
                },
            ));
        }
    }
    let mut seen = HashSet::new();
    for (number, unit) in &wanted {
        if !seen.insert(unit.code.clone()) {
            errors.push(RowError {
                row: *number,
                column: "Mã".into(),
                value: unit.code.clone(),
                message: "mã đơn vị lặp lại trong tệp".into(),
            });
        }
    }
    // Parents first: create a unit once its parent exists.
    let mut summary = ImportSummary {
        rows: table.rows.len(),
        ..Default::default()
    };
    // Units known so far by code: those stored, then those this import creates.
    let mut known: HashMap<String, Unit> = tree::all_units(tx)
        .await?
        .into_values()
        .map(|u| (u.code.clone(), u))
        .collect();
    let code_of_id: HashMap<i64, String> = known.values().map(|u| (u.id, u.code.clone())).collect();
    let mut pending = wanted;
    progress.phase("Ghi", pending.len());
    loop {
        let before = pending.len();
        let mut waiting = Vec::new();
        for (number, unit) in pending {
            let parent_ready = unit
                .parent_code
                .as_ref()
                .is_none_or(|p| known.contains_key(p.as_str()));
            if !parent_ready {
                waiting.push((number, unit));
                continue;
            }
            match known.get(unit.code.as_str()) {
                Some(existing) => match unit_difference(existing, &unit, &code_of_id) {
                    None => summary.unchanged += 1,
                    Some(message) => errors.push(RowError {
                        row: number,
                        column: "Mã".into(),
                        value: unit.code.clone(),
                        message,
                    }),
                },
                None => match tree::create(tx, &unit).await {
                    Ok(created) => {
                        summary.created += 1;
                        known.insert(created.code.clone(), created);
                    }
                    Err(StoreError::Invalid(refusal)) => errors.push(RowError {
                        row: number,
                        column: "Mã cấp trên".into(),
                        value: unit.parent_code.clone().unwrap_or_default(),
                        message: refusal.message,
                    }),
                    Err(other) => return Err(other),
                },
            }
            progress.advance(summary.created + summary.unchanged);
        }
        if waiting.is_empty() || waiting.len() == before {
            for (number, unit) in waiting {
                errors.push(RowError {
                    row: number,
                    column: "Mã cấp trên".into(),
                    value: unit.parent_code.clone().unwrap_or_default(),
                    message:
                        "không có đơn vị cấp trên với mã này (trong cơ sở dữ liệu hay trong tệp)"
                            .into(),
                });
            }
            break;
        }
        pending = waiting;
    }
    check(errors)?;
    let existed: HashSet<&String> = code_of_id.values().collect();
    for (code, hardship) in flags {
        let changed = execute!(
            tx,
            "UPDATE units SET hardship_area = $1 WHERE code = $2 AND hardship_area <> $1",
            [i64::from(hardship), code.as_str()]
        )?;
        // A unit that was there already and only changed its flag is updated, not unchanged.
        if changed > 0 && existed.contains(&code) {
            summary.unchanged = summary.unchanged.saturating_sub(1);
            summary.updated += 1;
        }
    }
    Ok(summary)
}

/// A yes or no cell: "có" (or x, 1) and "không" (or 0), tone marks and case aside.
fn read_yes_no(text: &str) -> Option<bool> {
    match fold(text).as_str() {
        "co" | "x" | "1" | "yes" | "true" => Some(true),
        "khong" | "0" | "no" | "false" => Some(false),
        _ => None,
    }
}

/// Why an existing unit cannot take a row's values (units never move), or `None` if they agree.
fn unit_difference(
    existing: &Unit,
    row: &NewUnit,
    code_of_id: &HashMap<i64, String>,
) -> Option<String> {
    let parent_code = existing
        .parent_id
        .and_then(|id| code_of_id.get(&id).cloned());
    let differs = existing.kind != row.kind
        || parent_code != row.parent_code
        || existing.start_date != row.start_date
        || existing.end_date != row.end_date
        || existing.name != clean(&row.name);
    differs.then(|| {
        format!(
            "đơn vị {} đã có với thông tin khác ({}, cấp trên {}, {}{}); đơn vị không sửa bằng nhập tệp, hãy dùng sắp xếp tổ chức",
            existing.code,
            existing.name,
            parent_code.unwrap_or_else(|| "không có".into()),
            format_date(existing.start_date),
            existing.end_date.map(|e| format!(" – {}", format_date(e))).unwrap_or_default()
        )
    })
}

struct MemberRow {
    number: usize,
    record: MemberRecord,
    admitted: Option<NaiveDate>,
    full: Option<NaiveDate>,
    branch: Option<Unit>,
    /// Where a member admitted before their branch was founded joined the Party.
    admitted_at: Option<String>,
}

/// The place of admission recorded for a member admitted before their branch was founded when
/// the file does not name it.
pub const UNKNOWN_PLACE: &str = "không rõ";

async fn import_members(
    tx: &mut Tx,
    table: &Table,
    columns: &Columns,
    today: NaiveDate,
    progress: &mut dyn Progress,
    hidden: &HashSet<String>,
) -> Result<ImportSummary> {
    let mut errors = Vec::new();
    let all_units = tree::all_units(tx).await?;
    let by_code: HashMap<&str, &Unit> = all_units.values().map(|u| (u.code.as_str(), u)).collect();
    let mut parsed = Vec::new();
    let mut seen = HashSet::new();
    progress.phase("Kiểm tra", table.rows.len());
    for (i, line) in table.rows.iter().enumerate() {
        let mut row = Row::new(line, table, columns, &mut errors);
        let code = row.required("code");
        if let Some(code) = &code
            && !seen.insert(code.clone())
        {
            row.fail("code", "mã đảng viên lặp lại trong tệp");
        }
        // A member outside the importer's scope: refused, saying nothing about them.
        if code.as_ref().is_some_and(|c| hidden.contains(c)) {
            row.fail("code", "mã đảng viên này không dùng được; dùng mã khác");
            continue;
        }
        let name = row.required("name");
        let sex = row.required_choice("sex", Sex::parse, &Sex::expected_vi());
        let birth = row.date("birth", true);
        let general_education = row.choice(
            "education",
            GeneralEducation::parse,
            &GeneralEducation::expected_vi(),
        );
        let qualification = row.choice(
            "qualification",
            Qualification::parse,
            &Qualification::expected_vi(),
        );
        let theory_level = row.choice("theory", TheoryLevel::parse, &TheoryLevel::expected_vi());
        let admitted = row.date("admitted", false);
        let full = row.date("full", false);
        let branch_code = row.text("branch");
        let branch = if branch_code.is_empty() {
            None
        } else {
            let found = by_code.get(branch_code.as_str()).map(|u| (*u).clone());
            if found.is_none() {
                row.fail("branch", "không có chi bộ với mã này");
            }
            found
        };
        if admitted.is_some() && branch_code.is_empty() {
            row.fail("branch", "có ngày vào Đảng thì cần mã chi bộ kết nạp");
        }
        if full.is_some() && admitted.is_none() {
            row.fail("full", "có ngày chính thức thì cần ngày vào Đảng");
        }
        // A roster lists members by today's branch, often founded after they joined the Party:
        // they are recorded as admitted where the file says (or at an unknown place) and placed
        // in the branch from its founding.
        let origin = row.text("origin");
        let admitted_at = match (admitted, &branch) {
            (Some(admitted), Some(branch)) if admitted < branch.start_date => {
                Some(if origin.is_empty() {
                    UNKNOWN_PLACE.to_string()
                } else {
                    origin
                })
            }
            (Some(_), Some(branch))
                if !origin.is_empty()
                    && fold(&origin) != fold(&branch.name)
                    && origin != branch.code =>
            {
                row.fail(
                    "origin",
                    format!(
                        "chi bộ {} đã có từ {}, trước ngày vào Đảng: để trống nếu kết nạp tại chi bộ này; \
                         nếu kết nạp nơi khác rồi chuyển đến, ghi «Kết nạp» và «Chuyển đến» (có ngày) trong tệp sự kiện",
                        branch.code,
                        format_date(branch.start_date)
                    ),
                );
                None
            }
            (None, _) if !origin.is_empty() => {
                row.fail("origin", "có nơi vào Đảng thì cần ngày vào Đảng");
                None
            }
            _ => None,
        };
        let (Some(code), Some(full_name), Some(sex), Some(birth_date)) = (code, name, sex, birth)
        else {
            continue;
        };
        let record = members::normalise(&MemberRecord {
            code,
            full_name,
            sex,
            birth_date,
            ethnicity: row.text("ethnicity"),
            religion: row.text("religion"),
            home_town: row.text("home_town"),
            residence: row.text("residence"),
            national_id: row.text("national_id"),
            general_education,
            qualification,
            theory_level,
            occupation: row.text("occupation"),
            phone: row.text("phone"),
            card_number: row.text("card"),
        });
        for (field, message) in members::validate(&record, today) {
            let key = match field.as_str() {
                "birth_date" => "birth",
                "full_name" => "name",
                "card_number" => "card",
                other => other,
            };
            row.fail(key, message);
        }
        parsed.push(MemberRow {
            number: line.0,
            record,
            admitted,
            full,
            branch,
            admitted_at,
        });
        if i % 1000 == 0 {
            progress.advance(i);
        }
    }
    // The good rows go on to the history check, so that one pass names every bad row (the
    // transaction is rolled back if any row is bad).
    let bad_rows: HashSet<usize> = errors.iter().map(|e| e.row).collect();
    parsed.retain(|m| !bad_rows.contains(&m.number));

    let mut summary = ImportSummary {
        rows: table.rows.len(),
        ..Default::default()
    };
    let codes: Vec<String> = parsed.iter().map(|m| m.record.code.clone()).collect();
    let existing = members::by_codes(tx, &codes).await?;
    progress.phase("Ghi hồ sơ", parsed.len());
    let mut new_rows = Vec::new();
    for (done, m) in parsed.iter().enumerate() {
        match existing.get(&m.record.code) {
            Some(old) if old.record == m.record => summary.unchanged += 1,
            Some(old) => {
                // A level kept by dated training facts changes by a new fact, not by the file.
                let kept = crate::cadres::training::kinds_of_member(tx, old.id).await?;
                let mut refused = false;
                for kind in kept {
                    let (key, changed) = match kind {
                        TrainingKind::Theory => {
                            ("theory", old.record.theory_level != m.record.theory_level)
                        }
                        TrainingKind::Education => (
                            "education",
                            old.record.general_education != m.record.general_education,
                        ),
                        TrainingKind::Qualification => (
                            "qualification",
                            old.record.qualification != m.record.qualification,
                        ),
                    };
                    if changed {
                        let column = columns.index.get(key).copied();
                        errors.push(RowError {
                            row: m.number,
                            column: column
                                .and_then(|c| table.headers.get(c))
                                .cloned()
                                .unwrap_or_default(),
                            value: column
                                .and_then(|c| {
                                    table
                                        .rows
                                        .iter()
                                        .find(|(n, _)| *n == m.number)
                                        .and_then(|(_, cells)| cells.get(c))
                                })
                                .cloned()
                                .unwrap_or_default(),
                            message: format!(
                                "{} của đảng viên này theo quá trình đào tạo: ghi trình độ mới \
                                 bằng tệp quá trình đào tạo hoặc ở trang chức vụ, đào tạo",
                                kind.label_vi()
                            ),
                        });
                        refused = true;
                    }
                }
                if refused {
                    continue;
                }
                members::update(tx, old.id, &m.record).await?;
                summary.updated += 1;
                summary.updated_codes.push(m.record.code.clone());
            }
            None => new_rows.push(members::record_values(&m.record)),
        }
        if done % 1000 == 0 {
            progress.advance(done);
        }
    }
    summary.created = new_rows.len();
    for (i, chunk) in new_rows.chunks(1000).enumerate() {
        tx.insert_rows("members", &members::RECORD_COLUMNS, chunk)
            .await?;
        progress.advance(summary.unchanged + summary.updated + (i + 1) * chunk.len());
    }
    let ids = members::ids_by_code(tx, &codes).await?;
    let created: Vec<i64> = parsed
        .iter()
        .filter(|m| !existing.contains_key(&m.record.code))
        .filter_map(|m| ids.get(&m.record.code).copied())
        .collect();
    members::search::index_new(tx, &created).await?;
    let mut batch = Vec::new();
    // Per member: the row, and the column each of their new events comes from.
    let mut row_of: HashMap<i64, (usize, Vec<&str>)> = HashMap::new();
    for m in &parsed {
        let (Some(admitted), Some(branch)) = (m.admitted, &m.branch) else {
            continue;
        };
        let id = ids[&m.record.code];
        let (mut list, mut columns) = match &m.admitted_at {
            None => (
                vec![NewEvent {
                    to_unit_id: Some(branch.id),
                    ..NewEvent::new(EventKind::Admission, admitted)
                }],
                vec!["Ngày vào Đảng"],
            ),
            Some(place) => {
                // Said once, when the member comes in (a re-import changes nothing).
                if !existing.contains_key(&m.record.code) {
                    summary.placed_before_branch += 1;
                }
                (
                    vec![
                        NewEvent {
                            external_unit: place.clone(),
                            ..NewEvent::new(EventKind::Admission, admitted)
                        },
                        NewEvent {
                            to_unit_id: Some(branch.id),
                            cause: EventCause::Placement,
                            ..NewEvent::new(EventKind::TransferIn, branch.start_date)
                        },
                    ],
                    vec!["Ngày vào Đảng", "Mã chi bộ"],
                )
            }
        };
        if let Some(full) = m.full {
            list.push(NewEvent::new(EventKind::FullMembership, full));
            columns.push("Ngày chính thức");
        }
        row_of.insert(id, (m.number, columns));
        batch.push((id, list));
    }
    progress.phase("Ghi sự kiện", batch.len());
    match events::record(tx, &all_units, batch).await? {
        Ok(n) => summary.events_written = n,
        Err(refusals) => {
            errors.extend(refusals.into_iter().map(|r| {
                let (row, columns) = &row_of[&r.member_id];
                let (row, column) = (*row, columns[r.new_index]);
                RowError {
                    row,
                    column: column.into(),
                    value: String::new(),
                    message: r.message,
                }
            }));
        }
    }
    check(errors)?;
    Ok(summary)
}

async fn import_events(
    tx: &mut Tx,
    table: &Table,
    columns: &Columns,
    progress: &mut dyn Progress,
    hidden: &HashSet<String>,
) -> Result<ImportSummary> {
    let mut errors = Vec::new();
    let all_units = tree::all_units(tx).await?;
    let by_code: HashMap<String, &Unit> = all_units.values().map(|u| (u.code.clone(), u)).collect();
    let codes: Vec<String> = table
        .rows
        .iter()
        .filter_map(|(_, cells)| {
            columns
                .index
                .get("member")
                .and_then(|&i| cells.get(i))
                .cloned()
        })
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let ids = members::ids_by_code(tx, &codes).await?;
    let mut per_member: HashMap<i64, Vec<(usize, NewEvent)>> = HashMap::new();
    let mut member_of_row: Vec<(usize, i64)> = Vec::new();
    progress.phase("Kiểm tra", table.rows.len());
    for line in &table.rows {
        let number = &line.0;
        let mut row = Row::new(line, table, columns, &mut errors);
        let member = row.required("member");
        // A member outside the scope reads exactly as one that does not exist.
        let member_id = member
            .as_ref()
            .filter(|code| !hidden.contains(*code))
            .and_then(|code| ids.get(code).copied());
        if member.is_some() && member_id.is_none() {
            row.fail(
                "member",
                "không có đảng viên với mã này (nhập danh sách đảng viên trước)",
            );
        }
        let kind = row.required_choice("kind", EventKind::parse, &EventKind::expected_vi());
        let date = row.date("date", true);
        let ceremony = row.date("ceremony", false);
        let end = row.date("end", false);
        let cause_text = fold(&row.text("cause"));
        let cause = if cause_text.is_empty() || cause_text == "ghi nhan" {
            Some(EventCause::Recorded)
        } else {
            EventCause::ALL
                .into_iter()
                .find(|c| !c.label_vi().is_empty() && fold(c.label_vi()) == cause_text)
        };
        let cause = match cause {
            Some(EventCause::Placement) if kind != Some(EventKind::TransferIn) => {
                row.fail(
                    "cause",
                    format!(
                        "«{}» chỉ dùng cho sự kiện «{}»",
                        EventCause::Placement.label_vi(),
                        EventKind::TransferIn.label_vi()
                    ),
                );
                EventCause::Recorded
            }
            Some(cause) => cause,
            None => {
                row.fail(
                    "cause",
                    format!(
                        "để trống hoặc ghi «{}» hoặc «{}»",
                        EventCause::Restructure.label_vi(),
                        EventCause::Placement.label_vi()
                    ),
                );
                EventCause::Recorded
            }
        };
        let mut external = String::new();
        let mut unit_side = |row: &mut Row, key: &str, must_be_internal: bool| -> Option<i64> {
            let value = row.text(key);
            if value.is_empty() {
                if must_be_internal {
                    row.fail(key, "cần mã đơn vị trong hệ thống");
                }
                return None;
            }
            match by_code.get(&value) {
                Some(u) => Some(u.id),
                None if must_be_internal => {
                    row.fail(key, "không có đơn vị với mã này");
                    None
                }
                None => {
                    external = value;
                    None
                }
            }
        };
        let needs_to = matches!(
            kind,
            Some(EventKind::TransferIn | EventKind::TemporaryTransferIn | EventKind::Readmission)
        );
        let from = unit_side(&mut row, "from", false);
        let to = unit_side(&mut row, "to", needs_to);
        if let Some(id) = member_id {
            member_of_row.push((*number, id));
        }
        let (Some(member_id), Some(kind), Some(date)) = (member_id, kind, date) else {
            continue;
        };
        let event = NewEvent {
            ceremony_date: ceremony,
            end_date: end,
            decision_number: row.text("decision"),
            issuing_body: row.text("body"),
            from_unit_id: from,
            to_unit_id: to,
            external_unit: external,
            note: row.text("note"),
            cause,
            ..NewEvent::new(kind, date)
        };
        per_member
            .entry(member_id)
            .or_default()
            .push((*number, event));
    }
    // The histories of members whose rows all read well are checked too, so that one pass names
    // every bad row; a member with a bad row is left out (a missing event would make their
    // history look wrong where it is not).
    let bad_rows: HashSet<usize> = errors.iter().map(|e| e.row).collect();
    for (number, id) in member_of_row {
        if bad_rows.contains(&number) {
            per_member.remove(&id);
        }
    }
    let mut rows_of: HashMap<i64, Vec<usize>> = HashMap::new();
    let mut batch = Vec::new();
    for (member_id, list) in per_member {
        rows_of.insert(member_id, list.iter().map(|(n, _)| *n).collect());
        batch.push((
            member_id,
            list.into_iter().map(|(_, e)| e).collect::<Vec<_>>(),
        ));
    }
    batch.sort_by_key(|(id, _)| *id);
    progress.phase("Ghi sự kiện", batch.len());
    let mut summary = ImportSummary {
        rows: table.rows.len(),
        ..Default::default()
    };
    match events::record(tx, &all_units, batch).await? {
        Ok(n) => {
            summary.events_written = n;
            summary.unchanged = table.rows.len() - n;
        }
        Err(refusals) => errors.extend(refusals.into_iter().map(|r| RowError {
            row: rows_of[&r.member_id][r.new_index],
            column: "Sự kiện".into(),
            value: String::new(),
            message: r.message,
        })),
    }
    check(errors)?;
    Ok(summary)
}

/// Every member in code order, each with their events in date order.
async fn members_with_events(
    tx: &mut Tx,
) -> Result<Vec<(members::Member, Vec<events::StoredEvent>)>> {
    let list = members::all(tx).await?;
    let ids: Vec<i64> = list.iter().map(|m| m.id).collect();
    let mut stored = events::of_members(tx, &ids).await?;
    Ok(list
        .into_iter()
        .map(|m| {
            let history = stored.remove(&m.id).unwrap_or_default();
            (m, history)
        })
        .collect())
}

/// The header line an export of `dataset` writes.
pub(crate) fn export_headers(dataset: Dataset) -> Vec<String> {
    fields_of(dataset)
        .iter()
        .map(|f| export_header(f.key, dataset).to_string())
        .collect()
}

/// Reads what would be exported: a header line and rows of text. Units, members and events are
/// the whole database's; the other records those of units in the subtree of `scope_path`.
pub async fn export_table(tx: &mut Tx, dataset: Dataset, scope_path: &str) -> Result<Table> {
    match dataset.read_by() {
        Some(Capability::WriteProgrammes) => {
            return crate::programmes::columns::export(tx, dataset, scope_path).await;
        }
        Some(Capability::Admit) => {
            return crate::admission::columns::export(tx, dataset, scope_path).await;
        }
        Some(Capability::Rate) => {
            return crate::ratings::columns::export(tx, dataset, scope_path).await;
        }
        Some(Capability::Inspect) => {
            return crate::inspection::columns::export(tx, scope_path).await;
        }
        Some(Capability::ManageCadres) => {
            return crate::cadres::columns::export(tx, scope_path).await;
        }
        _ => {}
    }
    let headers = export_headers(dataset);
    let date = |d: Option<NaiveDate>| d.map(format_date).unwrap_or_default();
    let all_units = tree::all_units(tx).await?;
    let code_of = |id: Option<i64>| id.and_then(|id| all_units.get(&id)).map(|u| u.code.clone());
    let mut rows: Vec<Vec<String>> = Vec::new();
    match dataset {
        Dataset::Units => {
            let mut list: Vec<&Unit> = all_units.values().collect();
            list.sort_by(|a, b| {
                a.path
                    .len()
                    .cmp(&b.path.len())
                    .then_with(|| a.code.cmp(&b.code))
            });
            let hardship: HashSet<String> = fetch_all!(
                tx,
                "SELECT code FROM units WHERE hardship_area = 1",
                [],
                |row| row.try_get::<String, _>("code")
            )?
            .into_iter()
            .collect();
            for u in list {
                rows.push(vec![
                    u.code.clone(),
                    u.name.clone(),
                    u.kind.label_vi().to_string(),
                    code_of(u.parent_id).unwrap_or_default(),
                    format_date(u.start_date),
                    date(u.end_date),
                    if hardship.contains(&u.code) {
                        "có"
                    } else {
                        ""
                    }
                    .to_string(),
                ]);
            }
        }
        Dataset::Members => {
            for (m, history) in members_with_events(tx).await? {
                let r = &m.record;
                let admission = history
                    .iter()
                    .find(|e| e.event.kind == EventKind::Admission);
                let full = history
                    .iter()
                    .find(|e| e.event.kind == EventKind::FullMembership);
                // Admitted at a branch here; or, before the branch was founded, elsewhere and
                // placed in it when the roster came in (the file's `Nơi vào Đảng`).
                let placement = history
                    .iter()
                    .find(|e| e.event.cause == EventCause::Placement);
                let (admitted, branch, admitted_at) = match (admission, placement) {
                    (Some(a), _) if a.event.to_unit_id.is_some() => (
                        Some(a.event.date),
                        code_of(a.event.to_unit_id),
                        String::new(),
                    ),
                    (Some(a), Some(p)) => (
                        Some(a.event.date),
                        code_of(p.event.to_unit_id),
                        a.event.external_unit.clone(),
                    ),
                    _ => (None, None, String::new()),
                };
                rows.push(vec![
                    r.code.clone(),
                    r.full_name.clone(),
                    r.sex.label_vi().to_string(),
                    format_date(r.birth_date),
                    r.ethnicity.clone(),
                    r.religion.clone(),
                    r.home_town.clone(),
                    r.residence.clone(),
                    r.national_id.clone(),
                    r.general_education
                        .map(|v| v.label_vi().to_string())
                        .unwrap_or_default(),
                    r.qualification
                        .map(|v| v.label_vi().to_string())
                        .unwrap_or_default(),
                    r.theory_level
                        .map(|v| v.label_vi().to_string())
                        .unwrap_or_default(),
                    r.occupation.clone(),
                    r.phone.clone(),
                    r.card_number.clone(),
                    date(admitted),
                    date(admitted.and(full.map(|f| f.event.date))),
                    branch.unwrap_or_default(),
                    admitted_at,
                ]);
            }
        }
        Dataset::Events => {
            for (m, history) in members_with_events(tx).await? {
                for e in &history {
                    let ev = &e.event;
                    let external_on_from =
                        ev.from_unit_id.is_none() && ev.kind == EventKind::TransferIn;
                    let from = code_of(ev.from_unit_id).unwrap_or_else(|| {
                        if external_on_from {
                            ev.external_unit.clone()
                        } else {
                            String::new()
                        }
                    });
                    let to = code_of(ev.to_unit_id).unwrap_or_else(|| {
                        if external_on_from {
                            String::new()
                        } else {
                            ev.external_unit.clone()
                        }
                    });
                    rows.push(vec![
                        m.record.code.clone(),
                        ev.kind.label_vi().to_string(),
                        format_date(ev.date),
                        ev.decision_number.clone(),
                        ev.issuing_body.clone(),
                        from,
                        to,
                        ev.note.clone(),
                        date(ev.ceremony_date),
                        date(ev.end_date),
                        ev.cause.label_vi().to_string(),
                    ]);
                }
            }
        }
        Dataset::Documents
        | Dataset::Targets
        | Dataset::Tasks
        | Dataset::Candidates
        | Dataset::CandidateSteps
        | Dataset::MemberRatings
        | Dataset::UnitRatings
        | Dataset::Inspections
        | Dataset::Training => {}
    }
    Ok(numbered(headers, rows))
}

/// A table of exported rows, numbered as a spreadsheet shows them (the header is row 1).
pub(crate) fn numbered(headers: Vec<String>, rows: Vec<Vec<String>>) -> Table {
    Table {
        headers,
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i + 2, r))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_ignoring_case_and_tone_marks() {
        let table = Table {
            headers: vec![
                "MÃ ĐẢNG VIÊN".into(),
                "ho va ten".into(),
                "Giới Tính".into(),
                "Ngày sinh".into(),
            ],
            rows: vec![],
        };
        let columns = Columns::find(&table, Dataset::Members).unwrap_or_else(|_| panic!("headers"));
        assert_eq!(columns.index["code"], 0);
        assert_eq!(columns.index["name"], 1);
        let missing = Table {
            headers: vec!["Họ và tên".into()],
            rows: vec![],
        };
        let Err(errors) = Columns::find(&missing, Dataset::Members) else {
            panic!("should fail")
        };
        assert!(errors.iter().any(|e| e.message.contains("Mã đảng viên")));
    }

    #[test]
    fn row_error_reads_as_a_sentence() {
        let e = RowError {
            row: 5,
            column: "Ngày sinh".into(),
            value: "31/02/1990".into(),
            message: "cần ngày có thật".into(),
        };
        assert_eq!(
            e.to_string(),
            "Dòng 5, cột «Ngày sinh», giá trị «31/02/1990»: cần ngày có thật"
        );
    }
}
