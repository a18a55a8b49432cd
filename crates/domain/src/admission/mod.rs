//! The admission pipeline (phát triển đảng viên, DOMAIN.md §1): a candidate moves from nomination to
//! the admission ceremony only through recorded, dated steps, in order, each checked against the
//! rules in force on its date; the deadlines between steps are counted in working days. Pure rules,
//! no I/O: the store keeps candidates and their steps, and the decision creates the member through
//! the member history.

pub mod figures;
pub mod rules;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::members::GeneralEducation;
use crate::members::rules::membership_rules;
use crate::text::format_date;

use self::rules::admission_rules;

vocabulary!(
    /// Who nominated a candidate: a mass organization, or the branch itself.
    NominatedBy {
        YouthUnion => "youth_union", "Đoàn TNCS Hồ Chí Minh", ["doan thanh nien", "doan tncs", "doan"];
        TradeUnion => "trade_union", "Công đoàn";
        WomenUnion => "women_union", "Hội Liên hiệp Phụ nữ", ["hoi phu nu"];
        FarmersUnion => "farmers_union", "Hội Nông dân";
        VeteransUnion => "veterans_union", "Hội Cựu chiến binh";
        FatherlandFront => "fatherland_front", "Mặt trận Tổ quốc", ["mat tran"];
        Branch => "branch", "Chi bộ";
    }
);

vocabulary!(
    /// Where a candidate stands: the last step recorded.
    Stage {
        Nominated => "nominated", "Được giới thiệu";
        ClassPassed => "class_passed", "Đã học lớp nhận thức về Đảng";
        Applied => "applied", "Đã có đơn và lý lịch";
        Vetted => "vetted", "Đã thẩm tra lý lịch";
        MassOrganization => "mass_organization", "Đoàn thể đã giới thiệu, có nhận xét";
        BranchResolution => "branch_resolution", "Chi bộ đã đề nghị kết nạp";
        CommitteeResolution => "committee_resolution", "Đảng ủy cơ sở đã đề nghị";
        Decided => "decided", "Đã có quyết định kết nạp";
        Admitted => "admitted", "Đã kết nạp";
        Stopped => "stopped", "Dừng xem xét";
    }
);

vocabulary!(
    /// Why a candidate's file stopped.
    StopReason {
        Withdrawn => "withdrawn", "Tự rút";
        NotPassed => "not_passed", "Không đạt";
        MovedAway => "moved_away", "Chuyển đi nơi khác";
    }
);

vocabulary!(
    /// A trainee's result in an awareness class (lớp bồi dưỡng nhận thức về Đảng).
    ClassResult {
        Enrolled => "enrolled", "Đang học";
        Passed => "passed", "Đạt", ["dat", "hoan thanh"];
        NotPassed => "not_passed", "Không đạt", ["khong dat"];
    }
);

impl Stage {
    /// How the step reaching this stage is named: the ceremony for the admitted stage, else the
    /// stage itself.
    pub fn step_label(self) -> &'static str {
        match self {
            Stage::Admitted => "Lễ kết nạp",
            other => other.label_vi(),
        }
    }
}

/// The stages in the order a file goes through them.
const ORDER: [Stage; 9] = [
    Stage::Nominated,
    Stage::ClassPassed,
    Stage::Applied,
    Stage::Vetted,
    Stage::MassOrganization,
    Stage::BranchResolution,
    Stage::CommitteeResolution,
    Stage::Decided,
    Stage::Admitted,
];

/// A vote: for, against, present and entitled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    pub votes_for: u32,
    pub votes_against: u32,
    pub present: u32,
    /// The full members of the branch (or the members of the committee).
    pub entitled: u32,
}

/// One recorded step of a candidate's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    Nominated {
        on: NaiveDate,
        by: NominatedBy,
    },
    ClassPassed {
        on: NaiveDate,
        certificate: String,
        centre: String,
    },
    Applied {
        on: NaiveDate,
    },
    Vetted {
        on: NaiveDate,
    },
    /// The mass organization's resolution introducing the candidate and the summary of opinions
    /// (4-KNĐ, 5-KNĐ); recorded again when a file older than the rules allow is renewed.
    MassOrganization {
        on: NaiveDate,
    },
    /// The branch's resolution (6-KNĐ); past the age limit only with the approving decision.
    BranchResolution {
        on: NaiveDate,
        vote: Vote,
        over_age_approval: String,
    },
    /// The grassroots committee's resolution (8-KNĐ).
    CommitteeResolution {
        on: NaiveDate,
        vote: Vote,
    },
    /// The admission decision (9-KNĐ).
    Decided {
        on: NaiveDate,
        number: String,
        committee: String,
    },
    Ceremony {
        on: NaiveDate,
    },
    Stop {
        on: NaiveDate,
        reason: StopReason,
        note: String,
    },
}

impl Step {
    pub fn date(&self) -> NaiveDate {
        match self {
            Step::Nominated { on, .. }
            | Step::ClassPassed { on, .. }
            | Step::Applied { on }
            | Step::Vetted { on }
            | Step::MassOrganization { on }
            | Step::BranchResolution { on, .. }
            | Step::CommitteeResolution { on, .. }
            | Step::Decided { on, .. }
            | Step::Ceremony { on }
            | Step::Stop { on, .. } => *on,
        }
    }

    /// The stage a file reaches with this step.
    pub fn stage(&self) -> Stage {
        match self {
            Step::Nominated { .. } => Stage::Nominated,
            Step::ClassPassed { .. } => Stage::ClassPassed,
            Step::Applied { .. } => Stage::Applied,
            Step::Vetted { .. } => Stage::Vetted,
            Step::MassOrganization { .. } => Stage::MassOrganization,
            Step::BranchResolution { .. } => Stage::BranchResolution,
            Step::CommitteeResolution { .. } => Stage::CommitteeResolution,
            Step::Decided { .. } => Stage::Decided,
            Step::Ceremony { .. } => Stage::Admitted,
            Step::Stop { .. } => Stage::Stopped,
        }
    }
}

/// Why a step is refused: the rule, the document and edition it comes from, and the dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepRefusal {
    /// A stable code for the rule ("admission.age").
    pub rule: &'static str,
    /// The document and edition the rule comes from ("24-QĐ/TW (hiệu lực từ 30/07/2021)"), or
    /// empty for the order of the steps.
    pub source: String,
    /// What is wrong, with the dates, in Vietnamese.
    pub message: String,
}

/// The stage a file is at after its steps (`None` before any).
pub fn stage(steps: &[Step]) -> Option<Stage> {
    steps.last().map(Step::stage)
}

/// The steps that may be recorded next on a file: the next stage in order (the mass organization's
/// resolution may also be renewed, for a file grown too old), or stopping it; none once admitted
/// or stopped.
pub fn next_stages(steps: &[Step]) -> Vec<Stage> {
    match stage(steps) {
        None => vec![Stage::Nominated],
        Some(Stage::Admitted | Stage::Stopped) => Vec::new(),
        Some(now) => {
            let position = ORDER.iter().position(|o| *o == now);
            let mut next: Vec<Stage> = position
                .and_then(|p| ORDER.get(p + 1))
                .copied()
                .into_iter()
                .collect();
            if now == Stage::MassOrganization {
                next.push(Stage::MassOrganization);
            }
            if now != Stage::Decided {
                next.push(Stage::Stopped);
            }
            next
        }
    }
}

/// Full months from `birth` to `on` (a person born on 31 March is a month older on 30 April).
pub fn age_in_months(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut months = (on.year() - birth.year()) * 12 + on.month() as i32 - birth.month() as i32;
    if on.day() < birth.day()
        && birth
            .checked_add_months(Months::new(months.max(0) as u32))
            .is_none_or(|d| d > on)
    {
        months -= 1;
    }
    months.max(0) as u32
}

/// Checks the next step of a candidate's file (born on `birth`) against the steps recorded: in
/// order, dated no earlier than the last, and within the rules in force on its date.
pub fn check_step(
    steps: &[Step],
    next: &Step,
    birth: NaiveDate,
    calendar: &mut Calendar,
) -> Result<(), StepRefusal> {
    let order = |message: String| StepRefusal {
        rule: "admission.order",
        source: String::new(),
        message,
    };
    let current = stage(steps);
    match (current, next.stage()) {
        (Some(Stage::Stopped), _) => {
            return Err(order("hồ sơ đã dừng xem xét: không ghi thêm bước".into()));
        }
        (Some(Stage::Admitted), _) => {
            return Err(order(
                "đã kết nạp: các bước sau (dự bị, chính thức) ghi trong hồ sơ đảng viên".into(),
            ));
        }
        (None, Stage::Nominated) => {}
        (None, _) => {
            return Err(order(
                "bước đầu tiên là giới thiệu người vào Đảng (quần chúng ưu tú)".into(),
            ));
        }
        // The decision made the member: from then on the file ends with the ceremony, and
        // what follows is the member's history (a removal, if it comes to that).
        (Some(Stage::Decided), Stage::Stopped) => {
            return Err(order(
                "đã có quyết định kết nạp: không dừng hồ sơ; tổ chức lễ kết nạp, hoặc ghi sự kiện của đảng viên".into(),
            ));
        }
        (Some(_), Stage::Stopped) => {}
        // A file older than the rules allow is renewed by the mass organization's resolution and
        // opinions again.
        (Some(Stage::MassOrganization), Stage::MassOrganization) => {}
        (Some(now), wanted) => {
            let position = |s: Stage| ORDER.iter().position(|o| *o == s);
            if position(wanted) != position(now).map(|p| p + 1) {
                let expected = position(now)
                    .and_then(|p| ORDER.get(p + 1))
                    .map_or("", |s| s.label_vi());
                return Err(order(format!(
                    "bước tiếp theo sau «{}» là «{expected}», không phải «{}»",
                    now.label_vi(),
                    wanted.label_vi()
                )));
            }
        }
    }
    if let Some(last) = steps.last()
        && next.date() < last.date()
    {
        return Err(order(format!(
            "ngày {} trước bước đã ghi ngày {}",
            format_date(next.date()),
            format_date(last.date())
        )));
    }
    let admission = admission_rules();
    let edition = admission.on(next.date());
    let rules = &edition.rules;
    let refuse = |rule: &'static str, message: String| StepRefusal {
        rule,
        source: edition.citation(),
        message,
    };
    let find = |wanted: Stage| steps.iter().rev().find(|s| s.stage() == wanted);
    match next {
        Step::BranchResolution {
            on,
            vote,
            over_age_approval,
        } => {
            check_vote(vote, rules.branch_vote).map_err(|m| refuse("admission.branch_vote", m))?;
            let months = age_in_months(birth, *on);
            if months < rules.min_age_months {
                return Err(refuse(
                    "admission.age",
                    format!(
                        "ngày chi bộ xét ({}) người vào Đảng mới {} tuổi {} tháng, chưa đủ {} tuổi",
                        format_date(*on),
                        months / 12,
                        months % 12,
                        rules.min_age_months / 12
                    ),
                ));
            }
            if months > rules.max_age_months && over_age_approval.trim().is_empty() {
                return Err(refuse(
                    "admission.age",
                    format!(
                        "ngày chi bộ xét ({}) người vào Đảng đã {} tuổi {} tháng, quá {} tuổi: cần quyết định đồng ý của Ban Thường vụ tỉnh ủy (ghi số quyết định)",
                        format_date(*on),
                        months / 12,
                        months % 12,
                        rules.max_age_months / 12
                    ),
                ));
            }
            if let Some(Step::ClassPassed { on: class, .. }) = find(Stage::ClassPassed) {
                let valid_to = class
                    .checked_add_months(Months::new(rules.certificate_validity_months))
                    .unwrap_or(NaiveDate::MAX);
                if *on > valid_to {
                    return Err(refuse(
                        "admission.certificate",
                        format!(
                            "giấy chứng nhận học lớp nhận thức về Đảng ngày {} hết giá trị ngày {}, trước ngày chi bộ xét ({})",
                            format_date(*class),
                            format_date(valid_to),
                            format_date(*on)
                        ),
                    ));
                }
            }
            if let Some(file) = find(Stage::MassOrganization) {
                let stale_after = file
                    .date()
                    .checked_add_months(Months::new(rules.file_validity_months))
                    .unwrap_or(NaiveDate::MAX);
                if *on > stale_after {
                    return Err(refuse(
                        "admission.file_age",
                        format!(
                            "hồ sơ (nghị quyết giới thiệu của đoàn thể ngày {}) quá {} tháng chưa được chi bộ xét: cần làm lại giấy giới thiệu, nghị quyết giới thiệu và tổng hợp nhận xét",
                            format_date(file.date()),
                            rules.file_validity_months
                        ),
                    ));
                }
            }
        }
        Step::CommitteeResolution { vote, .. } => {
            check_vote(vote, rules.committee_vote)
                .map_err(|m| refuse("admission.committee_vote", m))?;
        }
        Step::Decided { on, number, .. } => {
            if number.trim().is_empty() {
                return Err(refuse(
                    "admission.decision_number",
                    "cần số quyết định kết nạp".into(),
                ));
            }
            if let Some(branch) = find(Stage::BranchResolution) {
                let membership = membership_rules();
                let days = membership.on(*on).rules.admission_decision_working_days;
                let due = calendar.working_days_after(branch.date(), days);
                if *on > due {
                    return Err(StepRefusal {
                        rule: "admission.decision_deadline",
                        source: membership.on(*on).citation(),
                        message: format!(
                            "quyết định kết nạp ngày {} quá {days} ngày làm việc kể từ nghị quyết của chi bộ ngày {} (hạn {})",
                            format_date(*on),
                            format_date(branch.date()),
                            format_date(due)
                        ),
                    });
                }
            }
        }
        Step::Ceremony { on } => {
            if let Some(decision) = find(Stage::Decided) {
                let membership = membership_rules();
                let days = membership.on(*on).rules.ceremony_working_days;
                let due = calendar.working_days_after(decision.date(), days);
                if *on > due {
                    return Err(StepRefusal {
                        rule: "admission.ceremony_deadline",
                        source: membership.on(*on).citation(),
                        message: format!(
                            "lễ kết nạp ngày {} quá {days} ngày làm việc kể từ quyết định ngày {} (hạn {})",
                            format_date(*on),
                            format_date(decision.date()),
                            format_date(due)
                        ),
                    });
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// Whether a vote passes a threshold of the entitled (numerator, denominator): for ≥ 2/3 of the
/// full members, not merely of those present.
fn check_vote(vote: &Vote, (num, den): (u32, u32)) -> Result<(), String> {
    if vote.entitled == 0 || vote.present > vote.entitled {
        return Err(format!(
            "số có mặt ({}) phải không quá tổng số ({}), và tổng số phải lớn hơn 0",
            vote.present, vote.entitled
        ));
    }
    if u64::from(vote.votes_for) + u64::from(vote.votes_against) > u64::from(vote.present) {
        return Err(format!(
            "số tán thành ({}) và không tán thành ({}) vượt số có mặt ({})",
            vote.votes_for, vote.votes_against, vote.present
        ));
    }
    if u64::from(vote.votes_for) * u64::from(den) < u64::from(vote.entitled) * u64::from(num) {
        return Err(format!(
            "{} tán thành trên {} người: chưa đủ {num}/{den} tổng số",
            vote.votes_for, vote.entitled
        ));
    }
    Ok(())
}

/// A deadline of a file that is open: what is due, by when, and whether it has passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Due {
    /// `admission.decision_deadline`, `admission.ceremony_deadline`, `admission.file_age`,
    /// `admission.certificate`.
    pub rule: &'static str,
    /// In Vietnamese: "Quyết định kết nạp".
    pub what: &'static str,
    pub due_on: NaiveDate,
    pub overdue: bool,
}

/// The next deadline of an open file on `today`, if it has one: the decision after the branch's
/// resolution, the ceremony after the decision, the branch's vote before the file or the class
/// certificate grows too old. Stopped and admitted files have none.
pub fn next_due(steps: &[Step], today: NaiveDate, calendar: &mut Calendar) -> Option<Due> {
    let find = |wanted: Stage| steps.iter().rev().find(|s| s.stage() == wanted);
    let membership = membership_rules();
    let admission = admission_rules();
    let due = |rule, what, due_on: NaiveDate| Due {
        rule,
        what,
        due_on,
        overdue: today > due_on,
    };
    match stage(steps)? {
        Stage::Stopped | Stage::Admitted => None,
        Stage::Decided => {
            let decision = find(Stage::Decided)?.date();
            let days = membership.on(decision).rules.ceremony_working_days;
            Some(due(
                "admission.ceremony_deadline",
                "Lễ kết nạp",
                calendar.working_days_after(decision, days),
            ))
        }
        Stage::BranchResolution | Stage::CommitteeResolution => {
            let branch = find(Stage::BranchResolution)?.date();
            let days = membership.on(branch).rules.admission_decision_working_days;
            Some(due(
                "admission.decision_deadline",
                "Quyết định kết nạp",
                calendar.working_days_after(branch, days),
            ))
        }
        _ => {
            let rules = &admission.on(today).rules;
            let file = find(Stage::MassOrganization).and_then(|s| {
                s.date()
                    .checked_add_months(Months::new(rules.file_validity_months))
                    .map(|d| {
                        due(
                            "admission.file_age",
                            "Chi bộ xét trước khi hồ sơ quá hạn",
                            d,
                        )
                    })
            });
            let certificate = find(Stage::ClassPassed).and_then(|s| {
                s.date()
                    .checked_add_months(Months::new(rules.certificate_validity_months))
                    .map(|d| {
                        due(
                            "admission.certificate",
                            "Chi bộ xét trước khi giấy chứng nhận hết giá trị",
                            d,
                        )
                    })
            });
            [file, certificate]
                .into_iter()
                .flatten()
                .min_by_key(|d| d.due_on)
        }
    }
}

/// When a probationary member admitted at a ceremony on `ceremony` ends probation, and by when the
/// branch must vote on full membership (30 working days after); a member found fit is full from the
/// day probation ends, even if the recognition comes later (DOMAIN.md §1).
pub fn full_membership_due(ceremony: NaiveDate, calendar: &mut Calendar) -> (NaiveDate, NaiveDate) {
    let membership = membership_rules();
    let rules = &membership.on(ceremony).rules;
    let ends = ceremony
        .checked_add_months(Months::new(rules.probation_months))
        .unwrap_or(NaiveDate::MAX);
    let vote = calendar.working_days_after(ends, rules.full_membership_decision_working_days);
    (ends, vote)
}

/// Why a candidate's general education does not allow the branch's vote on `on`, if it does not:
/// lower secondary at least, primary in a hardship area (a unit attribute); unknown education
/// cannot be checked, so it is asked for.
pub fn education_problem(
    education: Option<GeneralEducation>,
    hardship_area: bool,
    on: NaiveDate,
) -> Option<StepRefusal> {
    let admission = admission_rules();
    let edition = admission.on(on);
    let needed = if hardship_area {
        edition.rules.hardship_min_education
    } else {
        edition.rules.min_education
    };
    let refuse = |message: String| StepRefusal {
        rule: "admission.education",
        source: edition.citation(),
        message,
    };
    match education {
        None => Some(refuse(
            "chưa ghi trình độ giáo dục phổ thông của người vào Đảng: ghi trong hồ sơ trước khi chi bộ xét".into(),
        )),
        Some(level) if level < needed => Some(refuse(format!(
            "trình độ giáo dục phổ thông {} chưa đạt {}{}",
            level.label_vi().to_lowercase(),
            needed.label_vi().to_lowercase(),
            if hardship_area {
                " (mức của vùng khó khăn)"
            } else {
                "; vùng khó khăn (thuộc tính của đơn vị) chỉ cần tiểu học"
            }
        ))),
        Some(_) => None,
    }
}

/// Why someone who left the Party on `left_on` may not be readmitted on `on`, if they may not:
/// not before the waiting months of the rules in force (36 under QĐ 294), and only once. Those
/// who asked to leave are never readmitted (QĐ 294); the other exclusions (serious disunity,
/// corruption, serious crimes) depend on facts the member's history does not record, and are the
/// committee's to judge.
pub fn readmission_problem(
    left_on: NaiveDate,
    asked_to_leave: bool,
    readmitted_before: bool,
    on: NaiveDate,
) -> Option<StepRefusal> {
    let admission = admission_rules();
    let edition = admission.on(on);
    let refuse = |message: String| StepRefusal {
        rule: "admission.readmission",
        source: edition.citation(),
        message,
    };
    if readmitted_before {
        return Some(refuse(
            "đã được kết nạp lại một lần: không kết nạp lại lần nữa".into(),
        ));
    }
    if asked_to_leave {
        return Some(refuse(
            "người đã xin ra khỏi Đảng không được xét kết nạp lại".into(),
        ));
    }
    let months = edition.rules.readmission_wait_months;
    let allowed = left_on
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX);
    (on < allowed).then(|| {
        refuse(format!(
            "ra khỏi Đảng ngày {}: chỉ xét kết nạp lại sau {months} tháng, từ ngày {}",
            format_date(left_on),
            format_date(allowed)
        ))
    })
}

#[cfg(test)]
mod tests;
