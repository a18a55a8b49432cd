use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn vote(votes_for: u32, entitled: u32) -> Vote {
    Vote {
        votes_for,
        votes_against: 0,
        present: votes_for,
        entitled,
    }
}

fn branch(on: NaiveDate) -> Step {
    Step::BranchResolution {
        on,
        vote: vote(9, 10),
        over_age_approval: String::new(),
    }
}

/// A file up to the mass organization's resolution, class in April 2023.
fn file_until_branch() -> Vec<Step> {
    vec![
        Step::Nominated {
            on: d(2023, 3, 1),
            by: NominatedBy::YouthUnion,
        },
        Step::ClassPassed {
            on: d(2023, 4, 10),
            certificate: "123/CN".into(),
            centre: "Trung tâm Chính trị huyện".into(),
        },
        Step::Applied { on: d(2023, 5, 2) },
        Step::Vetted { on: d(2023, 6, 1) },
        Step::MassOrganization { on: d(2023, 6, 15) },
    ]
}

fn birth() -> NaiveDate {
    d(1998, 5, 20)
}

/// Records each step after checking it.
fn walk(steps: &mut Vec<Step>, next: Step, calendar: &mut Calendar) -> Result<(), StepRefusal> {
    check_step(steps, &next, birth(), calendar)?;
    steps.push(next);
    Ok(())
}

#[test]
fn a_file_goes_from_nomination_to_the_ceremony_in_order() {
    let mut calendar = Calendar::new();
    let mut steps = Vec::new();
    for step in file_until_branch() {
        walk(&mut steps, step, &mut calendar).unwrap();
    }
    walk(&mut steps, branch(d(2023, 7, 3)), &mut calendar).unwrap();
    walk(
        &mut steps,
        Step::CommitteeResolution {
            on: d(2023, 7, 20),
            vote: vote(7, 9),
        },
        &mut calendar,
    )
    .unwrap();
    walk(
        &mut steps,
        Step::Decided {
            on: d(2023, 8, 10),
            number: "125-QĐ/HU".into(),
            committee: "Ban Thường vụ Huyện ủy".into(),
        },
        &mut calendar,
    )
    .unwrap();
    walk(
        &mut steps,
        Step::Ceremony { on: d(2023, 8, 25) },
        &mut calendar,
    )
    .unwrap();
    assert_eq!(stage(&steps), Some(Stage::Admitted));
    let after = check_step(
        &steps,
        &Step::Applied { on: d(2023, 9, 1) },
        birth(),
        &mut calendar,
    );
    assert_eq!(after.unwrap_err().rule, "admission.order");
}

#[test]
fn steps_come_in_order_and_date_order() {
    let mut calendar = Calendar::new();
    let first = check_step(
        &[],
        &Step::Applied { on: d(2023, 1, 1) },
        birth(),
        &mut calendar,
    );
    assert_eq!(first.unwrap_err().rule, "admission.order");
    let steps = file_until_branch();
    let skipping = check_step(
        &steps[..2],
        &Step::Vetted { on: d(2023, 6, 1) },
        birth(),
        &mut calendar,
    )
    .unwrap_err();
    assert!(
        skipping.message.contains("Đã có đơn và lý lịch"),
        "{skipping:?}"
    );
    let earlier = check_step(
        &steps[..2],
        &Step::Applied { on: d(2023, 4, 9) },
        birth(),
        &mut calendar,
    );
    assert_eq!(earlier.unwrap_err().rule, "admission.order");
    let mut stopped = steps.clone();
    stopped.push(Step::Stop {
        on: d(2023, 7, 1),
        reason: StopReason::MovedAway,
        note: "Chuyển vào Nam làm việc".into(),
    });
    assert_eq!(stage(&stopped), Some(Stage::Stopped));
    let after = check_step(&stopped, &branch(d(2023, 7, 3)), birth(), &mut calendar);
    assert_eq!(after.unwrap_err().rule, "admission.order");
}

#[test]
fn the_branch_votes_between_full_18_and_full_60_in_months() {
    let steps = file_until_branch();
    let at = |birth: NaiveDate, approval: &str| {
        let next = Step::BranchResolution {
            on: d(2023, 7, 3),
            vote: vote(9, 10),
            over_age_approval: approval.into(),
        };
        check_step(&steps, &next, birth, &mut Calendar::new())
    };
    // 18 years on the vote's day: old enough; a day later born: a month short.
    assert!(at(d(2005, 7, 3), "").is_ok());
    let young = at(d(2005, 7, 4), "").unwrap_err();
    assert_eq!(young.rule, "admission.age");
    assert!(young.message.contains("17 tuổi 11 tháng"), "{young:?}");
    assert!(young.source.contains("24-QĐ/TW"));
    // Full 60 is still in; 60 and a month needs the provincial standing committee's decision.
    assert!(at(d(1963, 7, 3), "").is_ok());
    assert_eq!(at(d(1963, 6, 3), "").unwrap_err().rule, "admission.age");
    assert!(at(d(1963, 6, 3), "Công văn 120-CV/TU").is_ok());
}

#[test]
fn the_branch_passes_with_two_thirds_of_its_full_members() {
    let steps = file_until_branch();
    let with = |v: Vote| {
        let next = Step::BranchResolution {
            on: d(2023, 7, 3),
            vote: v,
            over_age_approval: String::new(),
        };
        check_step(&steps, &next, birth(), &mut Calendar::new())
    };
    // 20 of 30 full members is 2/3; 19 is not, even if all present voted for.
    assert!(with(vote(20, 30)).is_ok());
    let short = with(Vote {
        votes_for: 19,
        votes_against: 0,
        present: 19,
        entitled: 30,
    })
    .unwrap_err();
    assert_eq!(short.rule, "admission.branch_vote");
    assert!(
        with(Vote {
            votes_for: 20,
            votes_against: 5,
            present: 22,
            entitled: 30
        })
        .is_err(),
        "more votes than people present"
    );
}

#[test]
fn a_certificate_and_a_file_grow_too_old_the_day_after_their_limit() {
    let mut steps = file_until_branch();
    // The class in April 2018: valid 60 months, through 10 April 2023.
    steps[1] = Step::ClassPassed {
        on: d(2018, 4, 10),
        certificate: "12/CN".into(),
        centre: "Trung tâm Chính trị huyện".into(),
    };
    for step in &mut steps[2..] {
        *step = match step {
            Step::Applied { .. } => Step::Applied { on: d(2022, 5, 2) },
            Step::Vetted { .. } => Step::Vetted { on: d(2022, 6, 1) },
            _ => Step::MassOrganization { on: d(2023, 1, 5) },
        };
    }
    let on = |day: NaiveDate| check_step(&steps, &branch(day), birth(), &mut Calendar::new());
    assert!(on(d(2023, 4, 10)).is_ok());
    assert_eq!(
        on(d(2023, 4, 11)).unwrap_err().rule,
        "admission.certificate"
    );
    // The mass organization's resolution of 5 January 2023: the branch votes by 5 January 2024.
    steps[1] = Step::ClassPassed {
        on: d(2022, 4, 10),
        certificate: "12/CN".into(),
        centre: "Trung tâm Chính trị huyện".into(),
    };
    let on = |steps: &[Step], day: NaiveDate| {
        check_step(steps, &branch(day), birth(), &mut Calendar::new())
    };
    assert!(on(&steps, d(2024, 1, 5)).is_ok());
    assert_eq!(
        on(&steps, d(2024, 1, 8)).unwrap_err().rule,
        "admission.file_age"
    );
    // Renewed: a new resolution and opinions, and the vote may follow.
    let renewal = Step::MassOrganization { on: d(2024, 1, 6) };
    assert!(check_step(&steps, &renewal, birth(), &mut Calendar::new()).is_ok());
    steps.push(renewal);
    assert!(on(&steps, d(2024, 1, 8)).is_ok());
}

#[test]
fn the_decision_and_the_ceremony_are_due_in_working_days_across_tet() {
    let mut calendar = Calendar::new();
    let mut steps = file_until_branch();
    for step in &mut steps {
        *step = match step.clone() {
            Step::Nominated { by, .. } => Step::Nominated {
                on: d(2023, 9, 1),
                by,
            },
            Step::ClassPassed {
                certificate,
                centre,
                ..
            } => Step::ClassPassed {
                on: d(2023, 10, 2),
                certificate,
                centre,
            },
            Step::Applied { .. } => Step::Applied {
                on: d(2023, 10, 20),
            },
            Step::Vetted { .. } => Step::Vetted {
                on: d(2023, 11, 20),
            },
            other => Step::MassOrganization {
                on: other.date().max(d(2023, 12, 1)),
            },
        };
    }
    let resolution = d(2024, 1, 2);
    steps.push(branch(resolution));
    steps.push(Step::CommitteeResolution {
        on: d(2024, 1, 10),
        vote: vote(7, 9),
    });
    // 60 working days from 2 January 2024 run past Tết (8–14 February): more than 12 weeks.
    let due = calendar.working_days_after(resolution, 60);
    assert_eq!(calendar.working_days_between(resolution, due), 60);
    assert!(calendar.is_working_day(due));
    assert!((due - resolution).num_days() > 84, "Tết adds days: {due}");
    let decision = |on: NaiveDate| Step::Decided {
        on,
        number: "40-QĐ/HU".into(),
        committee: "Ban Thường vụ Huyện ủy".into(),
    };
    let due_now = next_due(&steps, due, &mut calendar).unwrap();
    assert_eq!((due_now.due_on, due_now.overdue), (due, false));
    assert!(
        next_due(&steps, due + chrono::Duration::days(1), &mut calendar)
            .unwrap()
            .overdue
    );
    assert!(check_step(&steps, &decision(due), birth(), &mut calendar).is_ok());
    let late = check_step(
        &steps,
        &decision(due + chrono::Duration::days(1)),
        birth(),
        &mut calendar,
    )
    .unwrap_err();
    assert_eq!(late.rule, "admission.decision_deadline");
    assert!(late.source.contains("QĐ/TW"));
    // The ceremony within 30 working days of a decision of 5 February 2024, across Tết.
    steps.push(decision(d(2024, 2, 5)));
    let ceremony_due = calendar.working_days_after(d(2024, 2, 5), 30);
    assert_eq!(
        calendar.working_days_between(d(2024, 2, 5), ceremony_due),
        30
    );
    assert!((ceremony_due - d(2024, 2, 5)).num_days() > 42);
    assert!(
        check_step(
            &steps,
            &Step::Ceremony { on: ceremony_due },
            birth(),
            &mut calendar
        )
        .is_ok()
    );
    let late = check_step(
        &steps,
        &Step::Ceremony {
            on: ceremony_due + chrono::Duration::days(1),
        },
        birth(),
        &mut calendar,
    )
    .unwrap_err();
    assert_eq!(late.rule, "admission.ceremony_deadline");
}

#[test]
fn age_counts_full_months() {
    assert_eq!(age_in_months(d(2000, 3, 31), d(2018, 3, 30)), 215);
    assert_eq!(age_in_months(d(2000, 3, 31), d(2018, 3, 31)), 216);
    assert_eq!(age_in_months(d(2000, 1, 31), d(2018, 2, 28)), 217);
    assert_eq!(age_in_months(d(2000, 5, 20), d(2000, 1, 1)), 0);
}

#[test]
fn probation_ends_after_12_months_and_the_vote_is_due_30_working_days_later() {
    let mut calendar = Calendar::new();
    // A ceremony on 20 January 2023: probation ends on 20 January 2024; the branch votes within
    // 30 working days, past Tết 2024 (8–14 February).
    let (ends, vote) = full_membership_due(d(2023, 1, 20), &mut calendar);
    assert_eq!(ends, d(2024, 1, 20));
    assert_eq!(calendar.working_days_between(ends, vote), 30);
    assert!(calendar.is_working_day(vote));
    assert!((vote - ends).num_days() > 42, "Tết adds days: {vote}");
}

#[test]
fn readmission_waits_36_months_and_happens_once() {
    let left = d(2020, 3, 15);
    assert!(readmission_problem(left, false, false, d(2023, 3, 15)).is_none());
    let early = readmission_problem(left, false, false, d(2023, 3, 14)).unwrap();
    assert_eq!(early.rule, "admission.readmission");
    assert!(early.message.contains("15/03/2023"), "{early:?}");
    assert!(readmission_problem(left, false, true, d(2025, 1, 1)).is_some());
    assert!(readmission_problem(left, true, false, d(2025, 1, 1)).is_some());
}

#[test]
fn the_next_steps_follow_the_order_and_a_file_may_stop_until_admitted() {
    assert_eq!(next_stages(&[]), vec![Stage::Nominated]);
    let nominated = [Step::Nominated {
        on: d(2021, 1, 4),
        by: NominatedBy::YouthUnion,
    }];
    assert_eq!(
        next_stages(&nominated),
        vec![Stage::ClassPassed, Stage::Stopped]
    );
    let renewed = [
        nominated[0].clone(),
        Step::MassOrganization { on: d(2021, 2, 1) },
    ];
    assert_eq!(
        next_stages(&renewed),
        vec![
            Stage::BranchResolution,
            Stage::MassOrganization,
            Stage::Stopped
        ]
    );
    let admitted = [nominated[0].clone(), Step::Ceremony { on: d(2021, 9, 1) }];
    assert!(next_stages(&admitted).is_empty());
}

#[test]
fn a_vote_too_large_to_add_up_is_refused_not_wrapped() {
    let vote = Vote {
        votes_for: u32::MAX,
        votes_against: 1,
        present: 3,
        entitled: 3,
    };
    assert!(check_vote(&vote, (2, 3)).is_err());
}

#[test]
fn a_decided_file_is_not_stopped() {
    let mut steps = file_until_branch();
    steps.push(branch(d(2023, 7, 3)));
    steps.push(Step::CommitteeResolution {
        on: d(2023, 7, 20),
        vote: vote(7, 9),
    });
    steps.push(Step::Decided {
        on: d(2023, 8, 1),
        number: "45-QĐ/ĐU".into(),
        committee: "Đảng ủy xã".into(),
    });
    let stop = Step::Stop {
        on: d(2023, 8, 5),
        reason: StopReason::Withdrawn,
        note: String::new(),
    };
    let refused = check_step(&steps, &stop, birth(), &mut Calendar::new()).unwrap_err();
    assert_eq!(refused.rule, "admission.order");
    assert_eq!(next_stages(&steps), vec![Stage::Admitted]);
}

#[test]
fn lower_secondary_is_needed_primary_in_a_hardship_area() {
    use crate::members::GeneralEducation as E;
    let on = d(2023, 7, 3);
    assert!(education_problem(Some(E::LowerSecondary), false, on).is_none());
    let refused = education_problem(Some(E::Primary), false, on).unwrap();
    assert_eq!(refused.rule, "admission.education");
    assert!(refused.source.contains("24-QĐ/TW"));
    assert!(education_problem(Some(E::Primary), true, on).is_none());
    assert!(education_problem(None, true, on).is_some());
}
