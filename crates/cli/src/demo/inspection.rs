//! The demo's inspection work, a term of the district's inspection commission (2021–2024) and the
//! first year of a new commune's (2026), through the inspection writer: each year's programme;
//! regular inspections, thematic supervisions and a finance inspection of the grassroots
//! organizations, carried out from the programme; inspections on signs of violation of members
//! rated failing that year, disciplined (a warning, a reprimand) so that the ratings agree; a
//! complaint against a warning settled (upheld); in 2026 the expulsion of a member failing two
//! years running, and that member's complaint, not settled past its deadline.

use chrono::NaiveDate;
use dangbo_domain::ratings::Period;
use dangbo_store::access::{
    Access, CaseInput, ComplaintInput, ConclusionInput, DecisionInput, PlanInput, SettlementInput,
    SubjectConclusion,
};
use dangbo_store::{Result, StoreError};

use super::Reform;

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// What the demo recorded.
#[derive(Default)]
pub struct Filled {
    pub cases: usize,
    pub disciplined: usize,
}

struct Case<'a> {
    code: String,
    kind: &'a str,
    unit: &'a str,
    decided_on: Option<NaiveDate>,
    subjects: Vec<String>,
    plan_item: Option<i64>,
}

/// Records a case, concludes it and gives the subjects' conclusions.
async fn case(
    access: &Access,
    c: Case<'_>,
    concluded_on: Option<NaiveDate>,
    conclusion: impl Fn(usize) -> &'static str,
) -> Result<()> {
    let writer = access.inspection_writer()?;
    writer
        .record_case(&CaseInput {
            code: c.code.clone(),
            kind: c.kind.into(),
            unit: c.unit.into(),
            body: "commission".into(),
            decision_number: format!("{}-QĐ/UBKT", c.code.rsplit('-').next().unwrap_or("1")),
            decided_on: c.decided_on,
            started_on: c
                .decided_on
                .and_then(|d| d.checked_add_days(chrono::Days::new(10))),
            topic: match c.kind {
                "regular_inspection" => "Việc lãnh đạo, chỉ đạo thực hiện nghị quyết đại hội",
                "thematic_supervision" => "Việc thực hiện Quy định 08 về nêu gương",
                "finance" => "Thu, nộp, quản lý đảng phí",
                _ => "Dấu hiệu vi phạm những điều đảng viên không được làm",
            }
            .into(),
            plan_item: c.plan_item,
            subjects: c.subjects.clone(),
        })
        .await?;
    writer
        .conclude(
            &c.code,
            &ConclusionInput {
                concluded_on,
                subjects: c
                    .subjects
                    .iter()
                    .enumerate()
                    .map(|(i, s)| SubjectConclusion {
                        subject: s.clone(),
                        conclusion: conclusion(i).into(),
                        note: String::new(),
                    })
                    .collect(),
            },
        )
        .await?;
    Ok(())
}

/// The members of a subtree rated failing for a year, by code.
async fn failing(access: &Access, unit: &str, year: i32) -> Result<Vec<String>> {
    let Some((_, ratings)) = access.ratings_under(unit, Period::year(year)).await? else {
        return Ok(Vec::new());
    };
    Ok(ratings
        .into_iter()
        .filter(|r| r.level == "not_done")
        .filter_map(|r| r.member_code)
        .collect())
}

/// Fills the demo district's inspection work (the ratings must be loaded: the disciplined
/// members are those rated failing).
pub async fn fill(access: &Access, reform: &Reform) -> Result<Filled> {
    let mut filled = Filled::default();
    let district = reform.district_code.as_str();
    let writer = access.inspection_writer()?;
    for year in 2021..=2024 {
        let on = date(year, 1, 1).ok_or_else(|| StoreError::invalid("demo.date", "ngày"))?;
        let grassroots: Vec<String> = access
            .subtree(district, on)
            .await?
            .unwrap_or_default()
            .into_iter()
            .filter(|e| e.unit.kind == dangbo_domain::tree::UnitKind::GrassrootsCommittee)
            .map(|e| e.unit.code)
            .collect();
        if grassroots.is_empty() {
            continue;
        }
        let n = grassroots.len();
        let pick = |i: usize| grassroots[(i + year as usize) % n].clone();
        // The programme: four regular inspections, two thematic supervisions; the last
        // inspection is left for the next year.
        let mut items = Vec::new();
        for (i, kind) in ["regular_inspection"; 4]
            .into_iter()
            .chain(["thematic_supervision"; 2])
            .enumerate()
        {
            let item = writer
                .plan(&PlanInput {
                    unit: district.into(),
                    year,
                    kind: kind.into(),
                    subject: pick(i),
                    topic: String::new(),
                    planned_from: date(year, 3 + i as u32, 1),
                    planned_to: date(year, 4 + i as u32, 30),
                })
                .await?;
            items.push((kind, item.id, pick(i)));
        }
        for (i, (kind, id, subject)) in items.iter().enumerate().filter(|(i, _)| *i != 3) {
            let decided = date(year, 3 + i as u32, 5);
            case(
                access,
                Case {
                    code: format!("KT-{year}-{:02}", i + 1),
                    kind,
                    unit: district,
                    decided_on: decided,
                    subjects: vec![subject.clone()],
                    plan_item: Some(*id),
                },
                date(year, 4 + i as u32, 20),
                // One inspected organization in three has a minor violation to remedy.
                |_| {
                    if (i + year as usize).is_multiple_of(3) {
                        "minor"
                    } else {
                        "no_violation"
                    }
                },
            )
            .await?;
            filled.cases += 1;
        }
        case(
            access,
            Case {
                code: format!("KT-{year}-07"),
                kind: "finance",
                unit: district,
                decided_on: date(year, 9, 1),
                subjects: vec![pick(5)],
                plan_item: None,
            },
            date(year, 10, 5),
            |_| "no_violation",
        )
        .await?;
        filled.cases += 1;
        // Members rated failing that year: inspected on signs of violation, disciplined.
        let members: Vec<String> = failing(access, district, year)
            .await?
            .into_iter()
            .take(2)
            .collect();
        if members.is_empty() {
            continue;
        }
        let code = format!("KT-{year}-08");
        case(
            access,
            Case {
                code: code.clone(),
                kind: "signs_of_violation",
                unit: district,
                decided_on: date(year, 9, 10),
                subjects: members.clone(),
                plan_item: None,
            },
            date(year, 10, 20),
            |_| "to_be_disciplined",
        )
        .await?;
        filled.cases += 1;
        for (i, member) in members.iter().enumerate() {
            let decision = writer
                .decide(&DecisionInput {
                    case_code: code.clone(),
                    subject: member.clone(),
                    form: if i == 0 { "warning" } else { "reprimand" }.into(),
                    decided_by: district.into(),
                    body: "commission".into(),
                    decision_number: format!("{}-QĐ/UBKT", 20 + i),
                    decided_on: date(year, 11, 15),
                    violation_on: date(year, 5, 1),
                    no_limit_kind: false,
                    reason: "Vi phạm quy định về những điều đảng viên không được làm".into(),
                    move_members_to: String::new(),
                })
                .await?;
            filled.disciplined += 1;
            // 2024's warning: a complaint to the province, upheld.
            if year == 2024 && i == 0 {
                let complaint = writer
                    .complain(&ComplaintInput {
                        decision_id: decision.id,
                        received_on: date(2024, 12, 2),
                        settling_unit: reform.old_province_code.clone(),
                        note: "Đảng viên khiếu nại hình thức kỷ luật".into(),
                    })
                    .await?;
                writer
                    .settle(&SettlementInput {
                        complaint_id: complaint.id,
                        settled_on: date(2025, 1, 10),
                        result: "upheld".into(),
                        new_form: String::new(),
                        note: "Giữ nguyên hình thức cảnh cáo".into(),
                    })
                    .await?;
            }
        }
    }
    // 2026, the first new commune: a member failing two years running is expelled; their
    // complaint to the province is not settled past its deadline.
    let Some((commune, _, _)) = reform.merges.first() else {
        return Ok(filled);
    };
    writer
        .plan(&PlanInput {
            unit: commune.clone(),
            year: 2026,
            kind: "regular_supervision".into(),
            subject: commune.clone(),
            topic: "Giám sát thường xuyên các chi bộ".into(),
            planned_from: date(2026, 1, 1),
            planned_to: date(2026, 12, 31),
        })
        .await?;
    let twice = access
        .failing_two_years(commune, 2025)
        .await?
        .unwrap_or_default();
    let Some(member) = twice.into_iter().find_map(|r| r.member_code) else {
        return Ok(filled);
    };
    let code = "KT-2026-01".to_string();
    case(
        access,
        Case {
            code: code.clone(),
            kind: "signs_of_violation",
            unit: commune,
            decided_on: date(2026, 2, 2),
            subjects: vec![member.clone()],
            plan_item: None,
        },
        date(2026, 3, 2),
        |_| "to_be_disciplined",
    )
    .await?;
    filled.cases += 1;
    let expelled = writer
        .decide(&DecisionInput {
            case_code: code,
            subject: member,
            form: "expulsion".into(),
            decided_by: commune.clone(),
            body: "committee".into(),
            decision_number: "05-QĐ/ĐU".into(),
            decided_on: date(2026, 3, 20),
            violation_on: date(2025, 11, 1),
            no_limit_kind: false,
            reason: "Không hoàn thành nhiệm vụ hai năm liền, vi phạm tư cách đảng viên".into(),
            move_members_to: String::new(),
        })
        .await?;
    filled.disciplined += 1;
    writer
        .complain(&ComplaintInput {
            decision_id: expelled.id,
            received_on: date(2026, 9, 1),
            settling_unit: reform.province_code.clone(),
            note: "Đảng viên khiếu nại quyết định khai trừ".into(),
        })
        .await?;
    Ok(filled)
}
