//! The figures of inspection, supervision and discipline. A subject counts once per figure however
//! many cases (or decisions) it had in the period. Cases count in the subtree of the unit that
//! decided them, on the day of the decision (violations found: of the conclusion); discipline and
//! complaints in the subtree of the subject.

use crate::figures::{Definition, Timing};

use super::{CaseKind, Discipline};

/// Whose subjects a count keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subjects {
    Organizations,
    Members,
    /// Grassroots organizations (đảng bộ cơ sở, chi bộ cơ sở).
    Grassroots,
    /// Communes' and wards' committees (since 2025).
    Communes,
}

impl Subjects {
    /// The unit kinds (their codes) of the organizations kept; none for members, all for
    /// organizations.
    pub fn unit_kinds(self) -> Option<&'static [&'static str]> {
        match self {
            Subjects::Grassroots => Some(&["grassroots_committee", "grassroots_branch"]),
            Subjects::Communes => Some(&["commune"]),
            Subjects::Organizations | Subjects::Members => None,
        }
    }

    pub fn members(self) -> bool {
        self == Subjects::Members
    }
}

/// What an inspection count keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counted {
    /// Subjects of cases of these kinds decided in the period.
    Cases {
        kinds: Vec<CaseKind>,
        subjects: Subjects,
    },
    /// Subjects found in violation by cases concluded in the period.
    Violations {
        subjects: Subjects,
    },
    /// Subjects disciplined in the period (decisions not annulled by its end), of one form or any.
    Disciplined {
        subjects: Subjects,
        form: Option<Discipline>,
    },
    ComplaintsReceived,
    ComplaintsSettled,
    /// Complaints unsettled on the date past their deadline.
    ComplaintsOverdue,
    /// Plan items whose planned period meets the period.
    Planned,
    /// Those of them done: a case made for the item concluded by the period's end.
    PlannedDone,
}

impl Counted {
    /// Where the count's rows come from.
    pub fn source(&self) -> &'static str {
        match self {
            Counted::Cases { .. } | Counted::Violations { .. } => "case_subjects",
            Counted::Disciplined { .. } => "discipline",
            Counted::ComplaintsReceived
            | Counted::ComplaintsSettled
            | Counted::ComplaintsOverdue => "complaints",
            Counted::Planned | Counted::PlannedDone => "inspection_plans",
        }
    }
}

const INSPECTIONS: [(CaseKind, &str, &str); 4] = [
    (CaseKind::RegularInspection, "regular", "thực hiện nhiệm vụ"),
    (
        CaseKind::SignsOfViolation,
        "violation_signs",
        "khi có dấu hiệu vi phạm",
    ),
    (
        CaseKind::LowerCommission,
        "lower_commission",
        "ủy ban kiểm tra cấp dưới",
    ),
    (CaseKind::Finance, "finance", "tài chính đảng"),
];

const SUPERVISIONS: [(CaseKind, &str, &str); 2] = [
    (CaseKind::RegularSupervision, "regular", "thường xuyên"),
    (CaseKind::ThematicSupervision, "thematic", "chuyên đề"),
];

/// Every count, in the order reports list them.
pub fn counts() -> Vec<(Definition, Counted)> {
    let flow = |key: String, label: String, counted: Counted| {
        (Definition::count(&key, &label, Timing::Flow), counted)
    };
    let cases = |kinds: Vec<CaseKind>, subjects: Subjects| Counted::Cases { kinds, subjects };
    let who = [
        ("organizations", "Tổ chức đảng", Subjects::Organizations),
        ("members", "Đảng viên", Subjects::Members),
    ];
    let inspection_kinds: Vec<CaseKind> = CaseKind::ALL
        .iter()
        .copied()
        .filter(|k| k.is_inspection())
        .collect();
    let supervision_kinds: Vec<CaseKind> = CaseKind::ALL
        .iter()
        .copied()
        .filter(|k| k.is_supervision())
        .collect();
    let mut list = Vec::new();
    for (part, label, subjects) in who {
        list.push(flow(
            format!("inspections.{part}"),
            format!("{label} được kiểm tra"),
            cases(inspection_kinds.clone(), subjects),
        ));
    }
    for (kind, key, words) in INSPECTIONS {
        for (part, label, subjects) in who {
            list.push(flow(
                format!("inspections.{key}.{part}"),
                format!("{label} được kiểm tra {words}"),
                cases(vec![kind], subjects),
            ));
        }
    }
    list.push(flow(
        "inspections.grassroots".into(),
        "Tổ chức cơ sở đảng được kiểm tra".into(),
        cases(inspection_kinds.clone(), Subjects::Grassroots),
    ));
    list.push(flow(
        "inspections.communes".into(),
        "Đảng bộ xã, phường được kiểm tra".into(),
        cases(inspection_kinds, Subjects::Communes),
    ));
    for (part, label, subjects) in who {
        list.push(flow(
            format!("inspections.violations.{part}"),
            format!("{label} được kết luận có vi phạm"),
            Counted::Violations { subjects },
        ));
    }
    for (part, label, subjects) in who {
        list.push(flow(
            format!("supervisions.{part}"),
            format!("{label} được giám sát"),
            cases(supervision_kinds.clone(), subjects),
        ));
    }
    for (kind, key, words) in SUPERVISIONS {
        for (part, label, subjects) in who {
            list.push(flow(
                format!("supervisions.{key}.{part}"),
                format!("{label} được giám sát {words}"),
                cases(vec![kind], subjects),
            ));
        }
    }
    list.push(flow(
        "discipline.members".into(),
        "Đảng viên bị thi hành kỷ luật".into(),
        Counted::Disciplined {
            subjects: Subjects::Members,
            form: None,
        },
    ));
    for form in [
        Discipline::Reprimand,
        Discipline::Warning,
        Discipline::Dismissal,
        Discipline::Expulsion,
    ] {
        list.push(flow(
            format!("discipline.members.{}", form.code()),
            format!("Đảng viên bị kỷ luật {}", form.label_vi().to_lowercase()),
            Counted::Disciplined {
                subjects: Subjects::Members,
                form: Some(form),
            },
        ));
    }
    list.push(flow(
        "discipline.organizations".into(),
        "Tổ chức đảng bị thi hành kỷ luật".into(),
        Counted::Disciplined {
            subjects: Subjects::Organizations,
            form: None,
        },
    ));
    for form in [
        Discipline::Reprimand,
        Discipline::Warning,
        Discipline::Dissolution,
    ] {
        list.push(flow(
            format!("discipline.organizations.{}", form.code()),
            format!("Tổ chức đảng bị kỷ luật {}", form.label_vi().to_lowercase()),
            Counted::Disciplined {
                subjects: Subjects::Organizations,
                form: Some(form),
            },
        ));
    }
    list.push(flow(
        "discipline.complaints.received".into(),
        "Đơn khiếu nại kỷ luật đã nhận".into(),
        Counted::ComplaintsReceived,
    ));
    list.push(flow(
        "discipline.complaints.settled".into(),
        "Đơn khiếu nại kỷ luật đã giải quyết".into(),
        Counted::ComplaintsSettled,
    ));
    list.push((
        Definition::count(
            "discipline.complaints.overdue",
            "Đơn khiếu nại kỷ luật quá hạn chưa giải quyết",
            Timing::Stock,
        ),
        Counted::ComplaintsOverdue,
    ));
    list.push(flow(
        "inspections.planned".into(),
        "Cuộc kiểm tra, giám sát theo chương trình".into(),
        Counted::Planned,
    ));
    list.push(flow(
        "inspections.planned.done".into(),
        "Cuộc kiểm tra, giám sát theo chương trình đã hoàn thành".into(),
        Counted::PlannedDone,
    ));
    list
}

/// The ratios: the share of grassroots organizations (and of communes' committees) inspected,
/// and of the programme done.
pub fn ratios() -> Vec<Definition> {
    vec![
        Definition::ratio(
            "inspections.grassroots.share",
            "Tỷ lệ tổ chức cơ sở đảng được kiểm tra",
            "inspections.grassroots",
            "units.grassroots",
        ),
        Definition::ratio(
            "inspections.communes.share",
            "Tỷ lệ đảng bộ xã, phường được kiểm tra",
            "inspections.communes",
            "units.communes",
        ),
        Definition::ratio(
            "inspections.planned.share",
            "Tỷ lệ hoàn thành chương trình kiểm tra, giám sát",
            "inspections.planned.done",
            "inspections.planned",
        ),
    ]
}
