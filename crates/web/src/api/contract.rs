//! The API's contract made exact, on top of what the handlers' annotations generate: every response
//! described, the error statuses every route can answer (with the error envelope) listed on every
//! route, and the parameters and bodies narrowed to what the server accepts (closed lists, the
//! date forms, the code alphabet, number ranges). Clients and API testers generate their calls
//! from this, so a constraint stated here is one the server enforces, and none it enforces is
//! left out.

use dangbo_domain::admission::{NominatedBy, Stage, StopReason};
use dangbo_domain::members::events::EventKind;
use dangbo_domain::members::{Sex, TheoryLevel};
use serde_json::{Map, Value, json};

/// The date forms the API accepts: dd/mm/yyyy or yyyy-mm-dd (day and month may have one digit).
const DATE: &str = r"^([0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})$";
/// The same, or empty for "the default".
const DATE_OR_EMPTY: &str = r"^([0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})?$";
/// A code (members, units): see `domain::input`.
const CODE: &str = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$";
const CODE_OR_EMPTY: &str = r"^([A-Za-z0-9][A-Za-z0-9._-]{0,39})?$";
/// Text without control characters (requests with them are refused before any handler).
const TEXT: &str = r"^[^\u0000-\u001F\u007F-\u009F]*$";
/// A figure key, and a comma-separated list of them.
const KEY: &str = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$";
const KEYS: &str = r"^([a-z][a-z0-9_]*(\.[a-z0-9_]+)+(,[a-z][a-z0-9_]*(\.[a-z0-9_]+)+)*)?$";

fn string(pattern: &str) -> Value {
    json!({ "type": "string", "pattern": pattern })
}

/// A closed list; `empty` adds "" (the parameter's default).
fn one_of<'a>(codes: impl IntoIterator<Item = &'a str>, empty: bool) -> Value {
    let mut values: Vec<&str> = if empty { vec![""] } else { Vec::new() };
    values.extend(codes);
    json!({ "type": "string", "enum": values })
}

/// The schema of a parameter, by its name (the same name means the same thing on every route).
fn parameter_schema(name: &str, location: &str) -> Option<Value> {
    Some(match (name, location) {
        ("code", "path") => string(CODE),
        ("key", "path") => string(KEY),
        ("unit", "query") => string(CODE_OR_EMPTY),
        ("date" | "as_of" | "from" | "to" | "on", "query") => string(DATE_OR_EMPTY),
        ("keys", "query") => string(KEYS),
        ("compare_prior" | "all", "query") => one_of(["true", "false", "1", "0"], true),
        ("rows", "query") => one_of(["children", "grassroots"], true),
        ("status", "query") => one_of(["full", "probationary"], true),
        ("sex", "query") => one_of(Sex::ALL.iter().map(|s| s.code()), true),
        ("theory", "query") => one_of(
            TheoryLevel::ALL
                .iter()
                .map(|t| t.code())
                .chain(std::iter::once("unknown")),
            true,
        ),
        ("min_age" | "max_age", "query") => {
            json!({ "type": "integer", "minimum": 0, "maximum": 150 })
        }
        ("limit", "query") => json!({ "type": "integer", "minimum": 1, "maximum": 1000 }),
        ("q" | "after", "query") => json!({ "type": "string", "pattern": TEXT, "maxLength": 500 }),
        ("ethnicity", "query") => json!({ "type": "string", "pattern": TEXT, "maxLength": 100 }),
        ("dataset", "query") => one_of(
            dangbo_store::access::Dataset::ALL.iter().map(|d| d.code()),
            false,
        ),
        ("format", "query") => one_of(["csv", "xlsx"], false),
        ("year", "query") => string(r"^[0-9]{4}$"),
        ("quarter", "query") => one_of(["1", "2", "3"], true),
        ("kind", "query") => one_of(
            dangbo_domain::inspection::CaseKind::ALL
                .iter()
                .map(|k| k.code()),
            true,
        ),
        _ => return None,
    })
}

/// Fields of request bodies narrowed the same way: (schema, field, its schema, required).
fn body_fields() -> Vec<(&'static str, &'static str, Value, bool)> {
    let kinds = one_of(EventKind::ALL.iter().map(|k| k.code()), false);
    let rating_levels = dangbo_domain::ratings::all_level_codes();
    let mut fields = vec![
        ("EventForm", "kind", kinds, true),
        ("EventForm", "date", string(DATE), true),
        ("EventForm", "ceremony_date", string(DATE_OR_EMPTY), false),
        ("EventForm", "end_date", string(DATE_OR_EMPTY), false),
        ("EventForm", "to_unit", string(CODE_OR_EMPTY), false),
        (
            "RecordForm",
            "version",
            json!({ "type": ["string", "integer"], "pattern": "^[0-9]{1,18}$", "description": "The version GET gave (a number, or its text)." }),
            true,
        ),
        (
            "RecordForm",
            "sex",
            one_of(Sex::ALL.iter().map(|s| s.code()), false),
            true,
        ),
        ("RecordForm", "birth_date", string(DATE), true),
        (
            "ReportedFigureIn",
            "key",
            string(r"^reported\.[a-z0-9_]+$"),
            true,
        ),
        (
            "ReportedValueIn",
            "key",
            string(r"^reported\.[a-z0-9_]+$"),
            true,
        ),
        ("ReportedValueIn", "unit", string(CODE), true),
        ("ReportedValueIn", "from", string(DATE), true),
        ("ReportedValueIn", "to", string(DATE), true),
        ("CandidateIn", "code", string(CODE), true),
        ("CandidateIn", "unit", string(CODE_OR_EMPTY), false),
        (
            "CandidateIn",
            "nominated_by",
            one_of(NominatedBy::ALL.iter().map(|n| n.code()), false),
            true,
        ),
        ("CandidateIn", "nominated_on", string(DATE), true),
        (
            "CandidateIn",
            "sex",
            one_of(Sex::ALL.iter().map(|s| s.code()), false),
            true,
        ),
        ("CandidateIn", "birth_date", string(DATE), true),
        (
            "StepIn",
            "stage",
            one_of(
                Stage::ALL
                    .iter()
                    .filter(|s| **s != Stage::Nominated)
                    .map(|s| s.code()),
                false,
            ),
            true,
        ),
        ("StepIn", "on", string(DATE), true),
        ("RatingIn", "member", string(CODE_OR_EMPTY), false),
        ("RatingIn", "unit", string(CODE), true),
        (
            "RatingIn",
            "year",
            json!({ "type": "integer", "minimum": 1990, "maximum": 2100 }),
            true,
        ),
        (
            "RatingIn",
            "quarter",
            json!({ "type": ["integer", "null"], "minimum": 1, "maximum": 3 }),
            false,
        ),
        (
            "RatingIn",
            "level",
            one_of(rating_levels.iter().copied(), false),
            true,
        ),
        (
            "RatingIn",
            "self_level",
            one_of(rating_levels.iter().copied(), true),
            false,
        ),
        (
            "RatingIn",
            "proposed_level",
            one_of(rating_levels.iter().copied(), true),
            false,
        ),
        (
            "RatingIn",
            "points",
            json!({ "type": ["integer", "null"], "minimum": 0, "maximum": 100 }),
            false,
        ),
        (
            "StepIn",
            "reason",
            one_of(StopReason::ALL.iter().map(|r| r.code()), true),
            false,
        ),
    ];
    fields.extend(inspection_fields());
    fields.extend(cadre_fields());
    fields.extend(study_fields());
    fields
}

/// The cadre bodies' fields.
fn cadre_fields() -> Vec<(&'static str, &'static str, Value, bool)> {
    use dangbo_domain::cadres::{Move, Post};
    use dangbo_domain::education::TrainingKind;
    let moves = |empty| one_of(Move::ALL.iter().map(|m| m.code()), empty);
    let mut levels: Vec<&str> = Vec::new();
    for kind in TrainingKind::ALL {
        for level in kind.levels() {
            if !levels.contains(&level) {
                levels.push(level);
            }
        }
    }
    vec![
        ("HoldingIn", "unit", string(CODE), true),
        (
            "HoldingIn",
            "post",
            one_of(Post::ALL.iter().map(|p| p.code()), false),
            true,
        ),
        ("HoldingIn", "holder", string(CODE), true),
        ("HoldingIn", "from", string(DATE), true),
        ("HoldingIn", "to", string(DATE_OR_EMPTY), false),
        (
            "HoldingIn",
            "start_move",
            one_of(
                Move::ALL.iter().filter(|m| m.starts()).map(|m| m.code()),
                false,
            ),
            true,
        ),
        (
            "HoldingIn",
            "start_decided_on",
            string(DATE_OR_EMPTY),
            false,
        ),
        ("HoldingIn", "end_move", moves(true), false),
        ("HoldingEndIn", "to", string(DATE), true),
        ("HoldingEndIn", "end_move", moves(false), true),
        (
            "HoldingEndIn",
            "end_decided_on",
            string(DATE_OR_EMPTY),
            false,
        ),
        ("PersonIn", "code", string(CODE), true),
        ("PersonIn", "unit", string(CODE), true),
        (
            "PersonIn",
            "sex",
            one_of(Sex::ALL.iter().map(|s| s.code()), true),
            false,
        ),
        ("PersonIn", "birth_date", string(DATE_OR_EMPTY), false),
        (
            "FactIn",
            "kind",
            one_of(TrainingKind::ALL.iter().map(|k| k.code()), false),
            true,
        ),
        ("FactIn", "level", one_of(levels, false), true),
        ("FactIn", "on", string(DATE), true),
        (
            "FactIn",
            "proof",
            one_of(["diploma", "equivalence"], true),
            false,
        ),
    ]
}

/// The study bodies' fields.
fn study_fields() -> Vec<(&'static str, &'static str, Value, bool)> {
    use dangbo_domain::education::{Attendance, StudyKind};
    let max = super::study::MAX_COUNT;
    vec![
        ("SessionIn", "code", string(CODE), true),
        ("SessionIn", "unit", string(CODE), true),
        (
            "SessionIn",
            "kind",
            one_of(StudyKind::ALL.iter().map(|k| k.code()), false),
            true,
        ),
        ("SessionIn", "from", string(DATE), true),
        ("SessionIn", "to", string(DATE_OR_EMPTY), false),
        ("CountsIn", "unit", string(CODE), true),
        (
            "CountsIn",
            "attended",
            json!({ "type": ["integer", "null"], "minimum": 0, "maximum": max }),
            false,
        ),
        (
            "CountsIn",
            "expected",
            json!({ "type": ["integer", "null"], "minimum": 0, "maximum": max }),
            false,
        ),
        (
            "CountsIn",
            "non_members",
            json!({ "type": "integer", "minimum": 0, "maximum": max }),
            false,
        ),
        ("MarkIn", "member", string(CODE), true),
        (
            "MarkIn",
            "attendance",
            one_of(Attendance::ALL.iter().map(|a| a.code()), false),
            true,
        ),
    ]
}

/// The inspection bodies' fields.
fn inspection_fields() -> Vec<(&'static str, &'static str, Value, bool)> {
    use dangbo_domain::inspection::{Body, CaseKind, ComplaintResult, Conclusion, Discipline};
    let forms = |empty| one_of(Discipline::ALL.iter().map(|f| f.code()), empty);
    let bodies = || one_of(Body::ALL.iter().map(|b| b.code()), true);
    vec![
        ("CaseIn", "code", string(CODE), true),
        (
            "CaseIn",
            "kind",
            one_of(CaseKind::ALL.iter().map(|k| k.code()), false),
            true,
        ),
        ("CaseIn", "unit", string(CODE), true),
        ("CaseIn", "body", bodies(), false),
        ("CaseIn", "decided_on", string(DATE), true),
        ("CaseIn", "started_on", string(DATE_OR_EMPTY), false),
        (
            "CaseIn",
            "subjects",
            json!({ "type": "array", "items": string(CODE), "minItems": 1, "maxItems": 200 }),
            true,
        ),
        ("ConclusionIn", "concluded_on", string(DATE), true),
        ("SubjectConclusionIn", "subject", string(CODE), true),
        (
            "SubjectConclusionIn",
            "conclusion",
            one_of(Conclusion::ALL.iter().map(|c| c.code()), false),
            true,
        ),
        ("DecisionIn", "subject", string(CODE), true),
        ("DecisionIn", "form", forms(false), true),
        ("DecisionIn", "decided_by", string(CODE), true),
        ("DecisionIn", "body", bodies(), false),
        ("DecisionIn", "decided_on", string(DATE), true),
        ("DecisionIn", "violation_on", string(DATE), true),
        (
            "DecisionIn",
            "move_members_to",
            string(CODE_OR_EMPTY),
            false,
        ),
        ("ComplaintIn", "received_on", string(DATE), true),
        ("ComplaintIn", "settling_unit", string(CODE), true),
        ("SettlementIn", "settled_on", string(DATE), true),
        (
            "SettlementIn",
            "result",
            one_of(ComplaintResult::ALL.iter().map(|r| r.code()), false),
            true,
        ),
        ("SettlementIn", "new_form", forms(true), false),
        ("PlanItemIn", "unit", string(CODE), true),
        (
            "PlanItemIn",
            "year",
            json!({ "type": "integer", "minimum": 1990, "maximum": 2100 }),
            true,
        ),
        (
            "PlanItemIn",
            "kind",
            one_of(
                CaseKind::ALL
                    .iter()
                    .filter(|k| k.is_inspection() || k.is_supervision())
                    .map(|k| k.code()),
                false,
            ),
            true,
        ),
        ("PlanItemIn", "subject", string(CODE), true),
        ("PlanItemIn", "planned_from", string(DATE), true),
        ("PlanItemIn", "planned_to", string(DATE), true),
    ]
}

/// The error responses, shared by every route that can give them.
fn error_responses() -> Value {
    let envelope = |description: &str| {
        json!({
            "description": description,
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorEnvelope" } } }
        })
    };
    json!({
        "BadRequest": envelope("A parameter or the body cannot be read (a date, a number, JSON, a control character); `details` names each field."),
        "Unauthorized": envelope("No valid API token (`Authorization: Bearer …`) or session."),
        "Forbidden": envelope("The token's role may not do this."),
        "NotFound": envelope("No such record inside the token's scope (a record outside it reads as absent)."),
        "Conflict": envelope("The record changed since it was read (`member.stale`): read it again."),
        "PayloadTooLarge": envelope("The body is larger than the limit of every request body (that of an import file)."),
        "Unprocessable": envelope("Refused by a rule or a field's check; `rule` and `details` say which."),
    })
}

/// A description for a status the annotations left without one.
fn describe(status: &str) -> &'static str {
    match status {
        "200" => "OK.",
        "201" => "Created.",
        "400" => "A parameter or the body cannot be read.",
        "401" => "No valid API token or session.",
        "403" => "The token's role may not do this.",
        "404" => "Not found inside the token's scope.",
        "409" => "The record changed since it was read.",
        "422" => "Refused by a rule or a field's check.",
        _ => "See the error envelope.",
    }
}

fn response_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/responses/{name}") })
}

/// Makes the generated document exact (see the module's comment).
pub(super) fn refine(document: &mut Value) {
    let components = &mut document["components"];
    components["responses"] = error_responses();
    // The annotation cannot say "a count, a ratio or a reported value".
    components["schemas"]["FigureValue"] = json!({
        "description": "A count is an integer; a ratio `{numerator, denominator, percent}`; a reported value `{value, source, from, to}`; null when nothing was reported.",
        "oneOf": [
            { "type": "integer", "minimum": 0 },
            {
                "type": "object",
                "required": ["numerator", "denominator", "percent"],
                "properties": {
                    "numerator": { "type": "integer", "minimum": 0 },
                    "denominator": { "type": "integer", "minimum": 0 },
                    "percent": { "type": ["number", "null"], "description": "Null when the denominator is 0." }
                }
            },
            {
                "type": "object",
                "required": ["value", "source", "from", "to"],
                "properties": {
                    "value": { "type": "number" },
                    "source": { "type": "string" },
                    "from": { "type": "string", "format": "date" },
                    "to": { "type": "string", "format": "date" }
                }
            },
            { "type": "null" }
        ]
    });
    for field in ["value", "prior"] {
        components["schemas"]["FigureOut"]["properties"][field] =
            json!({ "$ref": "#/components/schemas/FigureValue" });
    }
    for (schema, field, narrowed, required) in body_fields() {
        let object = &mut components["schemas"][schema];
        let description = object["properties"][field]["description"].clone();
        let mut narrowed = narrowed;
        if !description.is_null() {
            narrowed["description"] = description;
        }
        object["properties"][field] = narrowed;
        if required {
            let list = object["required"].as_array().cloned().unwrap_or_default();
            if !list.iter().any(|f| f == field) {
                let mut list = list;
                list.push(json!(field));
                object["required"] = Value::Array(list);
            }
        }
    }
    // An update sends the whole record: every field is required.
    let record = &mut components["schemas"]["RecordForm"];
    if let Some(fields) = record["properties"].as_object() {
        let all: Vec<Value> = fields.keys().map(|k| json!(k)).collect();
        record["required"] = Value::Array(all);
    }
    let Some(paths) = document["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, operation) in item.iter_mut() {
            refine_operation(path, method, operation);
        }
    }
}

fn refine_operation(path: &str, method: &str, operation: &mut Value) {
    if let Some(parameters) = operation["parameters"].as_array_mut() {
        // The records behind one figure take no list of figures and no comparison.
        if path.ends_with("/records") {
            parameters.retain(|p| p["name"] != "keys" && p["name"] != "compare_prior");
        }
        for parameter in parameters.iter_mut() {
            let name = parameter["name"].as_str().unwrap_or_default().to_string();
            let location = parameter["in"].as_str().unwrap_or_default().to_string();
            if let Some(schema) = parameter_schema(&name, &location) {
                parameter["schema"] = schema;
            }
        }
    }
    // A code in the path or a unit asked for may not exist inside the scope.
    let names_a_record = operation["parameters"]
        .as_array()
        .is_some_and(|parameters| {
            parameters
                .iter()
                .any(|p| matches!(p["name"].as_str(), Some("code" | "key" | "unit")))
        });
    let Some(responses) = operation["responses"].as_object_mut() else {
        return;
    };
    for (status, response) in responses.iter_mut() {
        let described = response["description"]
            .as_str()
            .is_some_and(|d| !d.is_empty());
        if !described && response.get("$ref").is_none() {
            response["description"] = json!(describe(status));
        }
    }
    // Every route reads parameters or a body and needs a token.
    let mut errors: Map<String, Value> = Map::new();
    errors.insert("400".into(), response_ref("BadRequest"));
    errors.insert("401".into(), response_ref("Unauthorized"));
    let writes = method != "get";
    if writes {
        errors.insert("403".into(), response_ref("Forbidden"));
        errors.insert("422".into(), response_ref("Unprocessable"));
    }
    if names_a_record {
        errors.insert("404".into(), response_ref("NotFound"));
    }
    // Every body has the same size limit.
    if writes {
        errors.insert("413".into(), response_ref("PayloadTooLarge"));
    }
    for (status, reference) in errors {
        // A route's own, more precise, description stays.
        responses.entry(status).or_insert(reference);
    }
}
