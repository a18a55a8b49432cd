//! Cadre work's figures: holders of each post on a date, the moves of a period by kind, the
//! concurrency shares (branch secretaries who are also village heads; committee secretaries who
//! also chair the People's Council), the share of each group's holders meeting its
//! political-theory standard on the date, and the people trained in a period by level. People are
//! counted, not holdings: someone holding two posts of a group counts once in the group.

use crate::education::TrainingKind;
use crate::figures::{Definition, Timing};

use super::{Move, Post, PostGroup};

/// What a cadres count keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// People holding a post on the date.
    Holders(Post),
    /// People holding a group's post on the date, when the group has a theory standard then.
    GroupHolders(PostGroup),
    /// Of those, the people whose theory level on the date meets the group's standard.
    MeetingTheory(PostGroup),
    /// Of those, the people whose theory level on the date is below it (or not known).
    BelowTheory(PostGroup),
    /// People brought into a post in the period (appointed, elected, rotated, reassigned,
    /// seconded).
    Moves,
    /// People whose holding started (or, for the ending kinds, ended) in the period by one kind.
    MovesOf(Move),
    /// Branches whose secretary on the date is also a village head of theirs then.
    BranchSecretariesVillageHeads,
    /// Branches with a village head on the date (until villages are recorded, the branches tied
    /// to a village).
    BranchesWithVillageHead,
    /// Committees whose secretary on the date also chairs the People's Council then.
    SecretariesCouncilChairs,
    /// Committees with a People's Council chair on the date.
    UnitsWithCouncilChair,
    /// Members who reached a level of a kind in the period.
    Trained(TrainingKind, &'static str),
}

/// Every count, in the order reports list them.
pub fn counts() -> Vec<(Definition, Counted)> {
    let stock = |key: String, label: String, c| (Definition::count(&key, &label, Timing::Stock), c);
    let flow = |key: String, label: String, c| (Definition::count(&key, &label, Timing::Flow), c);
    let mut list = Vec::new();
    for &post in Post::ALL {
        list.push(stock(
            format!("positions.holders.{}", post.code()),
            format!("Số người giữ chức {}", post.label_vi()),
            Counted::Holders(post),
        ));
    }
    list.push(stock(
        "positions.branch_secretaries_village_heads".into(),
        "Chi bộ có bí thư kiêm trưởng thôn, tổ trưởng tổ dân phố".into(),
        Counted::BranchSecretariesVillageHeads,
    ));
    list.push(stock(
        "positions.branches_with_village_head".into(),
        "Chi bộ gắn với thôn, tổ dân phố có trưởng thôn".into(),
        Counted::BranchesWithVillageHead,
    ));
    list.push(stock(
        "positions.secretaries_council_chairs".into(),
        "Cấp ủy có bí thư kiêm Chủ tịch HĐND".into(),
        Counted::SecretariesCouncilChairs,
    ));
    list.push(stock(
        "positions.units_with_council_chair".into(),
        "Cấp ủy có Chủ tịch HĐND cùng cấp".into(),
        Counted::UnitsWithCouncilChair,
    ));
    for &group in PostGroup::ALL {
        list.push(stock(
            format!("positions.group.{}", group.code()),
            format!("{} đang giữ chức (nhóm có chuẩn)", group.label_vi()),
            Counted::GroupHolders(group),
        ));
        list.push(stock(
            format!("positions.meeting_theory_standard.{}", group.code()),
            format!("{} đạt chuẩn lý luận chính trị", group.label_vi()),
            Counted::MeetingTheory(group),
        ));
        list.push(stock(
            format!("positions.below_theory_standard.{}", group.code()),
            format!("{} chưa đạt chuẩn lý luận chính trị", group.label_vi()),
            Counted::BelowTheory(group),
        ));
    }
    list.push(flow(
        "cadres.moves".into(),
        "Cán bộ được bổ nhiệm, bầu, luân chuyển, điều động, biệt phái".into(),
        Counted::Moves,
    ));
    for &kind in Move::ALL {
        list.push(flow(
            format!("cadres.moves.{}", kind.code()),
            format!("Cán bộ: {}", kind.label_vi().to_lowercase()),
            Counted::MovesOf(kind),
        ));
    }
    for &kind in TrainingKind::ALL {
        for level in kind.levels() {
            let label = kind.level_label_vi(level).unwrap_or(level);
            list.push(flow(
                format!("training.{}.{level}", kind.code()),
                format!(
                    "Đảng viên đạt trình độ {}: {label}",
                    kind.label_vi().to_lowercase()
                ),
                Counted::Trained(kind, level),
            ));
        }
    }
    list
}

/// The concurrency shares and the standard's shares by group.
pub fn ratios() -> Vec<Definition> {
    let mut list = vec![
        Definition::ratio(
            "positions.concurrent.branch_secretary_village_head",
            "Tỷ lệ bí thư chi bộ kiêm trưởng thôn, tổ trưởng tổ dân phố",
            "positions.branch_secretaries_village_heads",
            "positions.branches_with_village_head",
        ),
        Definition::ratio(
            "positions.concurrent.secretary_council_chair",
            "Tỷ lệ bí thư cấp ủy kiêm Chủ tịch HĐND",
            "positions.secretaries_council_chairs",
            "positions.units_with_council_chair",
        ),
    ];
    for &group in PostGroup::ALL {
        list.push(Definition::ratio(
            &format!("positions.theory_standard.{}", group.code()),
            &format!(
                "Tỷ lệ {} đạt chuẩn lý luận chính trị",
                group.label_vi().to_lowercase()
            ),
            &format!("positions.meeting_theory_standard.{}", group.code()),
            &format!("positions.group.{}", group.code()),
        ));
    }
    list
}
