//! Cadre work (công tác cán bộ; DOMAIN.md §5): the posts a person holds in a unit over time, the
//! decisions that start and end a holding (appointment, election, rotation, reassignment,
//! secondment, dismissal, resignation, end of term), concurrent posts, and the standards of each
//! group of posts as dated editions ([`standards`]). Pure rules, no I/O: the cadres capability
//! keeps the holdings and calls these.

pub mod figures;
pub mod standards;

use chrono::NaiveDate;

vocabulary!(
    /// A post (chức danh) in a unit, or in the village, council or body linked to it.
    Post {
        Secretary => "secretary", "Bí thư cấp ủy", ["bi thu dang uy", "bi thu"];
        DeputySecretary => "deputy_secretary", "Phó Bí thư cấp ủy", ["pho bi thu"];
        StandingMember => "standing_member", "Ủy viên Ban Thường vụ", ["uy vien btv"];
        CommitteeMember => "committee_member", "Cấp ủy viên", ["uy vien ban chap hanh"];
        BranchSecretary => "branch_secretary", "Bí thư chi bộ", ["bi thu chi bo"];
        BranchDeputySecretary => "branch_deputy_secretary", "Phó Bí thư chi bộ", ["pho bi thu chi bo"];
        CommissionChair => "commission_chair", "Chủ nhiệm Ủy ban Kiểm tra", ["chu nhiem ubkt"];
        CommissionMember => "commission_member", "Ủy viên Ủy ban Kiểm tra", ["uy vien ubkt"];
        CouncilChair => "council_chair", "Chủ tịch HĐND", ["chu tich hdnd"];
        CouncilViceChair => "council_vice_chair", "Phó Chủ tịch HĐND", ["pho chu tich hdnd"];
        PeopleCommitteeChair => "people_committee_chair", "Chủ tịch UBND", ["chu tich ubnd"];
        PeopleCommitteeViceChair => "people_committee_vice_chair", "Phó Chủ tịch UBND", ["pho chu tich ubnd"];
        VillageHead => "village_head", "Trưởng thôn, tổ trưởng tổ dân phố", ["truong thon", "to truong to dan pho", "truong ban"];
        MassOrganizationHead => "mass_organization_head", "Người đứng đầu Mặt trận, đoàn thể", ["chu tich mat tran", "bi thu doan"];
        CivilServant => "civil_servant", "Công chức cấp xã", ["cong chuc"];
    }
);

vocabulary!(
    /// The groups of posts whose standards and compliance are counted together.
    PostGroup {
        PartyCommittee => "party_committee", "Cán bộ cấp ủy";
        Branch => "branch", "Cấp ủy chi bộ";
        Government => "government", "Cán bộ chính quyền";
        Village => "village", "Trưởng thôn, tổ dân phố";
        MassOrganization => "mass_organization", "Cán bộ Mặt trận, đoàn thể";
        CivilServant => "civil_servant", "Công chức cấp xã";
    }
);

impl Post {
    pub fn group(self) -> PostGroup {
        use Post as P;
        match self {
            P::Secretary
            | P::DeputySecretary
            | P::StandingMember
            | P::CommitteeMember
            | P::CommissionChair
            | P::CommissionMember => PostGroup::PartyCommittee,
            P::BranchSecretary | P::BranchDeputySecretary => PostGroup::Branch,
            P::CouncilChair
            | P::CouncilViceChair
            | P::PeopleCommitteeChair
            | P::PeopleCommitteeViceChair => PostGroup::Government,
            P::VillageHead => PostGroup::Village,
            P::MassOrganizationHead => PostGroup::MassOrganization,
            P::CivilServant => PostGroup::CivilServant,
        }
    }

    /// Whether the post is a party post (held by members only).
    pub fn is_party_post(self) -> bool {
        matches!(self.group(), PostGroup::PartyCommittee | PostGroup::Branch)
    }
}

vocabulary!(
    /// What starts or ends a holding (QĐ 377's decisions on cadres).
    Move {
        Appointment => "appointment", "Bổ nhiệm", ["bo nhiem"];
        Election => "election", "Bầu cử", ["bau", "bau cu"];
        Rotation => "rotation", "Luân chuyển", ["luan chuyen"];
        Reassignment => "reassignment", "Điều động", ["dieu dong"];
        Secondment => "secondment", "Biệt phái", ["biet phai"];
        Dismissal => "dismissal", "Miễn nhiệm, cách chức", ["mien nhiem", "cach chuc"];
        Resignation => "resignation", "Từ chức", ["tu chuc", "xin thoi"];
        EndOfTerm => "end_of_term", "Hết nhiệm kỳ", ["het nhiem ky"];
    }
);

impl Move {
    /// Whether the decision starts a holding (the others end one).
    pub fn starts(self) -> bool {
        matches!(
            self,
            Move::Appointment
                | Move::Election
                | Move::Rotation
                | Move::Reassignment
                | Move::Secondment
        )
    }
}

/// A person in a post from a day (inclusive) to a day (exclusive; open while held).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holding {
    pub post: Post,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl Holding {
    pub fn held_on(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|to| to > day)
    }
}

/// Whether one person holds posts `a` and `b` together on a day ("bí thư chi bộ kiêm trưởng
/// thôn"): two holdings of theirs, one of each post, both held that day.
pub fn concurrent(holdings: &[Holding], a: Post, b: Post, day: NaiveDate) -> bool {
    let holds = |post: Post| holdings.iter().any(|h| h.post == post && h.held_on(day));
    a != b && holds(a) && holds(b)
}

/// Why a holding cannot be recorded: dates out of order, or a start by a decision that ends.
pub fn check_holding(holding: &Holding, started_by: Move) -> Result<(), String> {
    if !started_by.starts() {
        return Err(format!(
            "«{}» kết thúc một chức vụ, không bắt đầu: cần {}",
            started_by.label_vi(),
            Move::ALL
                .iter()
                .filter(|m| m.starts())
                .map(|m| m.label_vi())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if holding.to.is_some_and(|to| to <= holding.from) {
        return Err("ngày thôi giữ chức vụ phải sau ngày bắt đầu".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests;
