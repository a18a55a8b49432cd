//! Dangbo's web app: server-rendered Vietnamese pages, a JSON API with its OpenAPI document, and
//! the sign-in, session, CSRF and audit plumbing around them. Every handler reaches the records only
//! through a scoped [`dangbo_store::access::Access`] handle built from the signed-in identity.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use dangbo_domain::access::Capability;
use dangbo_store::Db;
use dangbo_store::access::{Dataset, Table};

pub mod api;
mod error;
mod format;
mod guard;
pub mod i18n;
mod log;
mod params;
mod session;
mod ui;
mod upload;

pub use error::AppError;

/// An uploaded file waiting for the user to confirm its import.
pub struct PendingImport {
    pub owner: String,
    pub dataset: Dataset,
    pub file_name: String,
    pub table: Table,
    pub created: std::time::Instant,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub pending_imports: Arc<Mutex<HashMap<String, PendingImport>>>,
    /// Mark cookies `Secure` (when served behind HTTPS).
    pub secure_cookies: bool,
    /// Shown under the sign-in form (the demo's accounts); empty otherwise.
    pub sign_in_hint: String,
    /// Figures computed since the last change, shared by all requests.
    pub figure_cache: Arc<dangbo_store::access::FigureCache>,
    /// The header a trusted reverse proxy puts the client's address in (`X-Forwarded-For`);
    /// `None` when the app is reached directly, so a client cannot choose its own address.
    pub client_ip_header: Option<axum::http::HeaderName>,
}

impl AppState {
    pub fn new(db: Db) -> AppState {
        AppState {
            db,
            pending_imports: Arc::new(Mutex::new(HashMap::new())),
            secure_cookies: false,
            sign_in_hint: String::new(),
            figure_cache: Arc::default(),
            client_ip_header: None,
        }
    }

    /// Trusts this header (written by a reverse proxy) for the client's address; the error says
    /// why a name is not a header name.
    pub fn trust_client_ip_header(&mut self, name: &str) -> Result<(), String> {
        let name = axum::http::HeaderName::try_from(name.trim()).map_err(|_| {
            format!("«{name}» không phải tên tiêu đề HTTP (ví dụ đúng: X-Forwarded-For)")
        })?;
        self.client_ip_header = Some(name);
        Ok(())
    }
}

/// Who may reach a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user or API token.
    SignedIn,
    /// A signed-in user or token whose role has this capability.
    Can(Capability),
    /// A signed-in user or token whose role has one of these capabilities.
    CanAny(&'static [Capability]),
}

/// Who may import some kind of file: the membership records' importers, those who write the
/// work programmes (who import documents and targets only), the inspection commission (its
/// cases only) and those who keep the cadres' records (the training facts).
const IMPORTERS: &[Capability] = &[
    Capability::Import,
    Capability::WriteProgrammes,
    Capability::Inspect,
    Capability::ManageCadres,
];

/// One route of the app, for the access test that checks every route for every role.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub need: Need,
}

/// Declares the routes once: the router and the [`ROUTES`] table come from the same list, so the
/// access test cannot miss a route.
macro_rules! routes {
    ($($method:ident $path:literal => $handler:path, $need:expr;)+) => {
        /// Every route of the app with who may reach it.
        pub const ROUTES: &[Route] = &[$(Route { method: stringify!($method), path: $path, need: $need }),+];

        fn add_routes(router: Router<AppState>) -> Router<AppState> {
            router $(.route($path, axum::routing::$method($handler)))+
        }
    };
}

use Capability as C;
routes! {
    get "/" => ui::dashboard::page, Need::SignedIn;
    get "/sign-in" => ui::account::sign_in_page, Need::Public;
    post "/sign-in" => ui::account::sign_in, Need::Public;
    post "/sign-out" => ui::account::sign_out, Need::SignedIn;
    get "/account/password" => ui::account::password_page, Need::SignedIn;
    post "/account/password" => ui::account::change_password, Need::SignedIn;
    get "/language/{lang}" => ui::account::switch_language, Need::Public;
    get "/static/app.css" => ui::assets::css, Need::Public;
    get "/static/app.js" => ui::assets::js, Need::Public;
    get "/static/favicon.svg" => ui::assets::favicon, Need::Public;
    get "/favicon.ico" => ui::assets::favicon, Need::Public;
    get "/figures/{key}" => ui::dashboard::drill_down, Need::SignedIn;
    get "/figures/{key}/export.xlsx" => ui::dashboard::drill_down_export, Need::SignedIn;
    get "/table" => ui::table::page, Need::SignedIn;
    get "/targets" => ui::targets::page, Need::SignedIn;
    post "/targets/{target}/values" => ui::targets::report_value, Need::Can(C::WriteProgrammes);
    get "/documents" => ui::documents::list, Need::SignedIn;
    get "/documents/new" => ui::documents::new_page, Need::Can(C::WriteProgrammes);
    post "/documents" => ui::documents::create, Need::Can(C::WriteProgrammes);
    get "/documents/{id}" => ui::documents::page, Need::SignedIn;
    post "/documents/{id}/targets" => ui::documents::add_target, Need::Can(C::WriteProgrammes);
    post "/documents/{id}/targets/{target}/value" => ui::documents::report_value, Need::Can(C::WriteProgrammes);
    post "/documents/{id}/tasks" => ui::documents::add_task, Need::Can(C::WriteProgrammes);
    post "/documents/{id}/file" => ui::documents::attach_file, Need::Can(C::WriteProgrammes);
    get "/documents/{id}/file" => ui::documents::download_file, Need::SignedIn;
    post "/documents/{id}/tasks/{task}/reports" => ui::documents::report_task, Need::Can(C::WriteProgrammes);
    get "/tasks" => ui::tasks::page, Need::SignedIn;
    post "/tasks/{task}/reports" => ui::tasks::report, Need::Can(C::WriteProgrammes);
    get "/targets.xlsx" => ui::targets::export, Need::SignedIn;
    get "/table.xlsx" => ui::table::export, Need::SignedIn;
    get "/candidates" => ui::admission::board, Need::SignedIn;
    get "/candidates/new" => ui::admission::new_page, Need::Can(C::Admit);
    post "/candidates" => ui::admission::create, Need::Can(C::Admit);
    get "/candidates/due" => ui::admission::due, Need::SignedIn;
    get "/candidates/due.xlsx" => ui::admission::due_export, Need::SignedIn;
    get "/candidates/{code}" => ui::admission::page, Need::SignedIn;
    post "/candidates/{code}/steps" => ui::admission::record_step, Need::Can(C::Admit);
    post "/candidates/{code}/introducers" => ui::admission::add_introducer, Need::Can(C::Admit);
    get "/classes" => ui::admission::classes::list, Need::SignedIn;
    post "/classes" => ui::admission::classes::create, Need::Can(C::Admit);
    get "/classes/{id}" => ui::admission::classes::page, Need::SignedIn;
    post "/classes/{id}/trainees" => ui::admission::classes::add_trainee, Need::Can(C::Admit);
    get "/inspections" => ui::inspection::list, Need::SignedIn;
    post "/inspections" => ui::inspection::create, Need::Can(C::Inspect);
    get "/inspections/plan" => ui::inspection::plan, Need::SignedIn;
    post "/inspections/plan" => ui::inspection::add_plan_item, Need::Can(C::Inspect);
    get "/inspections/{code}" => ui::inspection::page, Need::SignedIn;
    post "/inspections/{code}/start" => ui::inspection::start, Need::Can(C::Inspect);
    post "/inspections/{code}/conclusion" => ui::inspection::conclude, Need::Can(C::Inspect);
    post "/inspections/{code}/decisions" => ui::inspection::decide, Need::Can(C::Inspect);
    post "/inspections/{code}/complaints" => ui::inspection::complain, Need::Can(C::Inspect);
    post "/inspections/{code}/settlements" => ui::inspection::settle, Need::Can(C::Inspect);
    post "/inspections/{code}/files" => ui::inspection::attach_file, Need::Can(C::Inspect);
    get "/inspections/{code}/files/{id}" => ui::inspection::download_file, Need::SignedIn;
    get "/cadres" => ui::cadres::posts, Need::SignedIn;
    post "/cadres/holdings" => ui::cadres::record, Need::Can(C::ManageCadres);
    post "/cadres/holdings/end" => ui::cadres::end, Need::Can(C::ManageCadres);
    get "/cadres/moves" => ui::cadres::moves, Need::SignedIn;
    get "/cadres/standards" => ui::cadres::standards, Need::SignedIn;
    get "/cadres/persons" => ui::cadres::persons, Need::SignedIn;
    post "/cadres/persons" => ui::cadres::add_person, Need::Can(C::ManageCadres);
    get "/cadres/persons/{code}" => ui::cadres::person, Need::SignedIn;
    post "/cadres/persons/{code}/training" => ui::cadres::add_fact, Need::Can(C::ManageCadres);
    get "/study" => ui::study::list, Need::SignedIn;
    post "/study" => ui::study::create, Need::Can(C::ManageStudy);
    get "/study/{code}" => ui::study::page, Need::SignedIn;
    post "/study/{code}/counts" => ui::study::record_counts, Need::Can(C::ManageStudy);
    post "/study/{code}/attendance" => ui::study::record_sheet, Need::Can(C::ManageStudy);
    post "/study/{code}/file" => ui::study::import_sheet, Need::Can(C::ManageStudy);
    get "/ratings" => ui::ratings::review, Need::SignedIn;
    get "/ratings/results.xlsx" => ui::ratings::export, Need::SignedIn;
    get "/ratings/{code}" => ui::ratings::grid::grid, Need::SignedIn;
    post "/ratings/{code}" => ui::ratings::grid::save, Need::Can(C::Rate);
    post "/ratings/{code}/proposals" => ui::ratings::grid::propose, Need::Can(C::ProposeRatings);
    get "/ratings/{code}/sheet.xlsx" => ui::ratings::grid::sheet, Need::SignedIn;
    get "/ratings/{code}/units" => ui::ratings::units::grid, Need::Can(C::Rate);
    post "/ratings/{code}/units" => ui::ratings::units::save, Need::Can(C::Rate);
    get "/units" => ui::units::tree, Need::SignedIn;
    get "/units/pick" => ui::units::pick, Need::SignedIn;
    get "/units/{code}" => ui::units::unit_page, Need::SignedIn;
    get "/members" => ui::members::list, Need::SignedIn;
    get "/members/export.xlsx" => ui::members::export, Need::SignedIn;
    get "/members/{code}" => ui::members::member_page, Need::SignedIn;
    post "/members/{code}" => ui::members::update, Need::Can(C::EditMembers);
    post "/members/{code}/events" => ui::members::record_event, Need::Can(C::EditMembers);
    get "/import" => ui::import::page, Need::CanAny(IMPORTERS);
    post "/import" => ui::import::upload, Need::CanAny(IMPORTERS);
    get "/import/help" => ui::import::help, Need::CanAny(IMPORTERS);
    get "/import/template/{dataset}" => ui::import::template, Need::CanAny(IMPORTERS);
    post "/import/{id}/confirm" => ui::import::confirm, Need::CanAny(IMPORTERS);
    post "/import/{id}/cancel" => ui::import::cancel, Need::CanAny(IMPORTERS);
    get "/restructure" => ui::restructure::page, Need::Can(C::Restructure);
    post "/restructure" => ui::restructure::submit, Need::Can(C::Restructure);
    get "/admin/audit" => ui::admin::audit, Need::Can(C::ReadAudit);
    get "/admin/users" => ui::admin::users, Need::Can(C::ManageUsers);
    post "/admin/users" => ui::admin::add_user, Need::Can(C::ManageUsers);
    post "/admin/users/{username}/disable" => ui::admin::disable_user, Need::Can(C::ManageUsers);
    post "/admin/users/{username}/enable" => ui::admin::enable_user, Need::Can(C::ManageUsers);
    post "/admin/users/{username}/password" => ui::admin::reset_password, Need::Can(C::ManageUsers);
    post "/admin/tokens" => ui::admin::add_token, Need::Can(C::ManageUsers);
    post "/admin/tokens/{id}/revoke" => ui::admin::revoke_token, Need::Can(C::ManageUsers);
    get "/api/v1/units" => api::units::units, Need::SignedIn;
    get "/api/v1/units/{code}" => api::units::unit, Need::SignedIn;
    get "/api/v1/members" => api::members::members, Need::SignedIn;
    get "/api/v1/members/{code}" => api::members::member, Need::SignedIn;
    put "/api/v1/members/{code}" => api::members::update_member, Need::Can(C::EditMembers);
    get "/api/v1/members/{code}/events" => api::members::member_events, Need::SignedIn;
    post "/api/v1/members/{code}/events" => api::members::record_event, Need::Can(C::EditMembers);
    get "/api/v1/figures" => api::figures::figures, Need::SignedIn;
    get "/api/v1/figures/table" => api::figures::table, Need::SignedIn;
    get "/api/v1/figures/{key}/records" => api::figures::figure_records, Need::SignedIn;
    post "/api/v1/import" => api::import::import, Need::CanAny(IMPORTERS);
    get "/api/v1/reported" => api::reported::list, Need::SignedIn;
    post "/api/v1/reported" => api::reported::define, Need::Can(C::ReportValues);
    get "/api/v1/reported/values" => api::reported::values, Need::SignedIn;
    get "/api/v1/targets" => api::programmes::targets, Need::SignedIn;
    post "/api/v1/targets" => api::programmes::add_target, Need::Can(C::WriteProgrammes);
    post "/api/v1/targets/{id}/values" => api::programmes::report_value, Need::Can(C::WriteProgrammes);
    get "/api/v1/documents" => api::programmes::documents, Need::SignedIn;
    post "/api/v1/documents" => api::programmes::add_document, Need::Can(C::WriteProgrammes);
    get "/api/v1/documents/{id}" => api::programmes::document, Need::SignedIn;
    get "/api/v1/tasks" => api::programmes::tasks, Need::SignedIn;
    post "/api/v1/tasks" => api::programmes::add_task, Need::Can(C::WriteProgrammes);
    post "/api/v1/tasks/{id}/reports" => api::programmes::report_task, Need::Can(C::WriteProgrammes);
    post "/api/v1/reported/values" => api::reported::record, Need::Can(C::ReportValues);
    get "/api/v1/ratings" => api::ratings::ratings, Need::SignedIn;
    post "/api/v1/ratings" => api::ratings::rate, Need::Can(C::Rate);
    get "/api/v1/inspections" => api::inspections::cases, Need::SignedIn;
    post "/api/v1/inspections" => api::inspections::add_case, Need::Can(C::Inspect);
    get "/api/v1/inspections/plan" => api::inspections::plan, Need::SignedIn;
    post "/api/v1/inspections/plan" => api::inspections::add_plan_item, Need::Can(C::Inspect);
    get "/api/v1/inspections/{code}" => api::inspections::case, Need::SignedIn;
    post "/api/v1/inspections/{code}/conclusion" => api::inspections::conclude, Need::Can(C::Inspect);
    post "/api/v1/inspections/{code}/decisions" => api::inspections::decide, Need::Can(C::Inspect);
    post "/api/v1/inspections/{code}/complaints" => api::inspections::complain, Need::Can(C::Inspect);
    post "/api/v1/inspections/{code}/settlements" => api::inspections::settle, Need::Can(C::Inspect);
    get "/api/v1/cadres/posts" => api::cadres::posts, Need::SignedIn;
    get "/api/v1/cadres/moves" => api::cadres::moves, Need::SignedIn;
    get "/api/v1/cadres/compliance" => api::cadres::compliance, Need::SignedIn;
    post "/api/v1/cadres/holdings" => api::cadres::add_holding, Need::Can(C::ManageCadres);
    post "/api/v1/cadres/holdings/{id}/end" => api::cadres::end_holding, Need::Can(C::ManageCadres);
    post "/api/v1/persons" => api::cadres::add_person, Need::Can(C::ManageCadres);
    get "/api/v1/persons/{code}" => api::cadres::person, Need::SignedIn;
    post "/api/v1/persons/{code}/training" => api::cadres::add_fact, Need::Can(C::ManageCadres);
    get "/api/v1/study" => api::study::sessions, Need::SignedIn;
    post "/api/v1/study" => api::study::add_session, Need::Can(C::ManageStudy);
    get "/api/v1/study/{code}" => api::study::session, Need::SignedIn;
    post "/api/v1/study/{code}/counts" => api::study::record_counts, Need::Can(C::ManageStudy);
    post "/api/v1/study/{code}/attendance" => api::study::record_attendance, Need::Can(C::ManageStudy);
    get "/api/v1/candidates" => api::admission::candidates, Need::SignedIn;
    post "/api/v1/candidates" => api::admission::add_candidate, Need::Can(C::Admit);
    get "/api/v1/candidates/due" => api::admission::due, Need::SignedIn;
    get "/api/v1/candidates/{code}" => api::admission::candidate, Need::SignedIn;
    post "/api/v1/candidates/{code}/steps" => api::admission::record_step, Need::Can(C::Admit);
}

/// The whole app: pages, API, Swagger UI, with identity and CSRF checks in front of every route.
pub fn router(state: AppState) -> Router {
    let swagger =
        utoipa_swagger_ui::SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", api::openapi());
    add_routes(Router::new())
        .fallback(ui::not_found)
        // Runs inside `identify`, so the log line knows who asked.
        .layer(axum::middleware::from_fn(log::requests))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::identify,
        ))
        // An import file at its size limit, with room for the form around it.
        .layer(DefaultBodyLimit::max(
            dangbo_store::access::LIMITS.file_bytes as usize + 1024 * 1024,
        ))
        .with_state(state)
        .merge(swagger)
        // Outermost, so Swagger UI and every error answer pass through them too.
        .layer(axum::middleware::from_fn(guard::refuse_control_characters))
        .layer(axum::middleware::from_fn(guard::security_headers))
}

/// Serves the app on `addr` until Ctrl-C; calls `ready` with the bound address once listening.
pub async fn serve(
    state: AppState,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    ready(listener.local_addr()?);
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
