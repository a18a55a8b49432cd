//! Roles and what each may do. A user or API token has one role and one scope (a unit's subtree).

vocabulary! {
    /// The boards of a party committee, as DESIGN.md §6 lists them.
    Role {
        Administrator => "administrator", "Quản trị hệ thống", ["admin", "quan tri"];
        Organization => "organization", "Cán bộ Ban Tổ chức", ["to chuc"];
        Inspection => "inspection", "Cán bộ Ủy ban Kiểm tra", ["kiem tra"];
        Standing => "standing", "Thường trực cấp ủy", ["thuong truc", "ban thuong vu"];
        Propaganda => "propaganda", "Cán bộ Ban Tuyên giáo", ["tuyen giao"];
        Mobilization => "mobilization", "Cán bộ Ban Dân vận", ["dan van"];
        Office => "office", "Cán bộ Văn phòng", ["van phong"];
        BranchSecretary => "branch_secretary", "Bí thư chi bộ", ["bi thu"];
        Viewer => "viewer", "Chỉ xem", ["xem"];
    }
}

/// Something a role may or may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Capability {
    /// See units, members, figures and drill-downs in scope.
    ReadRecords,
    /// Edit members' records and record their events.
    EditMembers,
    /// Import files of units, members and events.
    Import,
    /// Merge, split, rename and dissolve units.
    Restructure,
    /// Add, disable and reset users; create API tokens.
    ManageUsers,
    /// Browse the audit log.
    ReadAudit,
    /// Enter reported figures (numbers Dangbo does not record, with their source).
    ReportValues,
    /// File directing documents, set their targets and report values for them.
    WriteProgrammes,
    /// Keep the files of people being prepared for admission and record their steps.
    Admit,
    /// Decide the year's (or quarter's) ratings of members and organizations.
    Rate,
    /// Enter a branch's self ratings and proposals before the committee decides.
    ProposeRatings,
    /// See inspection and supervision cases, discipline and complaints (confidential), and the
    /// records behind their figures.
    ReadCases,
    /// Record cases, conclusions, discipline, complaints and the yearly programme.
    Inspect,
    /// Record who holds which post (appointments, elections, rotations, dismissals …), the
    /// persons holding them and their training.
    ManageCadres,
    /// Record study sessions and their attendance.
    ManageStudy,
}

impl Capability {
    pub const ALL: [Capability; 15] = [
        Capability::ReadRecords,
        Capability::EditMembers,
        Capability::Import,
        Capability::Restructure,
        Capability::ManageUsers,
        Capability::ReadAudit,
        Capability::ReportValues,
        Capability::WriteProgrammes,
        Capability::Admit,
        Capability::Rate,
        Capability::ProposeRatings,
        Capability::ReadCases,
        Capability::Inspect,
        Capability::ManageCadres,
        Capability::ManageStudy,
    ];
}

impl Role {
    /// Whether someone with this role may give `other` to a user or token: only a role that can do
    /// nothing this one cannot, so that nobody hands out more than they hold.
    pub fn grants(self, other: Role) -> bool {
        Capability::ALL
            .iter()
            .all(|&capability| !other.can(capability) || self.can(capability))
    }

    /// Whether this role has `capability`. Only the organization board keeps membership records
    /// (DOMAIN.md); branch secretaries record their own branch's events; the other boards read until
    /// their own capabilities (inspection, education, mobilization) are built.
    pub fn can(self, capability: Capability) -> bool {
        use Capability as C;
        match capability {
            C::ReadRecords => true,
            // A branch prepares its candidates; the organization board keeps the files.
            C::EditMembers | C::Admit => matches!(
                self,
                Role::Administrator | Role::Organization | Role::BranchSecretary
            ),
            // The organization board decides ratings at its level (branch secretaries enter
            // their branch's proposals) and keeps the cadres' posts and training.
            C::Import | C::Restructure | C::Rate | C::ManageCadres => {
                matches!(self, Role::Administrator | Role::Organization)
            }
            C::ProposeRatings => matches!(
                self,
                Role::Administrator | Role::Organization | Role::BranchSecretary
            ),
            C::ManageUsers | C::ReadAudit => self == Role::Administrator,
            // Cases are confidential: the inspection commission keeps them, the committee's
            // standing members read them.
            C::ReadCases => matches!(
                self,
                Role::Administrator | Role::Inspection | Role::Standing
            ),
            C::Inspect => matches!(self, Role::Administrator | Role::Inspection),
            // The propaganda board organizes the study of resolutions.
            C::ManageStudy => matches!(self, Role::Administrator | Role::Propaganda),
            // The office compiles reports and keeps the committee's documents; the organization
            // board reports its own figures and sets the targets of party building.
            C::ReportValues | C::WriteProgrammes => matches!(
                self,
                Role::Administrator | Role::Office | Role::Organization
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_administrators_manage_users_and_viewers_only_read() {
        for &role in Role::ALL {
            assert!(role.can(Capability::ReadRecords));
            assert_eq!(
                role.can(Capability::ManageUsers),
                role == Role::Administrator
            );
        }
        assert!(!Role::Viewer.can(Capability::EditMembers));
        assert!(Role::BranchSecretary.can(Capability::EditMembers));
        assert!(!Role::BranchSecretary.can(Capability::Import));
        assert!(Role::Standing.can(Capability::ReadCases));
        assert!(!Role::Standing.can(Capability::Inspect));
        assert!(!Role::Organization.can(Capability::ReadCases));
        assert!(!Role::Propaganda.can(Capability::ReadCases));
        assert!(Role::Propaganda.can(Capability::ManageStudy));
        assert!(!Role::Propaganda.can(Capability::ManageCadres));
        assert!(Role::Organization.can(Capability::ManageCadres));
        assert!(!Role::Organization.can(Capability::ManageStudy));
        assert_eq!(Role::parse("Bi thu chi bo"), Some(Role::BranchSecretary));
        assert_eq!(Role::parse("admin"), Some(Role::Administrator));
    }

    #[test]
    fn a_role_grants_only_what_it_holds() {
        for &role in Role::ALL {
            assert!(Role::Administrator.grants(role));
            assert!(role.grants(role));
            assert!(role.grants(Role::Viewer));
        }
        assert!(!Role::Organization.grants(Role::Administrator));
        assert!(!Role::BranchSecretary.grants(Role::Organization));
        assert!(!Role::Viewer.grants(Role::BranchSecretary));
    }
}
