//! Work programmes (chương trình công tác): the directing documents a committee issues, the
//! targets (chỉ tiêu) they set and how a target is judged against the figure it is bound to.
//! Pure rules, no I/O: the store keeps documents, targets and tasks and feeds the actual values.

pub mod figures;
pub mod tasks;

use chrono::NaiveDate;
use serde::Serialize;

use crate::figures::{Kind, format_hundredths};

vocabulary!(
    /// The kind of a directing document.
    DocumentKind {
        Resolution => "resolution", "Nghị quyết";
        ThematicResolution => "thematic_resolution", "Nghị quyết chuyên đề";
        ActionProgram => "action_program", "Chương trình hành động", ["chuong trinh"];
        Plan => "plan", "Kế hoạch";
        Conclusion => "conclusion", "Kết luận";
        Directive => "directive", "Chỉ thị";
        Regulation => "regulation", "Quy chế";
        Report => "report", "Báo cáo";
    }
);

impl DocumentKind {
    /// The abbreviation of the kind in a Party document's number ("88-KH/HU": a plan), as the
    /// Party's rules on document format write it (Hướng dẫn 36-HD/VPTW, 2018).
    pub fn abbreviation(self) -> &'static str {
        match self {
            DocumentKind::Resolution | DocumentKind::ThematicResolution => "NQ",
            DocumentKind::ActionProgram => "CTr",
            DocumentKind::Plan => "KH",
            DocumentKind::Conclusion => "KL",
            DocumentKind::Directive => "CT",
            DocumentKind::Regulation => "QC",
            DocumentKind::Report => "BC",
        }
    }
}

vocabulary!(
    /// The field of work a document or target belongs to: the four domains reports group targets
    /// by, and the fields of party building beside them.
    Domain {
        Economy => "economy", "Kinh tế";
        CultureSociety => "culture_society", "Văn hóa - xã hội", ["van hoa xa hoi", "van hoa, xa hoi"];
        DefenceSecurity => "defence_security", "Quốc phòng - an ninh", ["quoc phong an ninh", "quoc phong, an ninh"];
        PartyBuilding => "party_building", "Xây dựng Đảng", ["xay dung dang va he thong chinh tri"];
        Organization => "organization", "Tổ chức xây dựng Đảng", ["to chuc"];
        Inspection => "inspection", "Kiểm tra, giám sát", ["kiem tra giam sat"];
        Propaganda => "propaganda", "Tuyên giáo", ["tuyen truyen"];
        MassMobilization => "mass_mobilization", "Dân vận";
    }
);

impl Domain {
    /// The four domains targets are counted by ("economy 16/22"): a field of party building counts
    /// under party building.
    pub const MAIN: [Domain; 4] = [
        Domain::Economy,
        Domain::CultureSociety,
        Domain::DefenceSecurity,
        Domain::PartyBuilding,
    ];

    pub fn main(self) -> Domain {
        match self {
            Domain::Organization
            | Domain::Inspection
            | Domain::Propaganda
            | Domain::MassMobilization => Domain::PartyBuilding,
            other => other,
        }
    }
}

/// A Party document's number, "88-KH/HU": its serial number, the abbreviation of its kind and the
/// abbreviation of the body that issued it (HU: Huyện ủy; ĐU: Đảng ủy; BTV…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentNumber {
    pub serial: u32,
    pub kind: String,
    pub issuer: String,
}

/// Why a document number does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberProblem(pub String);

impl DocumentNumber {
    /// Reads "88-KH/HU", "03-NQ/ĐU", "15-CTr/TU" (spaces around the signs tolerated). The serial
    /// is 1 to 99.999; the kind one of the Party's abbreviations; the issuer capital letters
    /// (Đ included) and digits, in parts joined by "-" ("BTGTU", "ĐU-UBKT").
    pub fn parse(text: &str) -> Result<DocumentNumber, NumberProblem> {
        let expected = || {
            NumberProblem(format!(
                "«{}» không đúng dạng số văn bản của Đảng (số-loại/cơ quan, ví dụ 88-KH/HU, 03-NQ/ĐU)",
                text.trim()
            ))
        };
        let compact: String = text.split_whitespace().collect();
        let (serial, rest) = compact.split_once('-').ok_or_else(expected)?;
        let (kind, issuer) = rest.split_once('/').ok_or_else(expected)?;
        let serial: u32 = serial.parse().map_err(|_| expected())?;
        if !(1..=99_999).contains(&serial) {
            return Err(expected());
        }
        let kind = KNOWN_KINDS
            .iter()
            .find(|k| k.eq_ignore_ascii_case(kind))
            .ok_or_else(|| {
                NumberProblem(format!(
                    "«{kind}» không phải chữ viết tắt loại văn bản ({})",
                    KNOWN_KINDS.join(", ")
                ))
            })?;
        let issuer_ok = !issuer.is_empty()
            && issuer.split('-').all(|part| {
                !part.is_empty()
                    && part.chars().count() <= 12
                    && part
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == 'Đ')
            });
        if !issuer_ok {
            return Err(NumberProblem(format!(
                "«{issuer}» không phải chữ viết tắt cơ quan ban hành (chữ in hoa, ví dụ HU, ĐU, BTVTU)"
            )));
        }
        Ok(DocumentNumber {
            serial,
            kind: (*kind).to_string(),
            issuer: issuer.to_string(),
        })
    }

    /// Whether the number's kind abbreviation is the one of `kind`.
    pub fn fits(&self, kind: DocumentKind) -> bool {
        self.kind == kind.abbreviation()
    }
}

impl std::fmt::Display for DocumentNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}-{}/{}", self.serial, self.kind, self.issuer)
    }
}

/// The abbreviations of kinds found in Party document numbers, those Dangbo files as directing
/// documents and the others a number may carry (QĐ quyết định, QĐi quy định, HD hướng dẫn, TB
/// thông báo, TTr tờ trình).
const KNOWN_KINDS: [&str; 12] = [
    "NQ", "CTr", "KH", "KL", "CT", "QC", "BC", "QĐ", "QĐi", "HD", "TB", "TTr",
];

/// How a target's figure is compared with its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Comparator {
    Above,
    AtLeast,
    Equal,
    AtMost,
    Below,
}

impl Comparator {
    pub const ALL: [Comparator; 5] = [
        Comparator::Above,
        Comparator::AtLeast,
        Comparator::Equal,
        Comparator::AtMost,
        Comparator::Below,
    ];

    /// `>`, `>=`, `=`, `<=`, `<`: how files, the API and the CLI write it.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::Above => ">",
            Comparator::AtLeast => ">=",
            Comparator::Equal => "=",
            Comparator::AtMost => "<=",
            Comparator::Below => "<",
        }
    }

    /// Reads `>`, `>=` or `≥`, `=`, `<=` or `≤`, `<`.
    pub fn parse(text: &str) -> Option<Comparator> {
        match text.trim() {
            ">" => Some(Comparator::Above),
            ">=" | "≥" => Some(Comparator::AtLeast),
            "=" => Some(Comparator::Equal),
            "<=" | "≤" => Some(Comparator::AtMost),
            "<" => Some(Comparator::Below),
            _ => None,
        }
    }

    /// In words, before the target's value: "trên", "từ", "bằng", "tối đa", "dưới".
    pub fn words_vi(self) -> &'static str {
        match self {
            Comparator::Above => "trên",
            Comparator::AtLeast => "từ",
            Comparator::Equal => "bằng",
            Comparator::AtMost => "tối đa",
            Comparator::Below => "dưới",
        }
    }

    pub fn holds(self, actual: f64, target: f64) -> bool {
        match self {
            Comparator::Above => actual > target,
            Comparator::AtLeast => actual >= target,
            Comparator::Equal => (actual - target).abs() < 1e-9,
            Comparator::AtMost => actual <= target,
            Comparator::Below => actual < target,
        }
    }

    /// Whether a count that only grows over the period can meet it before the period ends (an
    /// admissions target can be met in June; "at most 5 expulsions" is known only at the end).
    fn met_early_by_growth(self) -> bool {
        matches!(self, Comparator::Above | Comparator::AtLeast)
    }
}

/// Where a target stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetResult {
    Achieved,
    NotAchieved,
    /// The target's period is not over and it cannot be judged yet (or nothing is reported).
    NotDue,
}

impl TargetResult {
    pub fn code(self) -> &'static str {
        match self {
            TargetResult::Achieved => "achieved",
            TargetResult::NotAchieved => "not_achieved",
            TargetResult::NotDue => "not_due",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            TargetResult::Achieved => "Đạt",
            TargetResult::NotAchieved => "Không đạt",
            TargetResult::NotDue => "Chưa đến hạn",
        }
    }
}

/// A target judged on a date: its result, and the actual value over the target's value as a
/// percentage in hundredths (12900 for 129 %; for a period not over, the share reached so far).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub result: TargetResult,
    pub percent_hundredths: Option<i64>,
}

impl Assessment {
    /// "129 %", "101,3 %", "40,7 %"; "—" when the target's value is 0 or nothing is known.
    pub fn percent_text(&self) -> String {
        match self.percent_hundredths {
            Some(h) => format!("{} %", format_hundredths(h)),
            None => "—".to_string(),
        }
    }
}

/// Judges a target of `comparator value` over the period ending `target_to`, from the `actual`
/// value counted up to `counted_to` (the end of the period asked about; `None` when nothing is
/// recorded or reported). A count that only grows over the period (`cumulative`, such as
/// admissions) meets a ">" or "≥" target as soon as it reaches it; anything else is judged when
/// the target's period is over.
pub fn assess(
    comparator: Comparator,
    value: f64,
    actual: Option<f64>,
    target_to: NaiveDate,
    counted_to: NaiveDate,
    cumulative: bool,
) -> Assessment {
    let percent_hundredths = actual.and_then(|actual| {
        if value == 0.0 || !actual.is_finite() || !value.is_finite() {
            return None;
        }
        let hundredths = (actual / value * 10_000.0).round();
        (hundredths.abs() < 9.0e15).then_some(hundredths as i64)
    });
    let over = counted_to >= target_to;
    let result = match actual {
        None => TargetResult::NotDue,
        Some(actual) if comparator.holds(actual, value) => {
            if over || (cumulative && comparator.met_early_by_growth()) {
                TargetResult::Achieved
            } else {
                TargetResult::NotDue
            }
        }
        Some(_) if over => TargetResult::NotAchieved,
        Some(_) => TargetResult::NotDue,
    };
    Assessment {
        result,
        percent_hundredths,
    }
}

/// The most a document's attached file may weigh: a scanned resolution of a few dozen pages.
pub const ATTACHMENT_MAX_BYTES: usize = 10 * 1024 * 1024;

/// The kinds of file a document may have attached: its signed copy (PDF) or its text (DOCX).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attachment {
    Pdf,
    Docx,
}

impl Attachment {
    pub fn media_type(self) -> &'static str {
        match self {
            Attachment::Pdf => "application/pdf",
            Attachment::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }

    /// What an uploaded file is, from its name and its first bytes (a name alone could lie);
    /// why it cannot be attached, in Vietnamese.
    pub fn of(name: &str, bytes: &[u8]) -> Result<Attachment, String> {
        if bytes.is_empty() {
            return Err("tệp rỗng".to_string());
        }
        if bytes.len() > ATTACHMENT_MAX_BYTES {
            return Err(format!(
                "tệp {} MB, quá giới hạn {} MB",
                bytes.len().div_ceil(1024 * 1024),
                ATTACHMENT_MAX_BYTES / (1024 * 1024)
            ));
        }
        let lower = name.to_lowercase();
        let kind = if lower.ends_with(".pdf") {
            (Attachment::Pdf, b"%PDF-".as_slice())
        } else if lower.ends_with(".docx") {
            (Attachment::Docx, b"PK\x03\x04".as_slice())
        } else {
            return Err(format!(
                "«{name}»: chỉ nhận tệp PDF (.pdf) hoặc Word (.docx)"
            ));
        };
        if !bytes.starts_with(kind.1) {
            return Err(format!(
                "«{name}» không phải tệp {} thật (nội dung không khớp đuôi tệp)",
                if kind.0 == Attachment::Pdf {
                    "PDF"
                } else {
                    "Word .docx"
                }
            ));
        }
        Ok(kind.0)
    }
}

/// Why a target cannot measure `figure` this way, if it cannot: a share is a percentage from 0
/// to 100 that a target bounds but never pins to one value; a count is a whole number, not
/// negative; a reported figure is compared as entered.
pub fn measure_problem(figure: &Kind, comparator: Comparator, value: f64) -> Option<String> {
    match figure {
        Kind::Ratio { .. } if comparator == Comparator::Equal => {
            Some("chỉ tiêu tỷ lệ không so «=»; dùng ≥, >, ≤ hoặc < (ví dụ: ≥ 85 %)".to_string())
        }
        Kind::Ratio { .. } if !(0.0..=100.0).contains(&value) => Some(format!(
            "chỉ tiêu tỷ lệ tính theo phần trăm, cần giá trị từ 0 đến 100, không phải {}",
            crate::figures::format_decimal(value)
        )),
        Kind::Count if value < 0.0 || value.fract() != 0.0 => Some(format!(
            "chỉ tiêu đếm hồ sơ cần số nguyên không âm, không phải {}",
            crate::figures::format_decimal(value)
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachments_are_pdf_or_docx_by_name_and_content() {
        assert_eq!(
            Attachment::of("NQ 03.PDF", b"%PDF-1.7 ..."),
            Ok(Attachment::Pdf)
        );
        assert_eq!(
            Attachment::of("kh.docx", b"PK\x03\x04rest"),
            Ok(Attachment::Docx)
        );
        assert!(Attachment::of("kh.doc", b"PK\x03\x04").is_err());
        assert!(Attachment::of("fake.pdf", b"MZ\x90\x00").is_err());
        assert!(Attachment::of("empty.pdf", b"").is_err());
        let big = vec![b'%'; ATTACHMENT_MAX_BYTES + 1];
        assert!(
            Attachment::of("big.pdf", &big)
                .unwrap_err()
                .contains("quá giới hạn")
        );
    }

    #[test]
    fn a_measure_fits_its_figure() {
        let ratio = Kind::Ratio {
            numerator: "a".into(),
            denominator: "b".into(),
        };
        assert!(measure_problem(&ratio, Comparator::AtLeast, 85.0).is_none());
        assert!(measure_problem(&ratio, Comparator::Equal, 85.0).is_some());
        assert!(measure_problem(&ratio, Comparator::AtLeast, 120.0).is_some());
        assert!(measure_problem(&Kind::Count, Comparator::Above, 260.0).is_none());
        assert!(measure_problem(&Kind::Count, Comparator::Above, 2.5).is_some());
        assert!(measure_problem(&Kind::Count, Comparator::AtLeast, -1.0).is_some());
        let reported = Kind::Reported {
            unit_label: "%".into(),
        };
        assert!(measure_problem(&reported, Comparator::Equal, -3.5).is_none());
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn party_document_numbers_read_and_write_back() {
        let plan = DocumentNumber::parse("88-KH/HU").unwrap();
        assert_eq!(
            (plan.serial, plan.kind.as_str(), plan.issuer.as_str()),
            (88, "KH", "HU")
        );
        assert!(plan.fits(DocumentKind::Plan));
        assert!(!plan.fits(DocumentKind::Resolution));
        assert_eq!(plan.to_string(), "88-KH/HU");
        let resolution = DocumentNumber::parse(" 03 - NQ / ĐU ").unwrap();
        assert_eq!(resolution.to_string(), "03-NQ/ĐU");
        assert!(resolution.fits(DocumentKind::ThematicResolution));
        assert_eq!(
            DocumentNumber::parse("15-ctr/TU").unwrap().kind,
            "CTr",
            "the kind's spelling is the Party's"
        );
        assert_eq!(
            DocumentNumber::parse("7-NQ/ĐU-UBKT").unwrap().issuer,
            "ĐU-UBKT"
        );
        for bad in [
            "",
            "88/KH-HU",
            "KH/HU",
            "0-KH/HU",
            "100000-KH/HU",
            "88-XX/HU",
            "88-KH/",
            "88-KH/hu",
            "88-KH/H U!",
        ] {
            assert!(DocumentNumber::parse(bad).is_err(), "{bad}");
        }
        let problem = DocumentNumber::parse("88-XX/HU").unwrap_err();
        assert!(problem.0.contains("«XX»"), "{}", problem.0);
    }

    #[test]
    fn domains_count_under_the_four_main_ones() {
        assert_eq!(Domain::Inspection.main(), Domain::PartyBuilding);
        assert_eq!(Domain::Economy.main(), Domain::Economy);
        assert_eq!(
            Domain::parse("Văn hóa, xã hội"),
            Some(Domain::CultureSociety)
        );
        assert_eq!(
            Domain::parse("quoc phong - an ninh"),
            Some(Domain::DefenceSecurity)
        );
        assert!(Domain::MAIN.iter().all(|d| d.main() == *d));
    }

    #[test]
    fn comparators_read_both_spellings() {
        for c in Comparator::ALL {
            assert_eq!(Comparator::parse(c.symbol()), Some(c));
        }
        assert_eq!(Comparator::parse("≥"), Some(Comparator::AtLeast));
        assert_eq!(Comparator::parse("≤"), Some(Comparator::AtMost));
        assert_eq!(Comparator::parse("=>"), None);
        assert!(Comparator::Above.holds(261.0, 260.0));
        assert!(!Comparator::Above.holds(260.0, 260.0));
        assert!(Comparator::AtLeast.holds(260.0, 260.0));
        assert!(Comparator::Equal.holds(0.3 + 0.6, 0.9));
        assert!(Comparator::AtMost.holds(5.0, 5.0) && !Comparator::Below.holds(5.0, 5.0));
    }

    #[test]
    fn a_year_target_judged_at_and_before_its_end() {
        let year_end = d(2022, 12, 31);
        // "admitted 103 new members, 129 % of the target" (a target of 80).
        let done = assess(
            Comparator::AtLeast,
            80.0,
            Some(103.0),
            year_end,
            year_end,
            true,
        );
        assert_eq!(done.result, TargetResult::Achieved);
        assert_eq!(done.percent_text(), "128,75 %");
        // "152 admitted in 2022, 101,3 % of the target" (150).
        let just = assess(
            Comparator::AtLeast,
            150.0,
            Some(152.0),
            year_end,
            year_end,
            true,
        );
        assert_eq!(
            (just.result, just.percent_text().as_str()),
            (TargetResult::Achieved, "101,33 %")
        );
        // "61 in the first half of 2023, 40,7 % of the year's target" (150): not yet due.
        let half = assess(
            Comparator::AtLeast,
            150.0,
            Some(61.0),
            d(2023, 12, 31),
            d(2023, 6, 30),
            true,
        );
        assert_eq!(
            (half.result, half.percent_text().as_str()),
            (TargetResult::NotDue, "40,67 %")
        );
        // Reached before the year ends: a growing count has met it.
        let early = assess(
            Comparator::AtLeast,
            50.0,
            Some(61.0),
            d(2023, 12, 31),
            d(2023, 6, 30),
            true,
        );
        assert_eq!(early.result, TargetResult::Achieved);
        // The day before the end it is not yet judged; on the last day it is.
        let short = |to| assess(Comparator::AtLeast, 150.0, Some(149.0), year_end, to, true).result;
        assert_eq!(short(d(2022, 12, 30)), TargetResult::NotDue);
        assert_eq!(short(year_end), TargetResult::NotAchieved);
        // A ceiling, or a share that can fall again, waits for the end of the period.
        let ceiling = assess(
            Comparator::AtMost,
            5.0,
            Some(2.0),
            year_end,
            d(2022, 6, 30),
            true,
        );
        assert_eq!(ceiling.result, TargetResult::NotDue);
        let share = assess(
            Comparator::AtLeast,
            85.0,
            Some(90.0),
            year_end,
            d(2022, 6, 30),
            false,
        );
        assert_eq!(share.result, TargetResult::NotDue);
        assert_eq!(
            assess(Comparator::AtMost, 5.0, Some(7.0), year_end, year_end, true).result,
            TargetResult::NotAchieved
        );
    }

    #[test]
    fn nothing_known_or_a_zero_target_has_no_percentage() {
        let missing = assess(
            Comparator::AtLeast,
            100.0,
            None,
            d(2022, 12, 31),
            d(2023, 1, 31),
            false,
        );
        assert_eq!(
            (missing.result, missing.percent_text().as_str()),
            (TargetResult::NotDue, "—")
        );
        let zero = assess(
            Comparator::Equal,
            0.0,
            Some(0.0),
            d(2022, 12, 31),
            d(2022, 12, 31),
            true,
        );
        assert_eq!(
            (zero.result, zero.percent_hundredths),
            (TargetResult::Achieved, None)
        );
    }
}
