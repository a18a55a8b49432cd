//! Political education's figures: the study sessions organized in a period, their attendances
//! (lượt: present members and the counts of units known only by counts), and the members who
//! attended at least one session.

use crate::figures::{Definition, Timing};

use super::StudyKind;

/// What an education count keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// Sessions organized in the subtree that start in the period.
    Sessions,
    /// Those of one kind.
    SessionsOf(StudyKind),
    /// Attendances of the subtree's participating units at sessions starting in the period.
    Attendances,
    /// Members of the subtree present at least once at a session starting in the period.
    MembersStudied,
    /// Of those, the members present at a session studying the work programme's document with
    /// this id (`study.document.{id}`).
    MembersStudiedDocument(i64),
}

/// Every count, in the order reports list them.
pub fn counts() -> Vec<(Definition, Counted)> {
    let flow = |key: String, label: String, c| (Definition::count(&key, &label, Timing::Flow), c);
    let mut list = vec![flow(
        "study.sessions".into(),
        "Số lớp, hội nghị học tập, quán triệt, bồi dưỡng".into(),
        Counted::Sessions,
    )];
    for &kind in StudyKind::ALL {
        list.push(flow(
            format!("study.sessions.{}", kind.code()),
            format!("Số lớp: {}", kind.label_vi().to_lowercase()),
            Counted::SessionsOf(kind),
        ));
    }
    list.push(flow(
        "study.attendances".into(),
        "Lượt cán bộ, đảng viên tham gia học tập".into(),
        Counted::Attendances,
    ));
    list.push(flow(
        "study.members".into(),
        "Đảng viên đã tham gia học tập ít nhất một lần".into(),
        Counted::MembersStudied,
    ));
    list
}

/// The share of members who studied.
pub fn ratios() -> Vec<Definition> {
    vec![Definition::ratio(
        "study.members.share",
        "Tỷ lệ đảng viên tham gia học tập",
        "study.members",
        "members.total",
    )]
}

/// A document's count: `study.document.{id}`, the members who studied the work programme's
/// document with that id in the period.
pub fn family(key: &str) -> Option<(Definition, Counted)> {
    let id: i64 = key.strip_prefix("study.document.")?.parse().ok()?;
    (id > 0).then(|| {
        (
            Definition::count(
                key,
                &format!(
                    "Đảng viên đã học tập, quán triệt văn bản (số {id} trong chương trình công tác)"
                ),
                Timing::Flow,
            ),
            Counted::MembersStudiedDocument(id),
        )
    })
}
