//! The contract is exact: the served OpenAPI document has no reference to a schema it does not
//! define, its answers conform to their schemas, and the rules the server enforces before any
//! handler (paging bounds, `Idempotency-Key`, capped field errors) answer as documented.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use chrono::Duration;
use pingjia_server::error::MAX_FIELD_ERRORS;
use serde_json::{Value, json};

use crate::common::{AdminClient, TestApp, body_json, header, problem};

/// The served document.
pub async fn document() -> Value {
    let app = TestApp::new().await;
    body_json(app.get("/api/v1/openapi.json").await).await
}

/// Where `value` departs from `schema` (resolving `$ref`s in `document`): the first path and
/// reason. Covers the keywords the document uses: `$ref`, `type` (with `null`), `properties`,
/// `required`, `additionalProperties`, `items`, `enum`, `oneOf`/`anyOf`/`allOf`, `minimum`,
/// `maximum`, `minLength`, `maxLength`.
pub fn conforms(document: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let target = resolve(document, reference)
            .ok_or_else(|| format!("{at}: dangling reference {reference}"))?;
        return conforms(document, target, value, at);
    }
    if let Some(types) = types_of(schema) {
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let fits = types
            .iter()
            .any(|t| t == actual || (t == "number" && actual == "integer"));
        if !fits {
            return Err(format!("{at}: a {actual}, the schema says {types:?}"));
        }
    }
    if let Some(values) = schema["enum"].as_array()
        && !values.contains(value)
    {
        return Err(format!("{at}: {value} is not one of {values:?}"));
    }
    if let Some(n) = value.as_f64() {
        if schema["minimum"].as_f64().is_some_and(|min| n < min) {
            return Err(format!("{at}: {n} is below the minimum"));
        }
        if schema["maximum"].as_f64().is_some_and(|max| n > max) {
            return Err(format!("{at}: {n} is above the maximum"));
        }
    }
    if let Some(text) = value.as_str() {
        let length = text.chars().count() as u64;
        if schema["minLength"].as_u64().is_some_and(|min| length < min)
            || schema["maxLength"].as_u64().is_some_and(|max| length > max)
        {
            return Err(format!("{at}: {text:?} has the wrong length"));
        }
    }
    if let Some(all) = schema["allOf"].as_array() {
        for part in all {
            conforms(document, part, value, at)?;
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alternatives) = schema[key].as_array() {
            let fitting = alternatives
                .iter()
                .filter(|a| conforms(document, a, value, at).is_ok())
                .count();
            if fitting == 0 || (key == "oneOf" && fitting > 1) {
                return Err(format!("{at}: {fitting} alternatives of {key} fit {value}"));
            }
        }
    }
    if let Value::Object(object) = value {
        let properties = schema["properties"].as_object();
        for required in schema["required"].as_array().into_iter().flatten() {
            let name = required.as_str().unwrap_or_default();
            if !object.contains_key(name) {
                return Err(format!("{at}: the required `{name}` is missing"));
            }
        }
        for (name, field) in object {
            let at = format!("{at}.{name}");
            match properties.and_then(|p| p.get(name)) {
                Some(property) => conforms(document, property, field, &at)?,
                None => match &schema["additionalProperties"] {
                    Value::Bool(false) => return Err(format!("{at}: not in the schema")),
                    extra @ Value::Object(_) => conforms(document, extra, field, &at)?,
                    // Unknown fields must be in the schema when it lists its properties.
                    _ if properties.is_some() => return Err(format!("{at}: not in the schema")),
                    _ => {}
                },
            }
        }
    }
    if let (Value::Array(items), Some(item)) = (value, schema.get("items")) {
        for (index, element) in items.iter().enumerate() {
            conforms(document, item, element, &format!("{at}[{index}]"))?;
        }
    }
    Ok(())
}

fn types_of(schema: &Value) -> Option<Vec<String>> {
    match &schema["type"] {
        Value::String(t) => Some(vec![t.clone()]),
        Value::Array(ts) => Some(
            ts.iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect(),
        ),
        _ => None,
    }
}

fn resolve<'a>(document: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    document.pointer(pointer).filter(|v| !v.is_null())
}

/// The schema of the JSON answer `status` of `method path`.
pub fn response_schema<'a>(
    document: &'a Value,
    method: &str,
    path: &str,
    status: &str,
) -> &'a Value {
    let schema = &document["paths"][path][method]["responses"][status]["content"]["application/json"]
        ["schema"];
    assert!(
        schema.is_object(),
        "{method} {path} {status} has no JSON schema"
    );
    schema
}

fn references(value: &Value, found: &mut BTreeSet<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                match (key.as_str(), child) {
                    ("$ref", Value::String(reference)) => {
                        found.insert(reference.clone());
                    }
                    _ => references(child, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, found)),
        _ => {}
    }
}

#[tokio::test]
async fn every_reference_of_the_document_names_a_schema_it_defines() {
    let document = document().await;
    let mut found = BTreeSet::new();
    references(&document, &mut found);
    assert!(found.len() > 100, "{found:?}");
    let dangling: Vec<&String> = found
        .iter()
        .filter(|r| resolve(&document, r).is_none())
        .collect();
    assert!(dangling.is_empty(), "no such schemas: {dangling:?}");
}

#[tokio::test]
async fn the_validator_finds_what_departs_from_a_schema() {
    let document = document().await;
    let score = json!({ "$ref": "#/components/schemas/QaDimensionScore" });
    assert!(
        conforms(
            &document,
            &score,
            &json!({"dimension_id": 1, "score": 4}),
            "$"
        )
        .is_ok()
    );
    for wrong in [
        json!({"dimension_id": 1}),
        json!({"dimension_id": 1, "score": 0}),
        json!({"dimension_id": 1, "score": 4, "name_zh": "x"}),
        json!({"code": "attitude", "name_zh": "x", "name_en": "x", "optional": false}),
    ] {
        assert!(conforms(&document, &score, &wrong, "$").is_err(), "{wrong}");
    }
}

#[tokio::test]
async fn request_bodies_reject_what_their_schemas_reject() {
    // Two Rust types named `Decision` shared one schema: the appeal decision's body said
    // `keep`, `delete` or `restore`.
    let document = document().await;
    let body = &document["paths"]["/api/v1/appeals/{id}/decision"]["post"]["requestBody"]["content"]
        ["application/json"]["schema"];
    let approve = json!({ "decision": "approve", "reason": "核实属实" });
    assert_eq!(conforms(&document, body, &approve, "$"), Ok(()));
    let keep = json!({ "decision": "keep", "reason": "核实属实" });
    assert!(conforms(&document, body, &keep, "$").is_err());
}

#[tokio::test]
async fn a_page_beyond_the_last_is_refused_as_the_document_says() {
    let admin = AdminClient::new().await;
    for uri in [
        "/api/v1/users?page=2147483648",
        "/api/v1/users?page=100001",
        "/api/v1/audit-log?page=4294967295",
        "/api/v1/service-records?page=100001&per_page=100",
    ] {
        let p = problem(admin.get(uri).await, 422).await;
        assert_eq!(p.errors[0].field, "page", "{uri}");
    }
    let response = admin.get("/api/v1/users?page=100000").await;
    assert_eq!(response.status(), StatusCode::OK);

    let document = document().await;
    let mut pages = 0;
    for item in document["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                if parameter["name"] == "page" {
                    pages += 1;
                    assert_eq!(
                        parameter["schema"]["maximum"],
                        json!(100_000),
                        "{operation}"
                    );
                    assert_eq!(parameter["schema"]["minimum"], json!(1));
                }
                if parameter["name"] == "per_page" {
                    assert!(parameter["schema"]["maximum"].is_u64(), "{operation}");
                    assert_eq!(parameter["schema"]["minimum"], json!(1), "{operation}");
                }
            }
        }
    }
    assert!(pages >= 8, "{pages}");
}

#[tokio::test]
async fn a_422_lists_at_most_20_fields_and_counts_them_all() {
    // A submission scoring 20,000 dimensions the form does not have: each is an error, but
    // the answer does not grow with the request (it was 12.6 MB for 120,000 codes).
    let app = TestApp::new().await;
    let people = app.people().await;
    let record = app
        .service_record(
            people.member,
            people.agent,
            "online_chat",
            app.now() - Duration::hours(1),
        )
        .await;
    let scores: serde_json::Map<String, Value> = (0..20_000)
        .map(|i| (format!("bogus_{i:05}"), json!(3)))
        .collect();
    let body = json!({ "service_record_id": record, "scores": scores, "overall": 9 });
    let response = app
        .call_as(
            people.member,
            Method::POST,
            "/api/v1/evaluations",
            Some(&body),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let length: usize = header(&response, "content-length")
        .unwrap()
        .parse()
        .unwrap();
    assert!(length < 5_000, "{length} bytes");
    let p = problem(response, 422).await;
    assert_eq!(p.errors.len(), MAX_FIELD_ERRORS);
    let unknown = p
        .errors
        .iter()
        .filter(|e| e.code == "unknown_dimension")
        .count();
    assert!(unknown > 10, "{:?}", p.errors);
    let detail = p.detail.unwrap();
    assert!(
        detail.ends_with("fields are invalid (the first 20 are listed)")
            && detail.starts_with("200"),
        "{detail}"
    );
}

#[tokio::test]
async fn rejections_before_the_handler_are_documented_problems() {
    let document = document().await;
    let admin = AdminClient::new().await;
    // A path parameter that does not fit: a 400 problem, documented.
    let response = admin.get("/api/v1/qa/plans/9223372036854775808").await;
    assert_eq!(
        header(&response, "content-type"),
        Some("application/problem+json")
    );
    problem(response, 400).await;
    let responses = &document["paths"]["/api/v1/qa/plans/{id}"]["get"]["responses"];
    assert!(responses["400"]["content"]["application/problem+json"].is_object());
    // A JSON body: 400 (not JSON), 415 (not sent as JSON) and 422 (wrong shape), documented.
    let responses = &document["paths"]["/api/v1/teams/{id}"]["patch"]["responses"];
    for status in ["400", "415", "422"] {
        assert!(
            responses[status]["content"]["application/problem+json"].is_object(),
            "{status}"
        );
    }
    // An array is not the object the schema asks for (serde would read the struct from it).
    let response = admin
        .send(Method::PATCH, "/api/v1/teams/1", json!([null, null]))
        .await;
    problem(response, 422).await;
    // The Idempotency-Key's rule is in the document.
    let key = &document["paths"]["/api/v1/qa/plans"]["post"]["parameters"][0];
    assert_eq!(key["name"], "Idempotency-Key");
    assert_eq!(key["schema"]["pattern"], "^[!-~]{8,128}$");
    assert_eq!(key["schema"]["minLength"], 8);
    assert_eq!(key["schema"]["maxLength"], 128);
}

/// Sends `raw` to a real server of `app` over TCP, as a client would: the status line and the
/// body of the answer.
async fn over_tcp(app: &TestApp, raw: Vec<u8>) -> (String, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(pingjia_server::http::serve::serve(
        listener,
        pingjia_server::app(app.state.clone()),
        async {
            stopped.await.ok();
        },
    ));
    let answer = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream.write_all(&raw).unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        String::from_utf8_lossy(&answer).into_owned()
    })
    .await
    .unwrap();
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    (head.to_owned(), body.to_owned())
}

#[tokio::test]
async fn a_control_character_in_the_idempotency_key_is_a_problem_naming_the_header() {
    // The HTTP parser refused the whole request: a 400 with no body at all.
    let app = TestApp::new().await;
    let people = app.people().await;
    let cookie = app.session(people.member).await;
    for control in [b'\x01', b'\x1f', b'\x7f'] {
        let body = br#"{"service_record_id": 1, "scores": {}, "overall": 9}"#;
        let mut raw = format!(
            "POST /api/v1/evaluations HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\
             Idempotency-Key: abcd",
            body.len()
        )
        .into_bytes();
        raw.push(control);
        raw.extend_from_slice(b"efgh\r\n\r\n");
        raw.extend_from_slice(body);
        let (head, body) = over_tcp(&app, raw).await;
        assert!(head.starts_with("HTTP/1.1 400"), "{head}");
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: application/problem+json"),
            "{head}"
        );
        let problem: pingjia_domain::Problem = serde_json::from_str(&body).unwrap();
        assert!(
            problem.detail.unwrap().contains("`Idempotency-Key`"),
            "{body}"
        );
    }
}

/// Whether a property's schema admits `null` (an `Option` the server sends as `null`).
fn nullable(schema: &Value) -> bool {
    types_of(schema).is_some_and(|types| types.iter().any(|t| t == "null"))
        || ["oneOf", "anyOf"].iter().any(|key| {
            schema[key]
                .as_array()
                .is_some_and(|options| options.iter().any(|o| o["type"] == "null"))
        })
}

/// The answers the customer's pages read (the light app's and the rating link's page), with
/// every schema they refer to: a backend written from the document alone must send each field
/// the app relies on, so every field that is not nullable is required. (Issue 20: `can_appeal`
/// was optional, and a backend that left it out hid the appeal action.)
#[tokio::test]
async fn every_field_the_customer_pages_read_is_required_unless_it_may_be_null() {
    let document = document().await;
    let mut pending: Vec<String> = [
        "MyRecords",
        "RatingForm",
        "Evaluation",
        "MyEvaluationPage",
        "AppealList",
        "Appeal",
        "Me",
        "SignInMethods",
        "CodeRequested",
        "OptOut",
        "Catalog",
    ]
    .iter()
    .map(|name| format!("#/components/schemas/{name}"))
    .collect();
    let mut seen = BTreeSet::new();
    let mut optional = Vec::new();
    while let Some(reference) = pending.pop() {
        if !seen.insert(reference.clone()) {
            continue;
        }
        let schema = resolve(&document, &reference).unwrap_or_else(|| panic!("{reference}"));
        let required: BTreeSet<&str> = schema["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            if !required.contains(name.as_str()) && !nullable(property) {
                optional.push(format!("{reference}: {name}"));
            }
        }
        let mut found = BTreeSet::new();
        references(schema, &mut found);
        pending.extend(found);
    }
    assert!(seen.len() > 15, "{seen:?}");
    assert_eq!(optional, Vec::<String>::new());
}

/// Where a description names an operation (`GET /catalog`), the document has it.
#[tokio::test]
async fn descriptions_name_only_operations_that_exist() {
    fn shape(path: &str) -> String {
        let mut out = String::new();
        let mut in_parameter = false;
        for c in path.chars() {
            match c {
                '{' => {
                    in_parameter = true;
                    out.push_str("{}");
                }
                '}' => in_parameter = false,
                _ if !in_parameter => out.push(c),
                _ => {}
            }
        }
        out
    }
    fn descriptions<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
        match value {
            Value::Object(object) => {
                for (key, child) in object {
                    match (key.as_str(), child) {
                        ("description", Value::String(text)) => found.push(text),
                        _ => descriptions(child, found),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| descriptions(v, found)),
            _ => {}
        }
    }
    let document = document().await;
    let mut operations = BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let path = path.strip_prefix("/api/v1").unwrap_or(path);
            operations.insert(format!("{} {}", method.to_uppercase(), shape(path)));
        }
    }
    let mut texts = Vec::new();
    descriptions(&document, &mut texts);
    let mut unknown = Vec::new();
    for text in texts {
        let words: Vec<&str> = text.split_whitespace().collect();
        for pair in words.windows(2) {
            let method = pair[0].trim_start_matches('`');
            if !["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&method) {
                continue;
            }
            let path: String = pair[1]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "/{}_-.".contains(*c))
                .collect();
            let path = path.trim_end_matches('.');
            if path.starts_with('/') && !operations.contains(&format!("{method} {}", shape(path))) {
                unknown.push(format!("{method} {path}"));
            }
        }
    }
    assert!(operations.len() > 100);
    assert_eq!(unknown, Vec::<String>::new());
}
