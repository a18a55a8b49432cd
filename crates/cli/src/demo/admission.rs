//! The demo district's admission pipeline: the files behind every member admitted in 2021, walked
//! step by step up to the decision that admitted them (the decision links to the member the
//! records already hold, and the ceremony, held the same day, dates their admission); and files open on the demo's
//! last day at every stage in the three new communes, some of them late, so that the board, the
//! due list and the figures show real cases. The open files begin after the 2025 reform: their
//! branches are the new communes' (a file does not follow its branch through a restructure yet). Everything goes through the admission writer, so
//! the demo obeys the rules a user's files do.

use chrono::{Datelike, Days, Months, NaiveDate};
use dangbo_domain::admission::Stage;
use dangbo_domain::members::{GeneralEducation, MemberRecord, Sex};
use dangbo_store::access::{Access, NewCandidate, NewClass, NewTrainee, StepInput, Table};
use dangbo_store::{Result, StoreError};

use super::{date, demo_end};

/// Who nominates the demo's candidates, in turn.
const NOMINATORS: [&str; 5] = [
    "youth_union",
    "women_union",
    "farmers_union",
    "youth_union",
    "veterans_union",
];

/// The files open on the demo's last day: (code, name, sex, birth, the stage reached and the
/// dates of the steps, oldest first). Each is late, due soon or on time as its comment says.
#[allow(clippy::type_complexity)]
const OPEN: [(&str, &str, Sex, (i32, u32, u32), Stage, &[(i32, u32, u32)]); 14] = [
    // Nominated in September: nothing due yet.
    (
        "HS-2026-01",
        "Hoàng Thị Lan",
        Sex::Female,
        (2003, 4, 12),
        Stage::Nominated,
        &[(2026, 9, 15)],
    ),
    (
        "HS-2026-02",
        "Lộc Văn Toàn",
        Sex::Male,
        (2000, 8, 3),
        Stage::ClassPassed,
        &[(2026, 5, 10), (2026, 6, 20)],
    ),
    (
        "HS-2026-03",
        "Triệu Thị Mai",
        Sex::Female,
        (1998, 1, 25),
        Stage::Applied,
        &[(2026, 3, 2), (2026, 4, 10), (2026, 5, 2)],
    ),
    (
        "HS-2026-04",
        "Nông Văn Hùng",
        Sex::Male,
        (1996, 11, 9),
        Stage::Vetted,
        &[(2026, 2, 2), (2026, 3, 12), (2026, 4, 1), (2026, 7, 20)],
    ),
    // The mass organization's resolution of 20/10/2025: the file is too old since 20/10/2026.
    (
        "HS-2026-05",
        "Ma Thị Hằng",
        Sex::Female,
        (2001, 6, 30),
        Stage::MassOrganization,
        &[
            (2025, 7, 7),
            (2025, 8, 4),
            (2025, 8, 25),
            (2025, 9, 22),
            (2025, 10, 20),
        ],
    ),
    // The resolution of 20/11/2025: the branch must vote by 20/11/2026.
    (
        "HS-2026-06",
        "Bế Văn Dũng",
        Sex::Male,
        (1995, 2, 14),
        Stage::MassOrganization,
        &[
            (2025, 7, 14),
            (2025, 8, 11),
            (2025, 9, 8),
            (2025, 10, 13),
            (2025, 11, 20),
        ],
    ),
    // The branch voted on 5 October: the decision is due in 60 working days.
    (
        "HS-2026-07",
        "Hà Thị Thu",
        Sex::Female,
        (1999, 9, 5),
        Stage::BranchResolution,
        &[
            (2026, 1, 5),
            (2026, 2, 10),
            (2026, 3, 2),
            (2026, 5, 4),
            (2026, 8, 3),
            (2026, 10, 5),
        ],
    ),
    // The branch voted on 20 July: the decision was due by 13 October, and is late.
    (
        "HS-2026-08",
        "Lục Văn Quân",
        Sex::Male,
        (1993, 12, 1),
        Stage::BranchResolution,
        &[
            (2025, 11, 3),
            (2025, 12, 10),
            (2026, 1, 12),
            (2026, 3, 2),
            (2026, 5, 18),
            (2026, 7, 20),
        ],
    ),
    // The branch voted on 20 August, the committee on 10 September: the decision is due soon.
    (
        "HS-2026-09",
        "Đàm Thị Nga",
        Sex::Female,
        (1997, 3, 18),
        Stage::CommitteeResolution,
        &[
            (2025, 12, 1),
            (2026, 1, 15),
            (2026, 2, 9),
            (2026, 4, 6),
            (2026, 6, 15),
            (2026, 8, 20),
            (2026, 9, 10),
        ],
    ),
    // Decided on 15 October: the ceremony is due within 30 working days.
    (
        "HS-2026-10",
        "Sầm Văn Khánh",
        Sex::Male,
        (2002, 7, 7),
        Stage::Decided,
        &[
            (2025, 11, 10),
            (2025, 12, 15),
            (2026, 1, 20),
            (2026, 3, 9),
            (2026, 6, 1),
            (2026, 8, 24),
            (2026, 9, 14),
            (2026, 10, 15),
        ],
    ),
    // Decided on 31 August: the ceremony was due by mid-October, and is late.
    (
        "HS-2026-11",
        "Hứa Thị Vân",
        Sex::Female,
        (1994, 5, 21),
        Stage::Decided,
        &[
            (2025, 9, 8),
            (2025, 10, 13),
            (2025, 11, 17),
            (2026, 1, 12),
            (2026, 4, 13),
            (2026, 7, 13),
            (2026, 8, 3),
            (2026, 8, 31),
        ],
    ),
    // Admitted at a ceremony on 10 March 2026: on probation until 10 March 2027.
    (
        "HS-2026-12",
        "Mông Văn Sơn",
        Sex::Male,
        (2000, 10, 10),
        Stage::Admitted,
        &[
            (2025, 7, 7),
            (2025, 8, 4),
            (2025, 8, 25),
            (2025, 9, 29),
            (2025, 11, 3),
            (2026, 1, 12),
            (2026, 1, 26),
            (2026, 2, 23),
            (2026, 3, 10),
        ],
    ),
    (
        "HS-2026-13",
        "Chu Thị Hoa",
        Sex::Female,
        (2004, 1, 3),
        Stage::Stopped,
        &[(2025, 9, 1), (2026, 2, 16)],
    ),
    (
        "HS-2026-14",
        "La Văn Bình",
        Sex::Male,
        (1991, 4, 27),
        Stage::Stopped,
        &[(2025, 7, 21), (2025, 9, 8), (2025, 12, 8)],
    ),
];

fn ymd((y, m, d): (i32, u32, u32)) -> NaiveDate {
    date(y, m, d)
}

fn step(stage: Stage, on: NaiveDate) -> StepInput {
    StepInput {
        stage: stage.code().into(),
        on: Some(on),
        ..StepInput::default()
    }
}

/// The input of the step reaching `stage` on `on` for a file of `code`: what each stage asks
/// for, the branch's vote counted against its full members on that day.
async fn step_input(
    access: &Access,
    code: &str,
    stage: Stage,
    on: NaiveDate,
    n: usize,
) -> Result<StepInput> {
    Ok(match stage {
        Stage::ClassPassed => StepInput {
            certificate: format!("{}/CN-TTCT", 100 + n),
            centre: "Trung tâm Chính trị huyện Pác Nặm".into(),
            ..step(stage, on)
        },
        Stage::BranchResolution => {
            let recorded = access
                .candidate(code, on)
                .await?
                .map_or(0, |f| f.branch_full_members);
            let entitled = u32::try_from(recorded.max(3)).unwrap_or(u32::MAX);
            StepInput {
                votes_for: Some(entitled),
                votes_against: Some(0),
                present: Some(entitled),
                entitled: Some(entitled),
                ..step(stage, on)
            }
        }
        Stage::CommitteeResolution => StepInput {
            votes_for: Some(8),
            votes_against: Some(0),
            present: Some(8),
            entitled: Some(9),
            ..step(stage, on)
        },
        Stage::Decided => StepInput {
            number: format!("{}-QĐ/ĐU", 300 + n),
            committee: "Đảng ủy xã".into(),
            ..step(stage, on)
        },
        Stage::Stopped => StepInput {
            reason: if n.is_multiple_of(2) {
                "moved_away"
            } else {
                "withdrawn"
            }
            .into(),
            note: "Theo báo cáo của chi bộ".into(),
            ..step(stage, on)
        },
        _ => step(stage, on),
    })
}

/// Walks a file from its nomination through `stages`, one step per date.
async fn walk(access: &Access, code: &str, stages: &[(Stage, NaiveDate, StepInput)]) -> Result<()> {
    let writer = access.admission_writer()?;
    for (stage, on, input) in stages {
        writer
            .record_step(code, input, demo_end())
            .await
            .map_err(|e| demo_error(code, *stage, *on, e))?;
    }
    Ok(())
}

/// A refusal while loading the demo is a defect of the generator: it says which file and step.
fn demo_error(code: &str, stage: Stage, on: NaiveDate, error: StoreError) -> StoreError {
    StoreError::invalid(
        "demo.invalid_data",
        format!(
            "dữ liệu mẫu lỗi: hồ sơ {code}, bước «{}» ngày {}: {error}",
            stage.label_vi(),
            on.format("%d/%m/%Y")
        ),
    )
}

/// The files of the members admitted in 2021 (from the events the demo imported: code, kind,
/// date, decision, …, to-unit), each walked to the decision that admitted them; returns how many.
pub async fn fill_completed(access: &Access, events: &Table) -> Result<usize> {
    let writer = access.admission_writer()?;
    let mut filed = 0;
    for (_, row) in &events.rows {
        let (Some(code), Some(kind), Some(on), Some(number), Some(branch)) =
            (row.first(), row.get(1), row.get(2), row.get(3), row.get(6))
        else {
            continue;
        };
        let Ok(decided) = NaiveDate::parse_from_str(on, "%d/%m/%Y") else {
            continue;
        };
        if kind != "Kết nạp" || decided.year() != 2021 || number.is_empty() {
            continue;
        }
        let Some(member) = access.member(code, decided).await? else {
            continue;
        };
        let record: MemberRecord = member.member.record;
        // The branch votes once the candidate is a full 18 years old, at most 25 days before
        // the decision; the earlier steps come at a usual pace before it.
        let adult = record
            .birth_date
            .checked_add_months(Months::new(18 * 12))
            .unwrap_or(decided);
        let branch_on = (decided - Days::new(25)).max(adult);
        let committee_on = branch_on + (decided - branch_on) / 2;
        let mass_on = branch_on - Days::new(30);
        let vetted_on = mass_on - Days::new(30);
        let applied_on = vetted_on - Days::new(40);
        let class_on = applied_on - Days::new(30);
        let nominated_on = class_on - Days::new(40);
        writer
            .add_candidate(
                &NewCandidate {
                    record: record.clone(),
                    unit: branch.clone(),
                    nominated_by: NOMINATORS[filed % NOMINATORS.len()].into(),
                    nominated_on: Some(nominated_on),
                },
                demo_end(),
            )
            .await
            .map_err(|e| demo_error(code, Stage::Nominated, nominated_on, e))?;
        let mut steps = Vec::new();
        for (stage, on) in [
            (Stage::ClassPassed, class_on),
            (Stage::Applied, applied_on),
            (Stage::Vetted, vetted_on),
            (Stage::MassOrganization, mass_on),
            (Stage::BranchResolution, branch_on),
            (Stage::CommitteeResolution, committee_on),
        ] {
            steps.push((stage, on, step_input(access, code, stage, on, filed).await?));
        }
        steps.push((
            Stage::Decided,
            decided,
            StepInput {
                number: number.clone(),
                committee: "Đảng ủy xã".into(),
                ..step(Stage::Decided, decided)
            },
        ));
        // The records recognize these members 12 months after the decision: their ceremony was
        // held the day the decision came.
        steps.push((Stage::Admitted, decided, step(Stage::Admitted, decided)));
        walk(access, code, &steps).await?;
        filed += 1;
    }
    Ok(filed)
}

/// The files open on the demo's last day, spread over the branches of the new communes; returns
/// how many.
pub async fn fill_open(access: &Access) -> Result<usize> {
    let writer = access.admission_writer()?;
    let branches: Vec<String> = access
        .tree(demo_end())
        .await?
        .into_iter()
        .filter(|e| e.unit.kind.holds_members())
        .map(|e| e.unit.code)
        .collect();
    if branches.is_empty() {
        return Ok(0);
    }
    for (n, (code, name, sex, birth, stage, dates)) in OPEN.iter().enumerate() {
        let Some((first, rest)) = dates.split_first() else {
            continue;
        };
        let branch = &branches[(n * 7) % branches.len()];
        let record = MemberRecord {
            code: (*code).into(),
            full_name: (*name).into(),
            sex: *sex,
            birth_date: ymd(*birth),
            ethnicity: if n.is_multiple_of(3) { "Kinh" } else { "Tày" }.into(),
            religion: "Không".into(),
            home_town: "Bắc Kạn".into(),
            residence: String::new(),
            national_id: String::new(),
            general_education: Some(if n.is_multiple_of(4) {
                GeneralEducation::LowerSecondary
            } else {
                GeneralEducation::UpperSecondary
            }),
            qualification: None,
            theory_level: None,
            occupation: if n.is_multiple_of(2) {
                "Nông dân"
            } else {
                "Giáo viên"
            }
            .into(),
            phone: String::new(),
            card_number: String::new(),
        };
        writer
            .add_candidate(
                &NewCandidate {
                    record,
                    unit: branch.clone(),
                    nominated_by: NOMINATORS[n % NOMINATORS.len()].into(),
                    nominated_on: Some(ymd(*first)),
                },
                demo_end(),
            )
            .await
            .map_err(|e| demo_error(code, Stage::Nominated, ymd(*first), e))?;
        // The stages after nomination, in order, as many as the file has dates; a stopped file
        // stops on its last date.
        let order = [
            Stage::ClassPassed,
            Stage::Applied,
            Stage::Vetted,
            Stage::MassOrganization,
            Stage::BranchResolution,
            Stage::CommitteeResolution,
            Stage::Decided,
            Stage::Admitted,
        ];
        let mut steps = Vec::new();
        for (i, on) in rest.iter().enumerate() {
            let last = i + 1 == rest.len();
            let wanted = if last && *stage == Stage::Stopped {
                Stage::Stopped
            } else {
                order[i]
            };
            let on = ymd(*on);
            steps.push((wanted, on, step_input(access, code, wanted, on, n).await?));
        }
        walk(access, code, &steps).await?;
    }
    Ok(OPEN.len())
}

/// Two awareness classes of the demo's last year: one whose trainees include files that have
/// their class step already, and one that passes the newest candidate on to the next step.
pub async fn fill_classes(access: &Access) -> Result<usize> {
    let writer = access.admission_writer()?;
    let classes = [
        (
            "Lớp bồi dưỡng nhận thức về Đảng khóa 1 năm 2026",
            (2026, 6, 15),
            (2026, 6, 20),
            vec![
                ("HS-2026-02", "", "passed", "108/CN-TTCT"),
                ("", "Lý Thị Thảo", "passed", "109/CN-TTCT"),
                ("", "Nông Văn Cường", "not_passed", ""),
            ],
        ),
        (
            "Lớp bồi dưỡng nhận thức về Đảng khóa 2 năm 2026",
            (2026, 10, 12),
            (2026, 10, 16),
            vec![
                ("HS-2026-01", "", "passed", "131/CN-TTCT"),
                ("", "Triệu Văn Phú", "passed", "132/CN-TTCT"),
            ],
        ),
    ];
    for (name, starts, ends, trainees) in &classes {
        let id = writer
            .add_class(&NewClass {
                unit: "X2025-01864".into(),
                name: (*name).into(),
                organizer: "Trung tâm Chính trị tỉnh Thái Nguyên".into(),
                starts_on: Some(ymd(*starts)),
                ends_on: Some(ymd(*ends)),
                place: "Hội trường Đảng ủy xã Bằng Thành".into(),
            })
            .await
            .map_err(|e| demo_error(name, Stage::ClassPassed, ymd(*ends), e))?;
        for (candidate, full_name, result, certificate) in trainees {
            writer
                .add_trainee(
                    id,
                    &NewTrainee {
                        candidate: (*candidate).into(),
                        full_name: (*full_name).into(),
                        birth_date: None,
                        result: (*result).into(),
                        certificate: (*certificate).into(),
                    },
                    demo_end(),
                )
                .await
                .map_err(|e| demo_error(name, Stage::ClassPassed, ymd(*ends), e))?;
        }
    }
    Ok(classes.len())
}
