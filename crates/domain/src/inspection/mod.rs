//! Inspection, supervision and discipline (kiểm tra, giám sát, thi hành kỷ luật; DOMAIN.md §3): the
//! kinds of case, conclusions, the forms of discipline each subject may receive, the limitation
//! period (thời hiệu) by edition ([`rules`]), a complaint's deadline in working days and when a
//! decision lapses. Pure rules, no I/O: the inspection capability keeps the cases and calls these.

pub mod figures;
pub mod rules;

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::calendar::Calendar;
use crate::rules::Edition;
use crate::tree::UnitKind;

use self::rules::{DisciplineRules, discipline_rules};

vocabulary!(
    /// What a case is (QĐ 296: inspection, supervision, denunciations, complaints).
    CaseKind {
        RegularInspection => "regular_inspection", "Kiểm tra việc thực hiện nhiệm vụ", ["kiem tra thuong xuyen"];
        SignsOfViolation => "signs_of_violation", "Kiểm tra khi có dấu hiệu vi phạm", ["dau hieu vi pham"];
        LowerCommission => "lower_commission", "Kiểm tra ủy ban kiểm tra cấp dưới", ["kiem tra cap duoi"];
        Finance => "finance", "Kiểm tra tài chính đảng, thu nộp đảng phí", ["tai chinh dang"];
        RegularSupervision => "regular_supervision", "Giám sát thường xuyên", ["giam sat thuong xuyen"];
        ThematicSupervision => "thematic_supervision", "Giám sát chuyên đề", ["giam sat chuyen de"];
        Denunciation => "denunciation", "Giải quyết tố cáo", ["to cao"];
        DisciplineComplaint => "discipline_complaint", "Giải quyết khiếu nại kỷ luật", ["khieu nai"];
    }
);

impl CaseKind {
    /// Whether the case is a supervision (the rest are inspections or settlements).
    pub fn is_supervision(self) -> bool {
        matches!(
            self,
            CaseKind::RegularSupervision | CaseKind::ThematicSupervision
        )
    }

    /// Whether the case is an inspection (of task execution, on signs of violation, of a lower
    /// commission, of finance).
    pub fn is_inspection(self) -> bool {
        matches!(
            self,
            CaseKind::RegularInspection
                | CaseKind::SignsOfViolation
                | CaseKind::LowerCommission
                | CaseKind::Finance
        )
    }
}

vocabulary!(
    /// Which body of a unit decided a case or a discipline.
    Body {
        Committee => "committee", "Cấp ủy", ["cap uy", "dang uy", "chi bo", "tap the chi bo"];
        StandingCommittee => "standing_committee", "Ban Thường vụ", ["ban thuong vu", "btv"];
        Commission => "commission", "Ủy ban Kiểm tra", ["ubkt", "uy ban kiem tra"];
    }
);

vocabulary!(
    /// Who a case or a decision concerns.
    SubjectKind {
        Organization => "organization", "Tổ chức đảng";
        FullMember => "full_member", "Đảng viên chính thức";
        ProbationaryMember => "probationary_member", "Đảng viên dự bị";
    }
);

vocabulary!(
    /// The conclusion about one subject.
    Conclusion {
        NoViolation => "no_violation", "Không vi phạm";
        Minor => "minor", "Có vi phạm, chưa đến mức kỷ luật", ["vi pham nhe"];
        ToBeDisciplined => "to_be_disciplined", "Có vi phạm, đến mức phải kỷ luật", ["co vi pham"];
    }
);

impl Conclusion {
    pub fn violation_found(self) -> bool {
        self != Conclusion::NoViolation
    }
}

vocabulary!(
    /// A form of discipline (QĐ 69 Art. 7), mildest first.
    Discipline {
        Reprimand => "reprimand", "Khiển trách";
        Warning => "warning", "Cảnh cáo";
        Dismissal => "dismissal", "Cách chức";
        Expulsion => "expulsion", "Khai trừ";
        Dissolution => "dissolution", "Giải tán";
    }
);

vocabulary!(
    /// How a complaint against a discipline decision was settled.
    ComplaintResult {
        Upheld => "upheld", "Giữ nguyên quyết định";
        Changed => "changed", "Thay đổi hình thức kỷ luật";
        Annulled => "annulled", "Xóa bỏ quyết định kỷ luật";
    }
);

/// Why a discipline decision is refused: a stable code, the edition it comes from, and what is
/// wrong with the dates or the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisciplineProblem {
    /// `discipline.form`, `discipline.limitation`, `discipline.dates`.
    pub rule: &'static str,
    pub source: String,
    pub message: String,
}

/// The rules in force on a day.
pub fn rules_on(date: NaiveDate) -> &'static Edition<DisciplineRules> {
    use std::sync::OnceLock;
    static RULES: OnceLock<crate::rules::Editions<DisciplineRules>> = OnceLock::new();
    RULES.get_or_init(discipline_rules).on(date)
}

/// The forms a subject may receive (QĐ 69 Art. 7): an organization is reprimanded, warned or
/// dissolved; a full member reprimanded, warned, dismissed from office or expelled; a
/// probationary member reprimanded or warned.
pub fn forms_for(subject: SubjectKind) -> &'static [Discipline] {
    match subject {
        SubjectKind::Organization => &[
            Discipline::Reprimand,
            Discipline::Warning,
            Discipline::Dissolution,
        ],
        SubjectKind::FullMember => &[
            Discipline::Reprimand,
            Discipline::Warning,
            Discipline::Dismissal,
            Discipline::Expulsion,
        ],
        SubjectKind::ProbationaryMember => &[Discipline::Reprimand, Discipline::Warning],
    }
}

/// A decision to check: the subject, the form, the violation's day (its last act), the decision's
/// day, and whether the violation is of a kind with no limit (internal politics, harm to national
/// defence, security or foreign relations, an illegal diploma).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecisionFacts {
    pub subject: SubjectKind,
    pub form: Discipline,
    pub violation_on: NaiveDate,
    pub decided_on: NaiveDate,
    pub no_limit_kind: bool,
}

/// Checks a discipline decision: a form the subject may receive, dates in order, and the
/// limitation period of the edition in force on the decision's day (counted from the violation;
/// none for the gravest forms and the kinds with no limit).
pub fn check_decision(facts: &DecisionFacts) -> Result<(), DisciplineProblem> {
    let edition = rules_on(facts.decided_on);
    let problem = |rule: &'static str, message: String| DisciplineProblem {
        rule,
        source: edition.citation(),
        message,
    };
    if !forms_for(facts.subject).contains(&facts.form) {
        return Err(problem(
            "discipline.form",
            format!(
                "{} không áp dụng với {}: chỉ {}",
                facts.form.label_vi(),
                facts.subject.label_vi().to_lowercase(),
                forms_for(facts.subject)
                    .iter()
                    .map(|f| f.label_vi().to_lowercase())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    if facts.violation_on > facts.decided_on {
        return Err(problem(
            "discipline.dates",
            format!(
                "ngày vi phạm {} sau ngày quyết định {}",
                crate::text::format_date(facts.violation_on),
                crate::text::format_date(facts.decided_on)
            ),
        ));
    }
    if facts.no_limit_kind {
        return Ok(());
    }
    let Some(years) = edition.rules.limitation_years(facts.subject, facts.form) else {
        return Ok(());
    };
    let end = facts
        .violation_on
        .checked_add_months(Months::new(years * 12))
        .unwrap_or(NaiveDate::MAX);
    if facts.decided_on >= end {
        return Err(problem(
            "discipline.limitation",
            format!(
                "đã hết thời hiệu {years} năm của mức {}: vi phạm ngày {}, hết thời hiệu ngày {}, quyết định ngày {}",
                facts.form.label_vi().to_lowercase(),
                crate::text::format_date(facts.violation_on),
                crate::text::format_date(end),
                crate::text::format_date(facts.decided_on)
            ),
        ));
    }
    Ok(())
}

/// Whether a unit of `decider` kind may give `form` to a subject inside its subtree (`own`: the
/// subject is a member of the deciding unit itself, or the organization is the unit itself), by
/// the authority rules in force on `decided_on`.
pub fn check_authority(
    decider: UnitKind,
    own: bool,
    subject: SubjectKind,
    form: Discipline,
    decided_on: NaiveDate,
) -> Result<(), DisciplineProblem> {
    let edition = rules_on(decided_on);
    let allowed = edition.rules.authority.iter().any(|a| {
        a.deciders.contains(&decider)
            && a.subjects.contains(&subject)
            && a.forms.contains(&form)
            && (subject != SubjectKind::Organization || !own)
    });
    if allowed {
        return Ok(());
    }
    let why = if subject == SubjectKind::Organization && own {
        "một tổ chức đảng không tự kỷ luật mình: cấp ủy cấp trên quyết định".to_string()
    } else {
        format!(
            "{} không có thẩm quyền quyết định {} đối với {}",
            decider.label_vi(),
            form.label_vi().to_lowercase(),
            subject.label_vi().to_lowercase()
        )
    };
    Err(DisciplineProblem {
        rule: "discipline.authority",
        source: edition.citation(),
        message: why,
    })
}

/// The last day to settle a complaint received on `received_on`: the working days the rules in
/// force that day give, after it (DOMAIN.md §3: 30 working days).
pub fn complaint_deadline(calendar: &mut Calendar, received_on: NaiveDate) -> NaiveDate {
    let days = rules_on(received_on).rules.complaint_working_days;
    calendar.working_days_after(received_on, days)
}

/// The day a decision other than expulsion or dissolution stops being in force, when no complaint
/// and no new violation came: a year after it, by the rules of its day (QĐ 30 era; current
/// UNVERIFIED). `None` for the forms that do not lapse.
pub fn lapses_on(form: Discipline, decided_on: NaiveDate) -> Option<NaiveDate> {
    if matches!(form, Discipline::Expulsion | Discipline::Dissolution) {
        return None;
    }
    let months = rules_on(decided_on).rules.lapse_months?;
    decided_on.checked_add_months(Months::new(months))
}

#[cfg(test)]
mod tests;
