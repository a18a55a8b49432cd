//! The demo's cadre work and political study, through the cadres' and the study writers: the
//! committee posts of the district and its commune committees for the terms from 2015 and 2020
//! (re-elections, and secretaries rotated between communes in 2020), the new communes' posts
//! from the July 2025 reform; the branch secretaries of 2020, most of them also the head of their
//! village (a non-member heads the others' until some secretaries are elected in 2023); the
//! theory-level histories of the holders; and study sessions on the district's resolutions with
//! attendance counts, and the new communes' congress resolution with a member's sheet.

use chrono::NaiveDate;
use dangbo_domain::tree::UnitKind;
use dangbo_store::access::{
    Access, CountsInput, DocumentRef, FactInput, HoldingInput, MarkInput, MemberQuery, PersonInput,
    SessionInput,
};
use dangbo_store::{Result, StoreError};

use super::{Reform, reform_date};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// What the demo recorded.
#[derive(Default)]
pub struct Filled {
    pub holdings: usize,
    pub sessions: usize,
}

/// The codes of the members of a unit's subtree on a day, in the list's order (at most `n`).
async fn members_of(access: &Access, unit: &str, on: NaiveDate, n: usize) -> Result<Vec<String>> {
    let page = access
        .members(
            &MemberQuery {
                unit: Some(unit.to_string()),
                date: Some(on),
                status: Some("full".into()),
                limit: n,
                ..MemberQuery::default()
            },
            on,
        )
        .await?;
    Ok(page.rows.into_iter().map(|r| r.code).collect())
}

/// How many members a unit's subtree has on a day.
async fn count_of(access: &Access, unit: &str, on: NaiveDate) -> Result<i64> {
    let page = access
        .members(
            &MemberQuery {
                unit: Some(unit.to_string()),
                date: Some(on),
                limit: 1,
                count: true,
                ..MemberQuery::default()
            },
            on,
        )
        .await?;
    Ok(page.total.unwrap_or(0))
}

/// The units of a kind in a subtree on a day.
async fn units_of(
    access: &Access,
    root: &str,
    on: NaiveDate,
    kinds: &[UnitKind],
) -> Result<Vec<(String, String, Option<NaiveDate>)>> {
    Ok(access
        .subtree(root, on)
        .await?
        .unwrap_or_default()
        .into_iter()
        .filter(|e| kinds.contains(&e.unit.kind))
        .map(|e| (e.unit.code, e.unit.name, e.unit.end_date))
        .collect())
}

struct Post<'a> {
    unit: &'a str,
    post: &'a str,
    holder: &'a str,
    from: NaiveDate,
    to: Option<NaiveDate>,
    start: &'a str,
    end: &'a str,
    village: &'a str,
}

async fn hold(access: &Access, p: Post<'_>, filled: &mut Filled) -> Result<()> {
    access
        .cadre_writer()?
        .record(&HoldingInput {
            unit: p.unit.into(),
            post: p.post.into(),
            holder: p.holder.into(),
            village: p.village.into(),
            from: Some(p.from),
            to: p.to,
            start_move: p.start.into(),
            start_body: "Ban Thường vụ Huyện ủy Pác Nặm".into(),
            start_decision: format!("{}-QĐ/HU", 100 + filled.holdings % 400),
            start_decided_on: Some(p.from),
            end_move: p.end.into(),
            ..HoldingInput::default()
        })
        .await?;
    filled.holdings += 1;
    Ok(())
}

/// A holder's theory level: elementary long ago, intermediate for those in the committees.
async fn theory(access: &Access, member: &str, levels: &[(&str, NaiveDate)]) -> Result<()> {
    let writer = access.cadre_writer()?;
    for (level, on) in levels {
        match writer
            .record_fact(&FactInput {
                person: member.into(),
                kind: "theory".into(),
                level: (*level).into(),
                on: Some(*on),
                institution: if *level == "elementary" {
                    "Trung tâm Bồi dưỡng chính trị huyện Pác Nặm".into()
                } else {
                    "Trường Chính trị tỉnh Bắc Kạn".into()
                },
                diploma: format!("LLCT-{}-{member}", on.format("%Y")),
                ..FactInput::default()
            })
            .await
        {
            // The same member may hold several posts: their facts are recorded once.
            Ok(_) | Err(StoreError::Fields(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Fills the demo district's posts, training and study sessions (after the reform is applied).
pub async fn fill(access: &Access, reform: &Reform) -> Result<Filled> {
    let mut filled = Filled::default();
    let district = reform.district_code.as_str();
    let terms = [date(2015, 10, 1), date(2020, 10, 1)];
    let term_end = date(2020, 10, 1);
    let communes = units_of(access, district, terms[0], &[UnitKind::GrassrootsCommittee]).await?;
    // The district committee's secretary and deputy, each term.
    let leaders = members_of(access, district, terms[0], 2).await?;
    if let [secretary, deputy] = leaders.as_slice() {
        for (post, holder) in [("secretary", secretary), ("deputy_secretary", deputy)] {
            hold(
                access,
                Post {
                    unit: district,
                    post,
                    holder,
                    from: terms[0],
                    to: Some(reform_date()),
                    start: "election",
                    end: "",
                    village: "",
                },
                &mut filled,
            )
            .await?;
            theory(
                access,
                holder,
                &[
                    ("intermediate", date(2008, 6, 1)),
                    ("advanced", date(2017, 12, 20)),
                ],
            )
            .await?;
        }
    }
    // The commune committees: secretary (who also chairs the People's Council in every other
    // commune), deputy and the inspection commission's chair; re-elected in 2020 except where
    // the secretaries of neighbouring communes are rotated.
    let mut secretaries: Vec<(String, String)> = Vec::new();
    for (i, (code, _, end)) in communes.iter().enumerate() {
        let picked = members_of(access, code, terms[0], 3).await?;
        let [secretary, deputy, inspector] = picked.as_slice() else {
            continue;
        };
        let last = end.unwrap_or(reform_date());
        let rotated = i % 4 == 1;
        let first_to = if rotated { term_end } else { last };
        for (post, holder) in [
            ("secretary", secretary),
            ("deputy_secretary", deputy),
            ("commission_chair", inspector),
        ] {
            let to = if post == "secretary" { first_to } else { last };
            let end = if post == "secretary" && rotated {
                "rotation"
            } else {
                ""
            };
            hold(
                access,
                Post {
                    unit: code,
                    post,
                    holder,
                    from: terms[0],
                    to: Some(to),
                    start: "election",
                    end,
                    village: "",
                },
                &mut filled,
            )
            .await?;
        }
        // Every other commune's secretary chairs the People's Council; elsewhere the deputy.
        let (chair, chair_to) = if i % 2 == 0 {
            (secretary, first_to)
        } else {
            (deputy, last)
        };
        hold(
            access,
            Post {
                unit: code,
                post: "council_chair",
                holder: chair,
                from: date(2016, 6, 1),
                to: Some(chair_to),
                start: "election",
                end: "",
                village: "",
            },
            &mut filled,
        )
        .await?;
        // The secretary's level rose to intermediate; some in 2021, after the term began.
        let raised = if i % 3 == 0 {
            date(2021, 9, 15)
        } else {
            date(2017, 9, 15)
        };
        theory(
            access,
            secretary,
            &[("elementary", date(2010, 5, 20)), ("intermediate", raised)],
        )
        .await?;
        theory(access, deputy, &[("elementary", date(2012, 5, 20))]).await?;
        secretaries.push((code.clone(), secretary.clone()));
    }
    // 2020: the rotated communes take their neighbour's former secretary.
    for (i, (code, _, end)) in communes.iter().enumerate().filter(|(i, _)| i % 4 == 1) {
        let Some((_, from_neighbour)) = secretaries.get((i + 1) % secretaries.len().max(1)) else {
            continue;
        };
        let last = end.unwrap_or(reform_date());
        if hold(
            access,
            Post {
                unit: code,
                post: "secretary",
                holder: from_neighbour,
                from: term_end,
                to: Some(last),
                start: "rotation",
                end: "",
                village: "",
            },
            &mut filled,
        )
        .await
        .is_err()
        {
            // A neighbour still in office there: the deputy steps up instead.
            let picked = members_of(access, code, term_end, 2).await?;
            if let Some(holder) = picked.get(1) {
                hold(
                    access,
                    Post {
                        unit: code,
                        post: "secretary",
                        holder,
                        from: term_end,
                        to: Some(last),
                        start: "appointment",
                        end: "",
                        village: "",
                    },
                    &mut filled,
                )
                .await?;
            }
        }
    }
    // The branches of 2020: their secretaries; two in three also head their village; the other
    // villages have a non-member head until 2023, when their branch secretary is elected.
    let branches = units_of(access, district, date(2020, 10, 5), &[UnitKind::Branch]).await?;
    for (i, (code, name, end)) in branches.iter().enumerate().take(60) {
        let Some(secretary) = members_of(access, code, date(2020, 10, 5), 1).await?.pop() else {
            continue;
        };
        let village = name
            .trim_start_matches("Chi bộ ")
            .trim_start_matches("thôn ")
            .to_string();
        let to = end.map(|e| e.min(date(2025, 10, 1)));
        hold(
            access,
            Post {
                unit: code,
                post: "branch_secretary",
                holder: &secretary,
                from: date(2020, 10, 5),
                to,
                start: "election",
                end: "",
                village: "",
            },
            &mut filled,
        )
        .await?;
        if i % 3 != 2 {
            hold(
                access,
                Post {
                    unit: code,
                    post: "village_head",
                    holder: &secretary,
                    from: date(2020, 12, 1),
                    to,
                    start: "election",
                    end: "",
                    village: &village,
                },
                &mut filled,
            )
            .await?;
        } else {
            let person = format!("TT-{code}");
            access
                .cadre_writer()?
                .add_person(&PersonInput {
                    code: person.clone(),
                    full_name: format!("Trưởng thôn {village}"),
                    sex: "Nam".into(),
                    birth_date: Some(date(1975, 3, 1 + (i % 27) as u32)),
                    unit: code.clone(),
                    note: "Trưởng thôn, không phải đảng viên".into(),
                })
                .await?;
            hold(
                access,
                Post {
                    unit: code,
                    post: "village_head",
                    holder: &person,
                    from: date(2020, 12, 1),
                    to: Some(date(2023, 1, 1)),
                    start: "election",
                    end: "end_of_term",
                    village: &village,
                },
                &mut filled,
            )
            .await?;
            // From 2023 half of those villages elect their branch secretary; the others
            // re-elect their head.
            let head = if i % 2 == 0 { &secretary } else { &person };
            hold(
                access,
                Post {
                    unit: code,
                    post: "village_head",
                    holder: head,
                    from: date(2023, 1, 1),
                    to,
                    start: "election",
                    end: "",
                    village: &village,
                },
                &mut filled,
            )
            .await?;
        }
    }
    // The new communes from the reform: secretaries appointed by the province.
    for (code, _, _) in &reform.merges {
        let picked = members_of(access, code, reform_date(), 2).await?;
        for (post, holder) in ["secretary", "deputy_secretary"].iter().zip(&picked) {
            hold(
                access,
                Post {
                    unit: code,
                    post,
                    holder,
                    from: reform_date(),
                    to: None,
                    start: "appointment",
                    end: "",
                    village: "",
                },
                &mut filled,
            )
            .await?;
            theory(access, holder, &[("intermediate", date(2019, 7, 1))]).await?;
        }
    }
    study(access, reform, &communes, &mut filled).await?;
    Ok(filled)
}

/// The district's study of its resolutions (counts per commune), and each new commune's study of
/// its first congress resolution (a sheet for the first branch, counts for the rest).
async fn study(
    access: &Access,
    reform: &Reform,
    communes: &[(String, String, Option<NaiveDate>)],
    filled: &mut Filled,
) -> Result<()> {
    let district = reform.district_code.as_str();
    let writer = access.study_writer()?;
    let units: Vec<String> = communes.iter().map(|(code, _, _)| code.clone()).collect();
    for (code, kind, title, on, document) in [
        (
            "HT-2020-01",
            "resolution_study",
            "Học tập, quán triệt Nghị quyết Đại hội đại biểu Đảng bộ huyện lần thứ IV",
            date(2020, 11, 12),
            Some(("01-NQ/HU", "")),
        ),
        (
            "HT-2021-01",
            "resolution_study",
            "Quán triệt Nghị quyết về nhiệm vụ năm 2021",
            date(2021, 1, 20),
            Some(("03-NQ/HU", "")),
        ),
        (
            "CD-2021-01",
            "thematic_meeting",
            "Chuyên đề năm 2021: học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
            date(2021, 5, 19),
            None,
        ),
        (
            "HT-2021-02",
            "resolution_study",
            "Học tập, quán triệt Nghị quyết Đại hội XIII của Đảng",
            date(2021, 4, 8),
            Some((
                "NQ Đại hội XIII",
                "Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng",
            )),
        ),
    ] {
        writer
            .record(&SessionInput {
                code: code.into(),
                unit: district.into(),
                organizer_body: "Ban Tuyên giáo Huyện ủy".into(),
                kind: kind.into(),
                title: title.into(),
                from: Some(on),
                to: Some(on.succ_opt().unwrap_or(on)),
                place: "Hội trường Trung tâm Chính trị huyện".into(),
                online: code.starts_with("CD"),
                documents: document
                    .map(|(number, title)| DocumentRef {
                        number: number.into(),
                        title: title.into(),
                    })
                    .into_iter()
                    .collect(),
                units: units.clone(),
            })
            .await?;
        filled.sessions += 1;
        for (i, unit) in units.iter().enumerate() {
            let expected = count_of(access, unit, on).await?;
            // Nine in ten attend, a few more or less by commune.
            let attended = expected * (86 + (i as i64 * 7) % 12) / 100;
            writer
                .record_counts(
                    code,
                    &CountsInput {
                        unit: unit.clone(),
                        attended: Some(attended),
                        expected: Some(expected),
                        non_members: 3 + (i as i64 % 5),
                    },
                )
                .await?;
        }
    }
    for (n, (code, _, _)) in reform.merges.iter().enumerate() {
        let session = format!("HT-2025-{:02}", n + 1);
        let branches = units_of(access, code, date(2025, 10, 20), &[UnitKind::Branch]).await?;
        let Some((first, _, _)) = branches.first() else {
            continue;
        };
        writer
            .record(&SessionInput {
                code: session.clone(),
                unit: code.clone(),
                organizer_body: "Ban Xây dựng Đảng".into(),
                kind: "resolution_study".into(),
                title: "Quán triệt Nghị quyết Đại hội Đảng bộ xã lần thứ I, nhiệm kỳ 2025 - 2030"
                    .into(),
                from: Some(date(2025, 10, 20)),
                place: "Hội trường Đảng ủy xã".into(),
                documents: vec![DocumentRef {
                    number: "01-NQ/ĐU".into(),
                    title: "Nghị quyết Đại hội đại biểu Đảng bộ xã lần thứ I".into(),
                }],
                units: branches.iter().take(6).map(|(b, _, _)| b.clone()).collect(),
                ..SessionInput::default()
            })
            .await?;
        filled.sessions += 1;
        let members = members_of(access, first, date(2025, 10, 20), 40).await?;
        let rows: Vec<MarkInput> = members
            .iter()
            .enumerate()
            .map(|(i, m)| MarkInput {
                member: m.clone(),
                attendance: if i % 9 == 4 { "excused" } else { "present" }.into(),
                reason: if i % 9 == 4 {
                    "Đi làm ăn xa".into()
                } else {
                    String::new()
                },
            })
            .collect();
        writer.mark(&session, &rows, 2).await?;
        for (i, (branch, _, _)) in branches.iter().enumerate().skip(1).take(5) {
            let expected = count_of(access, branch, date(2025, 10, 20)).await?;
            writer
                .record_counts(
                    &session,
                    &CountsInput {
                        unit: branch.clone(),
                        attended: Some(expected - (i as i64 % 3).min(expected)),
                        expected: Some(expected),
                        non_members: 0,
                    },
                )
                .await?;
        }
    }
    Ok(())
}
