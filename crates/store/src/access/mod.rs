//! Scoped access: the only public surface of the store. Every read and write a user, an API token or
//! the command line makes goes through an [`Access`] handle, which sees only the actor's unit and its
//! subtree, and hands out writers only to roles that have the capability. A record outside the scope
//! reads as absent, exactly like one that does not exist.
//!
//! Each capability has its own file here: its readers are `impl Access` blocks, its writer a struct
//! handed out by a method that checks the role.

mod admin;
mod admission;
mod audit;
pub mod backup;
mod batch;
mod cadres;
mod education;
mod figures;
mod inspection;
mod io;
mod members;
mod programmes;
mod ratings;
pub mod sessions;
mod tree;

use dangbo_domain::access::{Capability, Role};
use serde::Serialize;

use crate::audit::Change;
use crate::{Db, Result, StoreError, Tx};

pub use self::admin::{ApiToken, NewToken, NewUser, User, UserAdmin};
pub use self::admission::{
    AdmissionWriter, AwarenessClass, Candidate, CandidateFile, CandidateLine, DueLine, Introducer,
    MAX_VOTES, NewCandidate, NewClass, NewTrainee, StepInput, StoredStep, Trainee, WARN_DAYS,
};
pub use self::audit::{AuditEntry, AuditFilter, Auditor, Verification};
pub use self::backup::{Backup, Restored, restore};
pub use self::batch::Batch;
pub use self::cadres::{
    CadreWriter, Compliance, FactInput, HoldingEnd, HoldingInput, PersonInput, PersonView,
};
pub use self::education::{
    CountsInput, DocumentRef, MAX_COUNT, MarkInput, SessionInput, SessionView, StudyWriter,
};
pub use self::figures::{
    Breakdown, FigureCache, FigureTable, Record, RecordPage, ReportedInput, ReportedValue,
    Reporter, TableRows, catalogue, find_figure,
};
pub use self::inspection::{
    CaseInput, ComplaintInput, ConclusionInput, DecisionInput, InspectionWriter, PlanInput,
    SettlementInput, SubjectConclusion,
};
pub use self::io::{
    Cell, ColumnGuide, Dataset, Format, ImportSummary, Importer, LIMITS, Limits, Progress, Quiet,
    ReportSheet, RowError, Table, column_guide, csv_bytes, read_table, report_xlsx, template_xlsx,
    write_table, xlsx_bytes,
};
pub use self::members::{
    Editor, EventInput, EventLine, EventOutcome, Member, MemberPage, MemberQuery, MemberRow,
    MemberView, NewEvent, StoredEvent,
};
pub use self::programmes::{
    Allocation, AttachedFile, Document, DocumentFile, MetTotal, NewDocument, NewTarget, NewTask,
    NewTaskReport, ProgrammeWriter, ReportUnit, ReportedActual, Target, TargetLine, TargetStatus,
    TargetsReport, Task, TaskReport, TaskStatus, met_total, status_on,
};
pub use self::ratings::{
    MemberToRate, Proposal, ProposalInput, Rated, Rating, RatingInput, RatingProposer,
    RatingWriter, is_rated_kind,
};
pub use self::sessions::{NewSession, PasswordChange, Session, Sessions, SignInError};
pub use self::tree::{
    Decision, LineageStep, NewUnit, Outcome, RestructurePlan, RestructurePreview, Restructurer,
    SplitContents, SplitPart, TreeEntry, Unit, name_on,
};
pub use crate::cadres::Holding;
pub use crate::cadres::persons::Person;
pub use crate::cadres::training::TrainingFact;
pub use crate::education::{AttendanceRow, RosterRow, SessionDocument, StudySession, StudyUnit};
pub use crate::inspection::{
    Case, CaseFile, CaseFilter, CaseSubject, Complaint, DisciplineDecision, PlanItem,
};
pub use dangbo_domain::figures::{
    Definition, FigureValue, Kind as FigureKind, Ratio, Value, Window,
};

/// Who is acting, with which role, over which subtree. Actors are made only by the store (from a
/// user, a token, or for the command line), never assembled by a caller.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Actor {
    /// The username, `token:<id>` or `cli:<user>`, as written in the audit log.
    pub name: String,
    pub display_name: String,
    pub role: Role,
    /// The root of the scope; the pseudo-unit standing for the whole database when unscoped.
    pub scope: Unit,
}

impl Actor {
    async fn with_scope(
        tx: &mut Tx,
        name: String,
        display_name: String,
        role: Role,
        scope_unit_id: Option<i64>,
    ) -> Result<Actor> {
        let scope = match scope_unit_id {
            Some(id) => crate::tree::by_id(tx, id).await?,
            None => crate::tree::everything(),
        };
        Ok(Actor {
            name,
            display_name,
            role,
            scope,
        })
    }

    /// An administrator over the whole database: the command line, the demo loader, the benchmarks
    /// and the tests' fixtures (whoever can run them can open the database file anyway). The web
    /// app never makes one: its actors come from sessions and tokens.
    pub fn whole_database(name: &str, display_name: &str) -> Actor {
        Actor {
            name: name.to_string(),
            display_name: display_name.to_string(),
            role: Role::Administrator,
            scope: crate::tree::everything(),
        }
    }

    /// Whether a unit path lies inside the scope.
    pub fn sees(&self, path: &str) -> bool {
        path.starts_with(&self.scope.path)
    }

    /// Whether the scope is the whole database.
    pub fn sees_everything(&self) -> bool {
        self.scope.is_whole_database()
    }

    pub fn can(&self, capability: Capability) -> bool {
        self.role.can(capability)
    }
}

/// The refusal for a role without a capability.
fn forbidden(actor: &Actor) -> StoreError {
    StoreError::Forbidden(format!(
        "vai trò «{}» không có quyền làm việc này",
        actor.role.label_vi()
    ))
}

/// A handle bound to one actor over the database.
#[derive(Clone)]
pub struct Access {
    db: Db,
    actor: Actor,
    cache: Option<std::sync::Arc<FigureCache>>,
}

impl Access {
    pub fn new(db: Db, actor: Actor) -> Access {
        Access {
            db,
            actor,
            cache: None,
        }
    }

    /// Shares a figure cache with other handles.
    pub fn with_cache(mut self, cache: std::sync::Arc<FigureCache>) -> Access {
        self.cache = Some(cache);
        self
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    async fn read(&self) -> Result<Tx> {
        self.db.begin_read().await
    }

    fn allowed(&self, capability: Capability) -> Result<()> {
        if self.actor.can(capability) {
            Ok(())
        } else {
            Err(forbidden(&self.actor))
        }
    }

    /// Appends an audit row about a record inside the subtree of `unit_path`, in the caller's
    /// transaction.
    #[allow(clippy::too_many_arguments)]
    async fn audit(
        &self,
        tx: &mut Tx,
        action: &str,
        kind: &str,
        key: &str,
        unit_path: &str,
        before: serde_json::Value,
        after: serde_json::Value,
    ) -> Result<()> {
        crate::audit::append(
            tx,
            &Change {
                actor: &self.actor.name,
                action,
                record_kind: kind,
                record_key: key,
                unit_path,
                before,
                after,
            },
        )
        .await
    }
}
