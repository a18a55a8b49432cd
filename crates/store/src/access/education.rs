//! Political education: the study sessions of the units in scope and their attendance. Readers
//! see the sessions organized in scope and the attendance of units in scope; the writer
//! ([`Capability::ManageStudy`], the propaganda board) records sessions, their units' counts and
//! members' attendance, each checked and audited. A sheet of attendance is all or nothing.

use chrono::NaiveDate;
use dangbo_domain::access::Capability;
use dangbo_domain::education::{Attendance, StudyKind, check_counts};
use dangbo_domain::input::TextKind;
use dangbo_domain::text::format_date;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::Access;
use crate::education::{
    self as store, AttendanceRow, MarkRow, RosterRow, SessionDocument, SessionRow, StudySession,
};
use crate::io::{RowError, Table};
use crate::tree::Unit;
use crate::{Result, StoreError, Tx};

/// A document a session studies, by number (a work programme's document when one is recorded
/// with that number at the unit or above) and title.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DocumentRef {
    pub number: String,
    #[serde(default)]
    pub title: String,
}

/// A study session to record.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SessionInput {
    pub code: String,
    /// The organizing unit.
    pub unit: String,
    /// The board beside the unit that organized it (Ban Tuyên giáo …), if not the committee.
    #[serde(default)]
    pub organizer_body: String,
    /// A [`StudyKind`] code or words.
    pub kind: String,
    pub title: String,
    pub from: Option<NaiveDate>,
    /// The last day (the first day when empty).
    #[serde(default)]
    pub to: Option<NaiveDate>,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub online: bool,
    #[serde(default)]
    pub documents: Vec<DocumentRef>,
    /// The participating units (the organizing unit when empty), in its subtree.
    #[serde(default)]
    pub units: Vec<String>,
}

/// A participating unit's attendance as counts.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct CountsInput {
    pub unit: String,
    /// The attendances (lượt) of members; none when the unit keeps a sheet of members.
    #[serde(default)]
    pub attended: Option<i64>,
    /// The members expected.
    #[serde(default)]
    pub expected: Option<i64>,
    /// Attendances of people who are not members.
    #[serde(default)]
    pub non_members: i64,
}

/// A member's attendance on a sheet.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct MarkInput {
    pub member: String,
    /// An [`Attendance`] code or words.
    pub attendance: String,
    #[serde(default)]
    pub reason: String,
}

/// A session with its attendance sheet, as its page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SessionView {
    pub session: StudySession,
    pub sheet: Vec<AttendanceRow>,
}

/// The largest count a unit's attendance may give (far above any real count; keeps the sums far
/// from overflowing).
pub const MAX_COUNT: i64 = 1_000_000_000;

fn field(name: &str, message: impl Into<String>) -> (String, String) {
    (name.to_string(), message.into())
}

impl Access {
    /// The sessions organized in the subtree of `unit_code` (the scope when empty) starting in a
    /// period, newest first.
    pub async fn study_sessions(
        &self,
        unit_code: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Option<(Unit, Vec<StudySession>)>> {
        let Some((mut tx, unit)) = self.read_unit(unit_code).await? else {
            return Ok(None);
        };
        let list = store::under(&mut tx, &unit.path, from, to).await;
        tx.rollback().await?;
        Ok(Some((unit, list?)))
    }

    /// A session organized in scope, with the attendance of its units in scope.
    pub async fn study_session(&self, code: &str) -> Result<Option<SessionView>> {
        let mut tx = self.read().await?;
        let view = self.session_in(&mut tx, code).await;
        let view = match view {
            Ok(Some(session)) => store::sheet(&mut tx, session.id).await.map(|sheet| {
                Some(SessionView {
                    sheet: sheet
                        .into_iter()
                        .filter(|row| {
                            session.units.iter().any(|u| {
                                u.unit_code == row.unit_code && self.actor.sees(&u.unit_path)
                            })
                        })
                        .collect(),
                    session,
                })
            }),
            other => other.map(|_| None),
        };
        tx.rollback().await?;
        view
    }

    /// The members expected on a session's sheet: those of its participating units in scope that
    /// keep a sheet, on its first day, at most `limit`.
    pub async fn study_roster(&self, code: &str, limit: i64) -> Result<Option<Vec<RosterRow>>> {
        let mut tx = self.read().await?;
        let session = match self.session_in(&mut tx, code).await {
            Ok(Some(session)) => session,
            other => {
                tx.rollback().await?;
                return other.map(|_| None);
            }
        };
        let mut out = Vec::new();
        for part in session
            .units
            .iter()
            .filter(|u| !u.by_count && self.actor.sees(&u.unit_path))
        {
            let room = limit - i64::try_from(out.len()).unwrap_or(i64::MAX);
            if room <= 0 {
                break;
            }
            match store::roster(&mut tx, &session, &part.unit_path, room).await {
                // A member of a unit nested in another sheet unit is listed once.
                Ok(rows) => {
                    for row in rows {
                        if !out
                            .iter()
                            .any(|r: &RosterRow| r.member_code == row.member_code)
                        {
                            out.push(row);
                        }
                    }
                }
                Err(e) => {
                    tx.rollback().await?;
                    return Err(e);
                }
            }
        }
        tx.rollback().await?;
        Ok(Some(out))
    }

    /// A member's studies, newest first; empty for a member out of scope.
    pub async fn member_studies(&self, member_code: &str) -> Result<Vec<AttendanceRow>> {
        let mut tx = self.read().await?;
        let Some((member, _)) = self.member_in_scope(&mut tx, member_code).await? else {
            tx.rollback().await?;
            return Ok(Vec::new());
        };
        let list = store::of_member(&mut tx, member.id).await;
        tx.rollback().await?;
        list
    }

    async fn session_in(&self, tx: &mut Tx, code: &str) -> Result<Option<StudySession>> {
        let session = store::by_code(tx, code.trim()).await?;
        Ok(session.filter(|s| self.actor.sees(&s.unit_path)))
    }

    pub fn study_writer(&self) -> Result<StudyWriter<'_>> {
        self.allowed(Capability::ManageStudy)?;
        Ok(StudyWriter { access: self })
    }
}

/// Records study sessions and attendance in the scope, each checked and audited.
pub struct StudyWriter<'a> {
    access: &'a Access,
}

impl StudyWriter<'_> {
    /// Records a session with its documents and participating units.
    pub async fn record(&self, input: &SessionInput) -> Result<StudySession> {
        let mut tx = self.access.db.begin_write().await?;
        let id = self.record_in(&mut tx, input).await?;
        let session = store::by_id(&mut tx, id).await?;
        tx.commit().await?;
        session.ok_or_else(|| StoreError::NotFound("buổi học tập".into()))
    }

    pub(in crate::access) async fn record_in(
        &self,
        tx: &mut Tx,
        input: &SessionInput,
    ) -> Result<i64> {
        let code = input.code.trim();
        let mut problems = dangbo_domain::input::problems([
            ("code", TextKind::Code, code),
            (
                "organizer_body",
                TextKind::Line,
                input.organizer_body.as_str(),
            ),
            ("title", TextKind::Line, input.title.as_str()),
            ("place", TextKind::Line, input.place.as_str()),
        ]);
        for document in &input.documents {
            problems.extend(dangbo_domain::input::problems([
                ("documents", TextKind::Short, document.number.as_str()),
                ("documents", TextKind::Line, document.title.as_str()),
            ]));
        }
        if code.is_empty() {
            problems.push(field("code", "cần mã buổi học tập"));
        } else if store::by_code(tx, code).await?.is_some() {
            problems.push(field("code", format!("mã «{code}» đã có")));
        }
        if input.title.trim().is_empty() {
            problems.push(field("title", "cần tên lớp, hội nghị hoặc chủ đề"));
        }
        let kind = StudyKind::parse(input.kind.trim());
        if kind.is_none() {
            problems.push(field(
                "kind",
                format!(
                    "«{}» không hợp lệ; cần: {}",
                    input.kind.trim(),
                    StudyKind::expected_vi()
                ),
            ));
        }
        let from = input.from;
        let to = input.to.or(from);
        match (from, to) {
            (None, _) => problems.push(field("from", "cần ngày bắt đầu dạng dd/mm/yyyy")),
            (Some(from), Some(to)) if to < from => problems.push(field(
                "to",
                format!(
                    "ngày kết thúc phải từ ngày bắt đầu {} trở đi",
                    format_date(from)
                ),
            )),
            _ => {}
        }
        let unit = self.access.unit_in(tx, &input.unit).await?;
        let Some(unit) = unit.filter(|_| !input.unit.trim().is_empty()) else {
            problems.push(field(
                "unit",
                format!("không có đơn vị «{}» trong phạm vi", input.unit.trim()),
            ));
            return Err(StoreError::Fields(problems));
        };
        if let Some(from) = from
            && !unit.exists_on(from)
        {
            problems.push(field(
                "from",
                format!("{} không tồn tại ngày {}", unit.name, format_date(from)),
            ));
        }
        // The participating units: the organizer's subtree, each once.
        let mut units: Vec<Unit> = Vec::new();
        let named: Vec<&str> = input
            .units
            .iter()
            .map(|u| u.trim())
            .filter(|u| !u.is_empty())
            .collect();
        if named.is_empty() {
            units.push(unit.clone());
        }
        for code in named {
            match self.access.unit_in(tx, code).await? {
                Some(part) if part.path.starts_with(&unit.path) => {
                    if !units.iter().any(|u| u.id == part.id) {
                        units.push(part);
                    }
                }
                _ => problems.push(field(
                    "units",
                    format!(
                        "«{code}» không phải đơn vị thuộc {} trong phạm vi",
                        unit.name
                    ),
                )),
            }
        }
        let (Some(kind), Some(from), Some(to), true) = (kind, from, to, problems.is_empty()) else {
            return Err(StoreError::Fields(problems));
        };
        let id = store::insert(
            tx,
            &SessionRow {
                code,
                unit_id: unit.id,
                unit_path: &unit.path,
                organizer_body: input.organizer_body.trim(),
                kind,
                title: input.title.trim(),
                from,
                to,
                place: input.place.trim(),
                online: input.online,
            },
            &self.access.actor.name,
        )
        .await?;
        let mut documents = Vec::new();
        for (position, document) in input
            .documents
            .iter()
            .filter(|d| !d.number.trim().is_empty())
            .enumerate()
        {
            let number = document.number.trim();
            let linked = store::document_by_number(tx, &unit.path, number).await?;
            let title = match (&linked, document.title.trim()) {
                (Some((_, title)), "") => title.clone(),
                (_, given) => given.to_string(),
            };
            let row = SessionDocument {
                document_id: linked.map(|(id, _)| id),
                number: number.to_string(),
                title,
            };
            store::insert_document(tx, id, i64::try_from(position).unwrap_or(i64::MAX), &row)
                .await?;
            documents.push(row);
        }
        for part in &units {
            store::insert_unit(tx, id, part.id, &part.path, &self.access.actor.name).await?;
        }
        crate::figures::summary::touch(tx, &unit.path, from).await?;
        self.access
            .audit(
                tx,
                "study.session",
                "study_session",
                code,
                &unit.path,
                serde_json::Value::Null,
                json!({
                    "unit": unit.code,
                    "organizer_body": input.organizer_body.trim(),
                    "kind": kind.label_vi(),
                    "title": input.title.trim(),
                    "from": from,
                    "to": to,
                    "place": input.place.trim(),
                    "online": input.online,
                    "documents": documents.iter().map(|d| &d.number).collect::<Vec<_>>(),
                    "units": units.iter().map(|u| &u.code).collect::<Vec<_>>(),
                }),
            )
            .await?;
        Ok(id)
    }

    /// The session in scope, for a change.
    async fn session(&self, tx: &mut Tx, code: &str) -> Result<StudySession> {
        self.access
            .session_in(tx, code)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("buổi học tập «{}»", code.trim())))
    }

    /// Records a participating unit's attendance as counts.
    pub async fn record_counts(
        &self,
        session_code: &str,
        input: &CountsInput,
    ) -> Result<StudySession> {
        let mut tx = self.access.db.begin_write().await?;
        let session = self.session(&mut tx, session_code).await?;
        let mut problems = Vec::new();
        let part = session
            .units
            .iter()
            .find(|u| u.unit_code == input.unit.trim() && self.access.actor.sees(&u.unit_path));
        let Some(part) = part else {
            problems.push(field(
                "unit",
                format!("«{}» không tham gia buổi học tập này", input.unit.trim()),
            ));
            return Err(StoreError::Fields(problems));
        };
        for (name, value) in [
            ("attended", input.attended),
            ("expected", input.expected),
            ("non_members", Some(input.non_members)),
        ] {
            if value.is_some_and(|v| v < 0) {
                problems.push(field(name, "cần số không âm"));
            } else if value.is_some_and(|v| v > MAX_COUNT) {
                problems.push(field(
                    name,
                    format!(
                        "{} lượt là quá lớn: tối đa {}",
                        dangbo_domain::text::format_int(value.unwrap_or(0)),
                        dangbo_domain::text::format_int(MAX_COUNT)
                    ),
                ));
            }
        }
        let as_u32 = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok());
        if let Some(attended) = as_u32(input.attended)
            && let Err(message) = check_counts(attended, as_u32(input.expected))
        {
            problems.push(field("attended", message));
        }
        if input.attended.is_some() && !part.by_count && part.attended + part.absent > 0 {
            problems.push(field(
                "attended",
                format!(
                    "{} đã có danh sách điểm danh từng đảng viên: không ghi thêm số lượt",
                    part.unit_name
                ),
            ));
        }
        if !problems.is_empty() {
            return Err(StoreError::Fields(problems));
        }
        store::set_counts(
            &mut tx,
            session.id,
            part.unit_id,
            input.expected,
            input.attended,
            input.non_members,
        )
        .await?;
        crate::figures::summary::touch(&mut tx, &part.unit_path, session.from).await?;
        self.access
            .audit(
                &mut tx,
                "study.counts",
                "study_session",
                &session.code,
                &part.unit_path,
                json!({
                    "unit": part.unit_code,
                    "attended": part.by_count.then_some(part.attended),
                    "expected": part.expected,
                    "non_members": part.non_members,
                }),
                json!({
                    "unit": part.unit_code,
                    "attended": input.attended,
                    "expected": input.expected,
                    "non_members": input.non_members,
                }),
            )
            .await?;
        let after = store::by_id(&mut tx, session.id).await?;
        tx.commit().await?;
        after.ok_or_else(|| StoreError::NotFound("buổi học tập".into()))
    }

    /// Records members' attendance of a session: every row checked, each bad one named with its
    /// row number (from `first_row`), and nothing written unless all are good.
    pub async fn mark(
        &self,
        session_code: &str,
        rows: &[MarkInput],
        first_row: usize,
    ) -> Result<StudySession> {
        let numbered: Vec<(usize, MarkInput)> = rows
            .iter()
            .enumerate()
            .map(|(i, row)| (first_row + i, row.clone()))
            .collect();
        self.mark_numbered(session_code, &numbered, ["member", "attendance", "reason"])
            .await
    }

    /// Records a sheet read from a file (columns `ma_dang_vien`, `diem_danh`, `ly_do`, or their
    /// Vietnamese or English names), all or nothing, every bad row named with the file's column.
    pub async fn import_sheet(&self, session_code: &str, table: &Table) -> Result<StudySession> {
        let find = |names: &[&str]| {
            table.headers.iter().position(|h| {
                let folded = dangbo_domain::text::fold(h).replace([' ', '-'], "_");
                names.contains(&folded.as_str())
            })
        };
        let member = find(&["ma_dang_vien", "member", "ma_dv", "ma"]);
        let attendance = find(&["diem_danh", "attendance", "tham_du"]);
        let reason = find(&["ly_do", "reason", "ly_do_vang"]);
        let (Some(member), Some(attendance)) = (member, attendance) else {
            return Err(StoreError::Import(vec![RowError {
                row: 1,
                column: String::new(),
                value: table.headers.join(", "),
                message: "tệp cần các cột ma_dang_vien và diem_danh (ly_do nếu có)".into(),
            }]));
        };
        let cell = |cells: &[String], i: Option<usize>| {
            i.and_then(|i| cells.get(i)).cloned().unwrap_or_default()
        };
        let rows: Vec<(usize, MarkInput)> = table
            .rows
            .iter()
            .map(|(number, cells)| {
                (
                    *number,
                    MarkInput {
                        member: cell(cells, Some(member)),
                        attendance: cell(cells, Some(attendance)),
                        reason: cell(cells, reason),
                    },
                )
            })
            .collect();
        let header = |i: Option<usize>, default: &str| {
            i.and_then(|i| table.headers.get(i))
                .cloned()
                .unwrap_or_else(|| default.to_string())
        };
        let columns = [
            header(Some(member), "ma_dang_vien"),
            header(Some(attendance), "diem_danh"),
            header(reason, "ly_do"),
        ];
        self.mark_numbered(
            session_code,
            &rows,
            [
                columns[0].as_str(),
                columns[1].as_str(),
                columns[2].as_str(),
            ],
        )
        .await
    }

    async fn mark_numbered(
        &self,
        session_code: &str,
        rows: &[(usize, MarkInput)],
        columns: [&str; 3],
    ) -> Result<StudySession> {
        let mut tx = self.access.db.begin_write().await?;
        let session = self.session(&mut tx, session_code).await?;
        self.mark_in(&mut tx, &session, rows, columns).await?;
        let after = store::by_id(&mut tx, session.id).await?;
        tx.commit().await?;
        after.ok_or_else(|| StoreError::NotFound("buổi học tập".into()))
    }

    pub(in crate::access) async fn mark_in(
        &self,
        tx: &mut Tx,
        session: &StudySession,
        rows: &[(usize, MarkInput)],
        columns: [&str; 3],
    ) -> Result<()> {
        let mut errors: Vec<RowError> = Vec::new();
        let mut marks = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        let column_of = |field: &str| match field {
            "member" => columns[0],
            "attendance" => columns[1],
            _ => columns[2],
        };
        for (number, row) in rows {
            let number = *number;
            let mut refuse = |field: &str, value: &str, message: String| {
                errors.push(RowError {
                    row: number,
                    column: column_of(field).to_string(),
                    value: value.to_string(),
                    message,
                })
            };
            let code = row.member.trim();
            if let Err(problem) = TextKind::Note.check(&row.reason) {
                refuse("reason", &row.reason, problem.message());
            }
            let attendance = Attendance::parse(row.attendance.trim());
            if attendance.is_none() {
                refuse(
                    "attendance",
                    &row.attendance,
                    format!("cần: {}", Attendance::expected_vi()),
                );
            }
            if seen.iter().any(|s| s == code) {
                refuse(
                    "member",
                    code,
                    "đảng viên có hai dòng trong danh sách".into(),
                );
                continue;
            }
            seen.push(code.to_string());
            let Some((member, _)) = self.access.member_in_scope(tx, code).await? else {
                refuse(
                    "member",
                    code,
                    "không có đảng viên này trong phạm vi".into(),
                );
                continue;
            };
            let Some((_, path)) = crate::members::unit_on(tx, member.id, session.from).await?
            else {
                refuse(
                    "member",
                    code,
                    format!("không là đảng viên ngày {}", format_date(session.from)),
                );
                continue;
            };
            let part = session
                .units
                .iter()
                .filter(|u| path.starts_with(&u.unit_path) && self.access.actor.sees(&u.unit_path))
                .max_by_key(|u| u.unit_path.len());
            let Some(part) = part else {
                refuse(
                    "member",
                    code,
                    "không thuộc đơn vị nào tham gia buổi học tập này".into(),
                );
                continue;
            };
            if part.by_count {
                refuse(
                    "member",
                    code,
                    format!(
                        "{} đã ghi số lượt: không điểm danh từng người",
                        part.unit_name
                    ),
                );
                continue;
            }
            if let Some(attendance) = attendance {
                marks.push((
                    member.id,
                    code.to_string(),
                    part.unit_id,
                    part.unit_path.clone(),
                    path,
                    attendance,
                    row.reason.trim().to_string(),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(StoreError::Import(errors));
        }
        for (member_id, code, unit_id, unit_path, path, attendance, reason) in &marks {
            store::mark(
                tx,
                &MarkRow {
                    session_id: session.id,
                    unit_id: *unit_id,
                    member_id: *member_id,
                    member_path: path,
                    attendance: *attendance,
                    reason,
                },
                &self.access.actor.name,
            )
            .await?;
            crate::figures::summary::touch(tx, unit_path, session.from).await?;
            self.access
                .audit(
                    tx,
                    "study.attendance",
                    "study_session",
                    &session.code,
                    path,
                    serde_json::Value::Null,
                    json!({ "member": code, "attendance": attendance.label_vi(), "reason": reason }),
                )
                .await?;
        }
        Ok(())
    }
}
