//! Tests of the history rules, and a property test over generated histories that are mostly valid.

use chrono::{Duration, NaiveDate};

use super::*;
use crate::members::events::{EventFacts, EventKind, MembershipStatus, UnitFacts};
use crate::members::seniority::{next_badge, seniority_days, seniority_years};
use crate::tree::UnitKind;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn branch(id: i64) -> UnitFacts {
    UnitFacts {
        id,
        code: format!("CB{id}"),
        kind: UnitKind::Branch,
        start_date: d(1970, 1, 1),
        end_date: None,
    }
}

fn ev(kind: EventKind, date: NaiveDate) -> EventFacts {
    EventFacts {
        kind,
        date,
        ceremony_date: None,
        end_date: None,
        from_unit: None,
        to_unit: None,
    }
}

fn admit(date: NaiveDate, unit: i64) -> EventFacts {
    EventFacts {
        to_unit: Some(branch(unit)),
        ..ev(EventKind::Admission, date)
    }
}

#[test]
fn admission_then_full_membership_gives_two_spans() {
    let h = derive_history(&[
        admit(d(2015, 3, 2), 1),
        ev(EventKind::FullMembership, d(2016, 3, 2)),
    ])
    .unwrap();
    assert_eq!(h.spans.len(), 2);
    assert_eq!(h.spans[0].status, MembershipStatus::Probationary);
    assert_eq!(h.spans[0].to, Some(d(2016, 3, 2)));
    assert_eq!(h.spans[1].status, MembershipStatus::Full);
    assert_eq!(h.spans[1].to, None);
    assert_eq!(h.event_units, vec![Some(1), Some(1)]);
}

#[test]
fn full_membership_before_probation_ends_is_refused() {
    let mut admission = admit(d(2015, 3, 2), 1);
    admission.ceremony_date = Some(d(2015, 4, 1));
    let err =
        derive_history(&[admission, ev(EventKind::FullMembership, d(2016, 3, 2))]).unwrap_err();
    assert_eq!(err.index, 1);
    assert_eq!(err.code, "history.probation_not_over");
    assert!(err.message.contains("12 tháng"), "{}", err.message);
    assert!(err.message.contains("01/04/2016"), "{}", err.message);
}

#[test]
fn events_after_death_are_refused() {
    let err = derive_history(&[
        admit(d(2000, 1, 10), 1),
        ev(EventKind::Death, d(2020, 5, 1)),
        ev(EventKind::FullMembership, d(2021, 1, 1)),
    ])
    .unwrap_err();
    assert_eq!(err.index, 2);
    assert_eq!(err.code, "history.after_death");
}

#[test]
fn two_units_at_once_and_transfer_from_wrong_unit_are_refused() {
    let arrive = EventFacts {
        to_unit: Some(branch(2)),
        ..ev(EventKind::TransferIn, d(2019, 1, 1))
    };
    let err = derive_history(&[admit(d(2010, 1, 1), 1), arrive]).unwrap_err();
    assert_eq!(err.code, "history.two_units");

    let wrong = EventFacts {
        from_unit: Some(branch(3)),
        to_unit: Some(branch(2)),
        ..ev(EventKind::TransferOut, d(2019, 1, 1))
    };
    let err = derive_history(&[admit(d(2010, 1, 1), 1), wrong]).unwrap_err();
    assert!(err.message.contains("CB3"), "{}", err.message);
    assert!(err.message.contains("CB1"), "{}", err.message);
}

#[test]
fn transfer_moves_the_member_and_out_of_system_ends_spans() {
    let mv = EventFacts {
        from_unit: Some(branch(1)),
        to_unit: Some(branch(2)),
        ..ev(EventKind::TransferOut, d(2012, 6, 1))
    };
    let leave = ev(EventKind::TransferOut, d(2014, 6, 1));
    let h = derive_history(&[admit(d(2010, 1, 1), 1), mv, leave]).unwrap();
    let units: Vec<i64> = h.spans.iter().map(|s| s.unit_id).collect();
    assert_eq!(units, vec![1, 2]);
    assert_eq!(h.spans[1].to, Some(d(2014, 6, 1)));
    assert!(matches!(h.state, State::Outside { .. }));
}

#[test]
fn a_member_outside_cannot_leave_again_but_may_come_back_or_die() {
    let leave = ev(EventKind::TransferOut, d(2014, 6, 1));
    let again = ev(EventKind::TransferOut, d(2015, 6, 1));
    let err = derive_history(&[admit(d(2010, 1, 1), 1), leave.clone(), again]).unwrap_err();
    assert_eq!(err.code, "history.cannot_transfer");
    assert!(err.message.contains("ngoài hệ thống"), "{}", err.message);
    let back = EventFacts {
        to_unit: Some(branch(2)),
        ..ev(EventKind::TransferIn, d(2015, 6, 1))
    };
    assert!(derive_history(&[admit(d(2010, 1, 1), 1), leave.clone(), back]).is_ok());
    let died = ev(EventKind::Death, d(2016, 1, 1));
    assert!(derive_history(&[admit(d(2010, 1, 1), 1), leave, died]).is_ok());
}

#[test]
fn unit_that_does_not_exist_or_is_not_a_branch_is_refused() {
    let mut late = branch(5);
    late.start_date = d(2025, 7, 1);
    let err = derive_history(&[EventFacts {
        to_unit: Some(late),
        ..ev(EventKind::Admission, d(2015, 1, 1))
    }])
    .unwrap_err();
    assert_eq!(err.code, "history.unit_not_existing");
    let mut committee = branch(6);
    committee.kind = UnitKind::GrassrootsCommittee;
    let err = derive_history(&[EventFacts {
        to_unit: Some(committee),
        ..ev(EventKind::Admission, d(2015, 1, 1))
    }])
    .unwrap_err();
    assert_eq!(err.code, "history.not_a_branch");
}

#[test]
fn exemption_with_end_splits_spans() {
    let exempt = EventFacts {
        end_date: Some(d(2021, 1, 1)),
        ..ev(EventKind::Exemption, d(2020, 1, 1))
    };
    let h = derive_history(&[admit(d(2010, 1, 1), 1), exempt]).unwrap();
    let flags: Vec<(bool, NaiveDate)> = h.spans.iter().map(|s| (s.exempt, s.from)).collect();
    assert_eq!(
        flags,
        vec![
            (false, d(2010, 1, 1)),
            (true, d(2020, 1, 1)),
            (false, d(2021, 1, 1))
        ]
    );
}

#[test]
fn seniority_skips_time_outside_and_badges_follow() {
    let h = derive_history(&[
        admit(d(1990, 5, 19), 1),
        ev(EventKind::FullMembership, d(1991, 5, 19)),
        ev(EventKind::Removal, d(2000, 1, 1)),
        EventFacts {
            to_unit: Some(branch(1)),
            ..ev(EventKind::Readmission, d(2003, 1, 1))
        },
    ])
    .unwrap();
    // 3 years outside push the 30-year badge from 19/5/2020 back by 1,096 days.
    let (years, date) = next_badge(&h, d(2020, 1, 1)).unwrap();
    assert_eq!(years, 30);
    assert_eq!(date, d(2020, 5, 19) + Duration::days(1096));
    let days = seniority_days(&h, d(2010, 5, 19)).unwrap();
    assert_eq!(days, (d(2010, 5, 19) - d(1990, 5, 19)).num_days() - 1096);
    assert_eq!(seniority_years(&h, d(2020, 5, 19)), Some(27));
    assert_eq!(seniority_years(&h, d(2020, 5, 18)), Some(26));
}

#[test]
fn restoration_keeps_seniority_and_status() {
    let h = derive_history(&[
        admit(d(1980, 1, 1), 1),
        ev(EventKind::FullMembership, d(1981, 1, 1)),
        ev(EventKind::Expulsion, d(2000, 1, 1)),
        ev(EventKind::Restoration, d(2002, 1, 1)),
    ])
    .unwrap();
    assert!(h.gaps.is_empty());
    assert_eq!(h.spans.last().unwrap().status, MembershipStatus::Full);
    assert_eq!(next_badge(&h, d(2005, 1, 1)), Some((30, d(2010, 1, 1))));
}

#[test]
fn readmission_needs_someone_who_left() {
    let err = derive_history(&[
        admit(d(2000, 1, 1), 1),
        EventFacts {
            to_unit: Some(branch(1)),
            ..ev(EventKind::Readmission, d(2005, 1, 1))
        },
    ])
    .unwrap_err();
    assert_eq!(err.code, "history.readmission_needs_left");
}

/// A plausible life in the party, built event by event from a seed of choices: each next event is
/// one the member's standing allows, so most generated histories are valid; now and then a
/// deliberately random event tests the refusals.
fn plausible_history(choices: &[(u8, u16)]) -> Vec<EventFacts> {
    let mut events = vec![admit(d(2000, 1, 1), 1)];
    let mut date = d(2000, 1, 1);
    let mut unit = 1i64;
    let mut full = false;
    let mut left = false;
    let mut outside = false;
    for &(choice, gap) in choices {
        date += Duration::days(i64::from(gap) + 1);
        let event = match choice % 10 {
            // Now and then (1 in 32): any kind of event at all, which may well be impossible.
            _ if choice % 32 == 0 => EventFacts {
                to_unit: Some(branch(1 + i64::from(gap % 3))),
                ..ev(
                    EventKind::ALL[usize::from(gap) % EventKind::ALL.len()],
                    date,
                )
            },
            _ if left => {
                left = false;
                unit = 1 + i64::from(gap % 3);
                full = false;
                date += Duration::days(400);
                EventFacts {
                    to_unit: Some(branch(unit)),
                    ..ev(EventKind::Readmission, date)
                }
            }
            _ if outside => {
                outside = false;
                unit = 1 + i64::from(gap % 3);
                EventFacts {
                    to_unit: Some(branch(unit)),
                    ..ev(EventKind::TransferIn, date)
                }
            }
            _ if !full => {
                full = true;
                date = date.max(events[events.len() - 1].date + Duration::days(370));
                ev(EventKind::FullMembership, date)
            }
            1..=3 => {
                let to = 1 + (unit % 3);
                let event = EventFacts {
                    from_unit: Some(branch(unit)),
                    to_unit: Some(branch(to)),
                    ..ev(EventKind::TransferOut, date)
                };
                unit = to;
                event
            }
            4 => EventFacts {
                end_date: Some(date + Duration::days(200)),
                ..ev(EventKind::Exemption, date)
            },
            5 => ev(EventKind::Suspension, date),
            6 => {
                outside = true;
                EventFacts {
                    from_unit: Some(branch(unit)),
                    ..ev(EventKind::TransferOut, date)
                }
            }
            7 => {
                left = true;
                ev(EventKind::Removal, date)
            }
            _ => ev(EventKind::TemporaryTransferOut, date),
        };
        events.push(event);
    }
    events
}

#[test]
fn generated_histories_are_mostly_valid_and_keep_their_invariants() {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;

    let strategy = proptest::collection::vec((0u8..=255, 0u16..900), 1..14);
    let mut runner = TestRunner::deterministic();
    let (mut valid, cases) = (0, 1000);
    for _ in 0..cases {
        let choices = strategy.new_tree(&mut runner).expect("a case").current();
        let events = plausible_history(&choices);
        let Ok(history) = derive_history(&events) else {
            continue;
        };
        valid += 1;
        // Spans never overlap and only the last may stay open.
        for pair in history.spans.windows(2) {
            let end = pair[0].to.expect("only the last span may be open");
            assert!(end <= pair[1].from, "{events:?}");
            assert!(pair[0].from < end, "{events:?}");
        }
        // Every event is counted in a unit, or is outside the database.
        assert_eq!(history.event_units.len(), events.len());
        // Seniority never decreases and never exceeds the time since admission.
        let start = history.seniority_start.expect("admitted");
        let mut last = 0;
        for years in [1, 5, 10, 20, 30] {
            let on = start + Duration::days(365 * years);
            let days = seniority_days(&history, on).expect("after admission");
            assert!(
                days >= last && days <= (on - start).num_days(),
                "{events:?}"
            );
            last = days;
        }
        // The status only goes from probationary to full within one membership.
        let statuses: Vec<MembershipStatus> = history.spans.iter().map(|s| s.status).collect();
        assert_eq!(statuses.first(), Some(&MembershipStatus::Probationary));
    }
    assert!(
        valid * 100 >= cases * 80,
        "only {valid} of {cases} generated histories were valid"
    );
}

#[test]
fn arbitrary_event_lists_never_give_overlapping_spans() {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;

    let strategy = (
        proptest::collection::vec(0usize..14, 1..12),
        proptest::collection::vec(1i64..900, 12),
    );
    let mut runner = TestRunner::deterministic();
    for _ in 0..500 {
        let (kinds, gaps) = strategy.new_tree(&mut runner).expect("a case").current();
        let mut date = d(2000, 1, 1);
        let mut events = Vec::new();
        for (k, gap) in kinds.iter().zip(gaps) {
            date += Duration::days(gap);
            events.push(EventFacts {
                to_unit: Some(branch(1 + (gap % 3))),
                ..ev(EventKind::ALL[*k], date)
            });
        }
        if let Ok(h) = derive_history(&events) {
            for pair in h.spans.windows(2) {
                let end = pair[0].to.expect("only the last span may be open");
                assert!(end <= pair[1].from && pair[0].from < end);
            }
        }
    }
}
