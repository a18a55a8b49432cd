//! Administration: users, API tokens and the audit log.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use dangbo_domain::access::Role;
use dangbo_store::StoreError;
use dangbo_store::access::{AuditEntry as Entry, AuditFilter as Filter, NewToken, NewUser, Unit};
use serde::Deserialize;

use super::Chrome;
use super::{Choice, choices};
use crate::AppError;
use crate::error::render;
use crate::format::{self, query};
use crate::session::{Identity, Ui};

pub struct UserRow {
    pub username: String,
    /// The user's path under `/admin/users/`, percent-encoded.
    pub link: String,
    pub display_name: String,
    pub role: &'static str,
    pub scope: String,
    pub disabled: bool,
}

pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub role: &'static str,
    pub scope: String,
    pub created_by: String,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    c: Chrome,
    users: Vec<UserRow>,
    tokens: Vec<TokenRow>,
    roles: Vec<Choice>,
    /// The scope field's value: a scoped administrator's own unit.
    default_scope: String,
    error: String,
    notice: String,
    new_token: String,
}

/// How a user's or token's scope reads: the unit's name and code, or the whole database.
fn scope_label(scope: Option<&Unit>) -> String {
    match scope {
        Some(u) => format!("{} ({})", u.name, u.code),
        None => WHOLE_DATABASE.to_string(),
    }
}

const WHOLE_DATABASE: &str = "Toàn quốc";

async fn users_page(
    identity: &Identity,
    lang: crate::i18n::Lang,
    error: String,
    notice: String,
    new_token: String,
) -> Result<Response, AppError> {
    let admin = identity.access.user_admin()?;
    let users = admin.users().await?;
    let tokens = admin.tokens().await?;
    let actor = identity.access.actor();
    let page = UsersPage {
        c: Chrome::new(
            identity,
            lang,
            lang.texts().users_title,
            "users",
            "/admin/users",
        ),
        users: users
            .into_iter()
            .map(|(u, scope)| UserRow {
                scope: scope_label(scope.as_ref()),
                role: u.role.label_vi(),
                link: format!("/admin/users/{}", format::url(&u.username)),
                username: u.username,
                display_name: u.display_name,
                disabled: u.disabled,
            })
            .collect(),
        tokens: tokens
            .into_iter()
            .map(|(t, scope)| TokenRow {
                scope: scope_label(scope.as_ref()),
                role: t.role.label_vi(),
                id: t.id,
                name: t.name,
                created_by: t.created_by,
                revoked: t.revoked,
            })
            .collect(),
        roles: choices(
            Role::Viewer.code(),
            Role::ALL
                .iter()
                .filter(|r| actor.role.grants(**r))
                .map(|r| (r.code().to_string(), r.label_vi().to_string()))
                .collect(),
        ),
        default_scope: if actor.sees_everything() {
            String::new()
        } else {
            actor.scope.code.clone()
        },
        error,
        notice,
        new_token,
    };
    crate::error::render_form(&page, !page.error.is_empty())
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    ok: String,
}

pub async fn users(
    Ui(identity, lang): Ui,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let notice = if q.ok.is_empty() {
        String::new()
    } else {
        lang.texts().saved.to_string()
    };
    users_page(&identity, lang, String::new(), notice, String::new()).await
}

#[derive(Deserialize)]
pub struct UserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    scope: String,
}

/// Shows the outcome of an administrative change: the secret of a new token, a notice, or the
/// refusal on the users page.
async fn after_change(
    identity: &Identity,
    lang: crate::i18n::Lang,
    result: Result<Option<String>, StoreError>,
) -> Result<Response, AppError> {
    match result {
        Ok(Some(secret)) => users_page(identity, lang, String::new(), String::new(), secret).await,
        Ok(None) => Ok(Redirect::to("/admin/users?ok=1").into_response()),
        Err(StoreError::Invalid(refusal)) => {
            users_page(
                identity,
                lang,
                refusal.message,
                String::new(),
                String::new(),
            )
            .await
        }
        Err(StoreError::Fields(problems)) => {
            let message = problems
                .into_iter()
                .map(|(_, m)| m)
                .collect::<Vec<_>>()
                .join("; ");
            users_page(identity, lang, message, String::new(), String::new()).await
        }
        Err(other) => Err(other.into()),
    }
}

/// A role from a form, or the problem on its field.
fn form_role(code: &str) -> Result<Role, StoreError> {
    Role::parse(code).ok_or_else(|| {
        StoreError::Fields(vec![(
            "role".into(),
            format!(
                "vai trò «{code}» không có; cần một trong: {}",
                Role::expected_vi()
            ),
        )])
    })
}

pub async fn add_user(
    Ui(identity, lang): Ui,
    Form(form): Form<UserForm>,
) -> Result<Response, AppError> {
    let admin = identity.access.user_admin()?;
    let scope = super::unit_code_for(&identity.access, "scope", &form.scope).await;
    let result = match form_role(&form.role).and_then(|role| Ok((role, scope?))) {
        Ok((role, scope)) => {
            let new = NewUser {
                username: form.username.clone(),
                display_name: form.display_name.clone(),
                password: form.password.clone(),
                role,
                scope_code: Some(scope).filter(|s| !s.is_empty()),
            };
            admin.create_user(&new).await.map(|_| None)
        }
        Err(e) => Err(e),
    };
    after_change(&identity, lang, result).await
}

pub async fn disable_user(
    Ui(identity, lang): Ui,
    Path(username): Path<String>,
) -> Result<Response, AppError> {
    let admin = identity.access.user_admin()?;
    let result = admin.set_disabled(&username, true).await.map(|_| None);
    after_change(&identity, lang, result).await
}

pub async fn enable_user(
    Ui(identity, lang): Ui,
    Path(username): Path<String>,
) -> Result<Response, AppError> {
    let admin = identity.access.user_admin()?;
    let result = admin.set_disabled(&username, false).await.map(|_| None);
    after_change(&identity, lang, result).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

pub async fn reset_password(
    Ui(identity, lang): Ui,
    Path(username): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let admin = identity.access.user_admin()?;
    let result = admin
        .reset_password(&username, &form.password)
        .await
        .map(|_| None);
    after_change(&identity, lang, result).await
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    scope: String,
}

pub async fn add_token(
    Ui(identity, lang): Ui,
    Form(form): Form<TokenForm>,
) -> Result<Response, AppError> {
    let admin = identity.access.user_admin()?;
    let scope = super::unit_code_for(&identity.access, "scope", &form.scope).await;
    let result = match form_role(&form.role).and_then(|role| Ok((role, scope?))) {
        Ok((role, scope)) => {
            let new = NewToken {
                name: form.name.clone(),
                role,
                scope_code: Some(scope).filter(|s| !s.is_empty()),
            };
            admin
                .create_token(&new)
                .await
                .map(|(_, secret)| Some(secret))
        }
        Err(e) => Err(e),
    };
    after_change(&identity, lang, result).await
}

pub async fn revoke_token(
    Ui(identity, lang): Ui,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let admin = identity.access.user_admin()?;
    let result = admin.revoke_token(id).await.map(|_| None);
    after_change(&identity, lang, result).await
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    before: String,
}

pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub kind: String,
    pub key: String,
    /// "field: old → new", one per changed field.
    pub changes: Vec<String>,
}

/// An action of the audit log in words.
fn action_label(action: &str) -> String {
    match action {
        "event.record" => "Ghi sự kiện",
        "member.update" => "Sửa hồ sơ đảng viên",
        "import" => "Nhập dữ liệu từ tệp",
        "restructure.merge" => "Sắp xếp: hợp nhất",
        "restructure.split" => "Sắp xếp: chia tách",
        "restructure.dissolve" => "Sắp xếp: giải thể",
        "restructure.rename" => "Sắp xếp: đổi tên",
        "restructure.move" => "Sắp xếp: chuyển trực thuộc",
        "restructure.establish" => "Thành lập đơn vị",
        "user.create" => "Tạo tài khoản",
        "user.disable" => "Khóa tài khoản",
        "user.enable" => "Mở khóa tài khoản",
        "user.password" => "Đặt lại mật khẩu",
        "token.create" => "Cấp mã truy cập API",
        "token.revoke" => "Thu hồi mã truy cập API",
        "figure.define" => "Thêm chỉ tiêu báo cáo",
        "figure.report" => "Ghi số liệu báo cáo",
        "candidate.add" => "Lập hồ sơ người vào Đảng",
        "candidate.step" => "Ghi bước xét kết nạp",
        "candidate.introducer" => "Thêm người giới thiệu",
        "member.admit" => "Kết nạp theo hồ sơ",
        "class.add" => "Thêm lớp nhận thức về Đảng",
        "class.trainee" => "Thêm học viên lớp nhận thức",
        "rating.record" => "Ghi xếp loại chất lượng",
        "rating.propose" => "Chi bộ đề xuất xếp loại",
        "inspection.case" => "Ghi vụ việc kiểm tra, giám sát",
        "inspection.start" => "Ghi ngày bắt đầu vụ việc",
        "inspection.conclude" => "Ghi kết luận vụ việc",
        "inspection.plan" => "Thêm mục chương trình kiểm tra, giám sát",
        "discipline.decide" => "Ghi quyết định kỷ luật",
        "discipline.complaint" => "Ghi đơn khiếu nại kỷ luật",
        "discipline.settle" => "Ghi kết quả giải quyết khiếu nại",
        "cadre.person" => "Ghi người ngoài Đảng giữ chức vụ",
        "cadre.hold" => "Ghi chức vụ",
        "cadre.end" => "Ghi thôi giữ chức vụ",
        "cadre.training" => "Ghi quá trình đào tạo",
        "study.session" => "Ghi buổi học tập, quán triệt",
        "study.counts" => "Ghi số lượt tham gia học tập",
        "study.attendance" => "Điểm danh học tập",
        other => return other.to_string(),
    }
    .to_string()
}

/// The kinds of record the log names, in words: (code, label).
/// The record kinds a person filters the log by.
const KIND_FILTER: [(&str, &str); 10] = [
    ("member", "Đảng viên"),
    ("candidate", "Hồ sơ người vào Đảng"),
    ("unit", "Đơn vị"),
    ("user", "Tài khoản"),
    ("api_token", "Mã truy cập API"),
    ("reported_figure", "Chỉ tiêu báo cáo"),
    ("reported_value", "Số liệu báo cáo"),
    ("members", "Nhập tệp đảng viên"),
    ("events", "Nhập tệp sự kiện"),
    ("units", "Nhập tệp đơn vị"),
];

const RECORD_KINDS: [(&str, &str); 22] = [
    ("awareness_class", "Lớp nhận thức về Đảng"),
    ("member", "Đảng viên"),
    ("candidate", "Hồ sơ người vào Đảng"),
    ("candidates", "Hồ sơ người vào Đảng"),
    ("candidate_steps", "Các bước xét kết nạp"),
    ("member_ratings", "Xếp loại đảng viên"),
    ("unit_ratings", "Xếp loại tổ chức đảng"),
    ("inspection_case", "Vụ việc kiểm tra, giám sát"),
    ("inspection_plan", "Chương trình kiểm tra, giám sát"),
    ("inspections", "Vụ việc kiểm tra, giám sát"),
    ("holding", "Chức vụ"),
    ("person", "Người giữ chức vụ, được đào tạo"),
    ("study_session", "Buổi học tập, quán triệt"),
    ("training", "Quá trình đào tạo, bồi dưỡng"),
    ("members", "Đảng viên"),
    ("events", "Sự kiện"),
    ("unit", "Đơn vị"),
    ("units", "Đơn vị"),
    ("user", "Tài khoản"),
    ("api_token", "Mã truy cập API"),
    ("reported_figure", "Chỉ tiêu báo cáo"),
    ("reported_value", "Số liệu báo cáo"),
];

fn kind_label(kind: &str) -> String {
    RECORD_KINDS
        .iter()
        .find(|(code, _)| *code == kind)
        .map_or_else(|| kind.to_string(), |(_, label)| label.to_string())
}

/// The fields of logged records, in the order a person reads them, with their names.
const FIELDS: [(&str, &str); 118] = [
    ("code", "Mã"),
    ("full_name", "Họ và tên"),
    ("display_name", "Tên hiển thị"),
    ("name", "Tên"),
    ("kind", "Loại"),
    ("date", "Ngày"),
    ("ceremony_date", "Ngày lễ kết nạp"),
    ("end_date", "Ngày kết thúc"),
    ("decision_number", "Số quyết định"),
    ("issuing_body", "Cơ quan quyết định"),
    ("from_unit", "Từ đơn vị"),
    ("to_unit", "Đến đơn vị"),
    ("external_unit", "Tổ chức ngoài hệ thống"),
    ("cause", "Lý do"),
    ("sex", "Giới tính"),
    ("birth_date", "Ngày sinh"),
    ("ethnicity", "Dân tộc"),
    ("religion", "Tôn giáo"),
    ("home_town", "Quê quán"),
    ("residence", "Nơi ở"),
    ("national_id", "Số định danh"),
    ("general_education", "Giáo dục phổ thông"),
    ("qualification", "Chuyên môn"),
    ("theory_level", "Lý luận chính trị"),
    ("occupation", "Nghề nghiệp"),
    ("phone", "Điện thoại"),
    ("card_number", "Số thẻ đảng viên"),
    ("role", "Vai trò"),
    ("scope", "Phạm vi"),
    ("disabled", "Đã khóa"),
    ("file", "Tệp"),
    ("rows", "Số dòng"),
    ("note", "Ghi chú"),
    ("reason", "Lý do"),
    ("password", "Mật khẩu"),
    ("revoked", "Đã thu hồi"),
    ("label_vi", "Tên chỉ tiêu"),
    ("unit_label", "Đơn vị tính"),
    ("value", "Giá trị"),
    ("source", "Nguồn"),
    ("created", "Thêm mới"),
    ("updated", "Cập nhật"),
    ("unchanged", "Không đổi"),
    ("events_written", "Sự kiện đã ghi"),
    (
        "placed_before_branch",
        "Vào Đảng trước khi chi bộ thành lập",
    ),
    ("ended", "Đơn vị kết thúc"),
    ("members_moved", "Đảng viên chuyển"),
    ("from", "Từ ngày"),
    ("stage", "Bước"),
    ("on", "Ngày"),
    ("unit", "Chi bộ"),
    ("nominated_by", "Tổ chức giới thiệu"),
    ("nominated_on", "Ngày giới thiệu"),
    ("certificate", "Số giấy chứng nhận"),
    ("centre", "Nơi cấp"),
    ("votes_for", "Tán thành"),
    ("votes_against", "Không tán thành"),
    ("present", "Có mặt"),
    ("entitled", "Tổng số"),
    ("over_age_approval", "Quyết định đồng ý quá tuổi"),
    ("number", "Số quyết định"),
    ("committee", "Cấp ủy quyết định"),
    ("member", "Đảng viên"),
    ("assigned_on", "Ngày phân công"),
    ("by", "Tổ chức giới thiệu"),
    ("organizer", "Nơi tổ chức"),
    ("starts_on", "Ngày khai giảng"),
    ("ends_on", "Ngày bế giảng"),
    ("place", "Địa điểm"),
    ("result", "Kết quả"),
    ("level", "Mức xếp loại"),
    ("points", "Số điểm"),
    ("self_level", "Tự xếp loại"),
    ("proposed_level", "Mức đề xuất"),
    ("decided_by", "Cấp quyết định"),
    ("quota_exception", "Quyết định cho vượt tỷ lệ"),
    ("body", "Bộ phận quyết định"),
    ("decided_on", "Ngày quyết định"),
    ("started_on", "Ngày bắt đầu"),
    ("concluded_on", "Ngày kết luận"),
    ("topic", "Nội dung"),
    ("subjects", "Đối tượng"),
    ("subject", "Đối tượng"),
    ("conclusion", "Kết luận"),
    ("form", "Hình thức kỷ luật"),
    ("violation_on", "Ngày vi phạm"),
    ("no_limit_kind", "Không áp dụng thời hiệu"),
    ("received_on", "Ngày nhận đơn"),
    ("settling_unit", "Cấp giải quyết"),
    ("deadline", "Hạn giải quyết"),
    ("settled_on", "Ngày giải quyết"),
    ("planned_from", "Dự kiến từ"),
    ("planned_to", "Dự kiến đến"),
    ("post", "Chức vụ"),
    ("post_detail", "Cơ quan, chức danh cụ thể"),
    ("holder", "Người giữ chức"),
    ("village", "Thôn, tổ dân phố"),
    ("to", "Đến ngày"),
    ("start_move", "Hình thức"),
    ("start_body", "Cơ quan quyết định"),
    ("start_decision", "Số quyết định"),
    ("start_decided_on", "Ngày ký quyết định"),
    ("end_move", "Hình thức thôi giữ chức"),
    ("end_decision", "Số quyết định thôi giữ chức"),
    ("end_body", "Cơ quan quyết định thôi giữ chức"),
    ("end_decided_on", "Ngày ký quyết định thôi giữ chức"),
    ("institution", "Cơ sở đào tạo"),
    ("proof", "Văn bằng"),
    ("diploma", "Số hiệu văn bằng"),
    ("organizer_body", "Cơ quan tham mưu"),
    ("title", "Tên"),
    ("online", "Trực tuyến"),
    ("documents", "Văn bản"),
    ("units", "Đơn vị tham gia"),
    ("attended", "Lượt tham gia"),
    ("expected", "Số được triệu tập"),
    ("non_members", "Lượt người ngoài Đảng"),
    ("attendance", "Điểm danh"),
];

/// A field's place in [`FIELDS`] (unknown fields last) and its name in words.
fn field(key: &str) -> (usize, String) {
    FIELDS
        .iter()
        .position(|(k, _)| *k == key)
        .map_or((FIELDS.len(), key.replace('_', " ")), |i| {
            (i, FIELDS[i].1.to_string())
        })
}

/// A logged value in words: dates as dd/mm/yyyy, codes of the vocabularies by their labels.
fn value_words(field: &str, value: &serde_json::Value) -> String {
    use dangbo_domain::members::events::EventKind;
    use dangbo_domain::members::{GeneralEducation, Qualification, Sex, TheoryLevel};
    let text = match value {
        serde_json::Value::Null => return "(trống)".to_string(),
        serde_json::Value::Bool(b) => return if *b { "có" } else { "không" }.to_string(),
        serde_json::Value::Array(items) => {
            return items
                .iter()
                .map(|v| value_words(field, v))
                .collect::<Vec<_>>()
                .join(", ");
        }
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    if let Ok(date) = chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        return format::date(date);
    }
    let label = match field {
        "kind" => EventKind::parse(&text).map(|k| k.label_vi()),
        "sex" => Sex::parse(&text).map(|s| s.label_vi()),
        "general_education" => GeneralEducation::parse(&text).map(|l| l.label_vi()),
        "qualification" => Qualification::parse(&text).map(|l| l.label_vi()),
        "theory_level" => TheoryLevel::parse(&text).map(|l| l.label_vi()),
        "role" => dangbo_domain::access::Role::parse(&text).map(|r| r.label_vi()),
        "stage" => dangbo_domain::admission::Stage::parse(&text).map(|s| s.label_vi()),
        "nominated_by" | "by" => {
            dangbo_domain::admission::NominatedBy::parse(&text).map(|n| n.label_vi())
        }
        "reason" => dangbo_domain::admission::StopReason::parse(&text).map(|r| r.label_vi()),
        "result" => dangbo_domain::admission::ClassResult::parse(&text).map(|r| r.label_vi()),
        "cause" => dangbo_domain::members::events::EventCause::parse(&text).map(|c| {
            Some(c.label_vi())
                .filter(|l| !l.is_empty())
                .unwrap_or("Ghi nhận")
        }),
        _ => None,
    };
    if text.is_empty() {
        "(trống)".to_string()
    } else {
        label.map_or(text, str::to_string)
    }
}

/// What a logged change did, field by field: "Họ và tên: Nguyễn Văn An → Nguyễn Văn Ân"; a new
/// record lists its fields. Internal ids (`…_id`, `version`) are left out.
fn changes(before: &str, after: &str) -> Vec<String> {
    let parse = |text: &str| serde_json::from_str::<serde_json::Value>(text).ok();
    let (old, new) = (parse(before), parse(after));
    let object = |v: &Option<serde_json::Value>| match v {
        Some(serde_json::Value::Object(map)) => Some(map.clone()),
        _ => None,
    };
    // Row ids mean nothing to a person; a national id (số định danh) does.
    let hidden = |key: &str| {
        key == "id"
            || (key.ends_with("_id") && key != "national_id")
            || key == "version"
            || key == "hash"
    };
    let in_order = |map: &serde_json::Map<String, serde_json::Value>| {
        let mut keys: Vec<&String> = map.keys().filter(|k| !hidden(k)).collect();
        keys.sort_by_key(|k| field(k).0);
        keys.into_iter().cloned().collect::<Vec<String>>()
    };
    match (object(&old), object(&new)) {
        (Some(old), Some(new)) => in_order(&new)
            .into_iter()
            .filter(|k| old.get(k) != new.get(k))
            .map(|k| {
                let was = old
                    .get(&k)
                    .map_or_else(|| "(trống)".to_string(), |o| value_words(&k, o));
                format!("{}: {was} → {}", field(&k).1, value_words(&k, &new[&k]))
            })
            .collect(),
        (None, Some(new)) => in_order(&new)
            .into_iter()
            .filter(|k| !new[k].is_null() && new[k].as_str() != Some(""))
            .map(|k| format!("{}: {}", field(&k).1, value_words(&k, &new[&k])))
            .collect(),
        _ => [old, new]
            .into_iter()
            .flatten()
            .filter(|v| !v.is_null())
            .map(|v| v.to_string())
            .collect(),
    }
}

/// A record's key as a person reads it: the parts of a composite key ("figure|unit|2021-01-01")
/// apart, dates as dd/mm/yyyy.
fn key_words(key: &str) -> String {
    key.split('|')
        .map(
            |part| match chrono::NaiveDate::parse_from_str(part, "%Y-%m-%d") {
                Ok(date) => format::date(date),
                Err(_) => part.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join(" · ")
}

impl AuditRow {
    fn of(e: Entry) -> AuditRow {
        let at = e
            .time()
            .map(|t| {
                t.with_timezone(&chrono::Local)
                    .format("%d/%m/%Y %H:%M:%S")
                    .to_string()
            })
            .unwrap_or_else(|| e.at.clone());
        AuditRow {
            at,
            actor: e.actor,
            action: action_label(&e.action),
            kind: kind_label(&e.record_kind),
            key: key_words(&e.record_key),
            changes: changes(&e.before_json, &e.after_json),
        }
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    q: AuditQuery,
    rows: Vec<AuditRow>,
    older_link: String,
    kinds: Vec<super::Choice>,
}

/// Audit rows per page.
const AUDIT_PAGE: usize = 100;

pub async fn audit(
    Ui(identity, lang): Ui,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let auditor = identity.access.auditor()?;
    let mut problems = Vec::new();
    let from = crate::params::date_field("from", &q.from, &mut problems);
    let to = crate::params::date_field("to", &q.to, &mut problems);
    let before_id = match q.before.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                problems.push((
                    "before".into(),
                    format!("«{text}» không phải số dòng nhật ký"),
                ));
                None
            }
        },
    };
    if !problems.is_empty() {
        return Err(AppError::fields(problems));
    }
    let filter = Filter {
        actor: Some(q.actor.clone()),
        record_kind: Some(q.kind.clone()),
        record_key: Some(q.key.clone()),
        from,
        to,
        before_id,
        limit: AUDIT_PAGE,
        within: None,
    };
    let entries = auditor.list(&filter).await?;
    let older_link = match entries.last() {
        Some(last) if entries.len() == AUDIT_PAGE => format!(
            "/admin/audit{}",
            query(&[
                ("actor", &q.actor),
                ("kind", &q.kind),
                ("key", &q.key),
                ("from", &q.from),
                ("to", &q.to),
                ("before", &last.id.to_string())
            ])
        ),
        _ => String::new(),
    };
    let rows: Vec<AuditRow> = entries.into_iter().map(AuditRow::of).collect();
    let kinds = super::choices(
        &q.kind,
        std::iter::once((String::new(), lang.texts().any.to_string()))
            .chain(
                KIND_FILTER
                    .iter()
                    .map(|(code, label)| (code.to_string(), label.to_string())),
            )
            .collect(),
    );
    let page = AuditPage {
        c: Chrome::new(
            &identity,
            lang,
            lang.texts().audit_title,
            "audit",
            "/admin/audit",
        ),
        q,
        rows,
        older_link,
        kinds,
    };
    Ok(render(&page)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_logged_change_reads_field_by_field_in_words() {
        let before = r#"{"full_name": "Nguyễn Văn An", "birth_date": "1980-02-01", "phone": "", "theory_level": null, "version": 3}"#;
        let after = r#"{"full_name": "Nguyễn Văn Ân", "birth_date": "1980-02-01", "phone": "0912", "theory_level": "intermediate", "version": 4}"#;
        assert_eq!(
            changes(before, after),
            vec![
                "Họ và tên: Nguyễn Văn An → Nguyễn Văn Ân",
                "Lý luận chính trị: (trống) → Trung cấp",
                "Điện thoại: (trống) → 0912",
            ]
        );
        let event = r#"{"kind": "transfer_in", "date": "2021-05-10", "to_unit_id": 7, "to_unit": "Chi bộ thôn Nà Làng (CA)", "note": ""}"#;
        assert_eq!(
            changes("", event),
            vec![
                "Loại: Chuyển đến",
                "Ngày: 10/05/2021",
                "Đến đơn vị: Chi bộ thôn Nà Làng (CA)"
            ],
            "a new record lists its fields, ids left out, units by name"
        );
        assert_eq!(action_label("event.record"), "Ghi sự kiện");
        assert_eq!(
            changes(r#"{"national_id": ""}"#, r#"{"national_id": "001"}"#),
            vec!["Số định danh: (trống) → 001"],
            "a national id is no internal id"
        );
        assert_eq!(
            key_words("members.total|X1|2021-01-01"),
            "members.total · X1 · 01/01/2021"
        );
        assert_eq!(kind_label("member"), "Đảng viên");
    }
}
