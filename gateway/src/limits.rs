//! Bad requests, before any resolver runs: bodies too large, documents that
//! do not parse, fields that do not exist, queries too deep or too complex.
//! Each answer is a GraphQL error with a stable `extensions.code`, like the
//! resolvers' own (`crate::error`).

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest, NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Response, ServerError, ServerResult, ValidationResult, Variables};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response as HttpResponse};
use std::sync::Arc;

/// Largest request body (or websocket message) accepted: 256 KiB, far
/// more than any client query.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The document is not GraphQL (syntax).
pub const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
/// The document does not fit the schema: unknown fields or types, wrong
/// arguments, missing variables.
pub const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
/// More nesting than [`crate::schema::MAX_DEPTH`].
pub const TOO_DEEP: &str = "QUERY_TOO_DEEP";
/// More (weighted) fields than [`crate::schema::MAX_COMPLEXITY`].
pub const TOO_COMPLEX: &str = "QUERY_TOO_COMPLEX";
/// The request body is larger than [`MAX_BODY_BYTES`].
pub const TOO_LARGE: &str = "REQUEST_TOO_LARGE";
/// More top-level mutation fields than [`MAX_MUTATIONS`] in one operation.
pub const TOO_MANY_MUTATIONS: &str = "TOO_MANY_MUTATIONS";
/// More aliased fields than [`MAX_ALIASES`] in one document.
pub const TOO_MANY_ALIASES: &str = "TOO_MANY_ALIASES";

/// Most top-level fields one mutation operation may run: a checkout holds
/// a few tiers at once; one request of sixty aliased holds is a bot.
pub const MAX_MUTATIONS: usize = 10;
/// Most aliased fields a document may have (aliases multiply the work of
/// one request without making it deeper or, per field, more complex).
pub const MAX_ALIASES: usize = 50;

/// Counts what [`MAX_MUTATIONS`] and [`MAX_ALIASES`] limit; fragments are
/// followed (a cycle, refused by validation later, is followed only so
/// far).
fn check_counts(doc: &ExecutableDocument) -> Result<(), ServerError> {
    use async_graphql::parser::types::{OperationType, Selection, SelectionSet};

    fn walk(
        doc: &ExecutableDocument,
        set: &SelectionSet,
        root: bool,
        depth: usize,
        counts: &mut (usize, usize),
    ) {
        if depth > 64 {
            return;
        }
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => {
                    if root {
                        counts.0 += 1;
                    }
                    if f.node.alias.is_some() {
                        counts.1 += 1;
                    }
                    walk(doc, &f.node.selection_set.node, false, depth + 1, counts);
                }
                Selection::InlineFragment(i) => {
                    walk(doc, &i.node.selection_set.node, root, depth + 1, counts)
                }
                Selection::FragmentSpread(s) => {
                    if let Some(f) = doc.fragments.get(&s.node.fragment_name.node) {
                        walk(doc, &f.node.selection_set.node, root, depth + 1, counts);
                    }
                }
            }
        }
    }

    let mut aliases = 0;
    for (_, op) in doc.operations.iter() {
        let mut counts = (0, 0);
        walk(doc, &op.node.selection_set.node, true, 0, &mut counts);
        aliases += counts.1;
        if op.node.ty == OperationType::Mutation && counts.0 > MAX_MUTATIONS {
            return Err(with_code(
                ServerError::new(
                    format!(
                        "one request may run at most {MAX_MUTATIONS} mutations; this one has {}: send fewer at a time",
                        counts.0
                    ),
                    None,
                ),
                TOO_MANY_MUTATIONS,
            ));
        }
    }
    if aliases > MAX_ALIASES {
        return Err(with_code(
            ServerError::new(
                format!(
                    "a document may have at most {MAX_ALIASES} aliased fields; this one has {aliases}"
                ),
                None,
            ),
            TOO_MANY_ALIASES,
        ));
    }
    Ok(())
}

/// The answer to a body larger than [`MAX_BODY_BYTES`]: 413 with a
/// GraphQL error.
pub fn too_large() -> HttpResponse {
    let body = serde_json::json!({"errors": [{
        "message": format!(
            "the request body is larger than {} KiB: send a smaller query",
            MAX_BODY_BYTES / 1024
        ),
        "extensions": {"code": TOO_LARGE},
    }]});
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// The answer to a `/graphql` body that is not a GraphQL request (not
/// JSON, not an object with `query`, a batch): 400 with a GraphQL error
/// whose code is `BAD_REQUEST` and whose message says what to send.
pub fn bad_body(e: async_graphql::ParseRequestError) -> HttpResponse {
    use async_graphql::ParseRequestError as P;
    let (status, message) = match e {
        P::PayloadTooLarge => return too_large(),
        P::UnsupportedBatch => (
            StatusCode::BAD_REQUEST,
            "batched requests (a JSON array) are not served: send one operation per request"
                .to_owned(),
        ),
        P::InvalidRequest(why) => (
            StatusCode::BAD_REQUEST,
            format!(
                "the request body is not a GraphQL request ({why}): send JSON like {{\"query\": \"{{ … }}\", \"variables\": {{…}}}} with Content-Type: application/json"
            ),
        ),
        other => (
            StatusCode::BAD_REQUEST,
            format!(
                "the request could not be read ({other}): send JSON with Content-Type: application/json"
            ),
        ),
    };
    let body = serde_json::json!({"errors": [{
        "message": message,
        "extensions": {"code": crate::error::BAD_REQUEST},
    }]});
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// The `Authorization` a graphql-ws connection was opened with (its
/// connection data).
#[derive(Clone, Debug)]
pub struct SocketAuthorization(pub Option<String>);

/// The schema extension that makes the viewer of every operation on a
/// websocket afresh from the connection's token: an access token that
/// expired, or whose session was logged out, stops working on a socket
/// opened before, as it does on HTTP (the connection's own viewer, made at
/// `connection_init`, is only the fallback of operations without one).
pub struct SocketViewer;

impl ExtensionFactory for SocketViewer {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(SocketViewer)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for SocketViewer {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: async_graphql::Request,
        next: async_graphql::extensions::NextPrepareRequest<'_>,
    ) -> ServerResult<async_graphql::Request> {
        let request = match (
            ctx.data_opt::<SocketAuthorization>(),
            ctx.data_opt::<crate::schema::Deps>(),
        ) {
            (Some(SocketAuthorization(authorization)), Some(deps)) => {
                request.data(deps.auth.viewer(authorization.as_deref()))
            }
            _ => request,
        };
        next.run(ctx, request).await
    }
}

/// Sets `code` on an error that has none.
fn with_code(mut e: ServerError, code: &str) -> ServerError {
    let ext = e.extensions.get_or_insert_with(Default::default);
    if ext.get("code").is_none() {
        ext.set("code", code);
    }
    e
}

/// The code of a validation error: the depth and complexity limits have
/// their own.
fn validation_code(e: &ServerError) -> &'static str {
    if e.message.contains("nested too deep") {
        TOO_DEEP
    } else if e.message.contains("too complex") {
        TOO_COMPLEX
    } else {
        VALIDATION_FAILED
    }
}

/// Refuses a document whose one operation declares a required variable
/// (non-null, no default) that `variables` leaves out or sets to null,
/// naming it (else the error would only say "found null" at the argument).
/// Documents of several operations are left to execution, which knows
/// the operation that runs.
fn check_variables(doc: &ExecutableDocument, variables: &Variables) -> ServerResult<()> {
    let mut ops = doc.operations.iter();
    let (Some((_, op)), None) = (ops.next(), ops.next()) else {
        return Ok(());
    };
    for v in &op.node.variable_definitions {
        let def = &v.node;
        let name = def.name.node.as_str();
        let given = variables
            .get(&async_graphql::Name::new(name))
            .is_some_and(|v| *v != async_graphql::Value::Null);
        if !def.var_type.node.nullable && def.default_value.is_none() && !given {
            return Err(with_code(
                ServerError::new(
                    format!(
                        "variable ${name} ({}) is required: give \"{name}\" in \"variables\"",
                        def.var_type.node
                    ),
                    Some(v.pos),
                ),
                crate::error::BAD_REQUEST,
            ));
        }
    }
    Ok(())
}

/// The schema extension that gives request-level errors their codes;
/// errors still without one at the end (an argument of the wrong type, a
/// variable that does not coerce) are `BAD_REQUEST`.
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodes)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for ErrorCodes {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut resp = next.run(ctx).await;
        resp.errors = std::mem::take(&mut resp.errors)
            .into_iter()
            .map(|e| with_code(e, crate::error::BAD_REQUEST))
            .collect();
        resp
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next
            .run(ctx, query, variables)
            .await
            .map_err(|e| with_code(e, PARSE_FAILED))?;
        check_counts(&doc)?;
        check_variables(&doc, variables)?;
        Ok(doc)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|errors| {
            errors
                .into_iter()
                .map(|e| {
                    let code = validation_code(&e);
                    with_code(e, code)
                })
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(q: &str) -> Result<(), String> {
        let doc = async_graphql::parser::parse_query(q).unwrap();
        check_counts(&doc).map_err(|e| {
            let code = e
                .extensions
                .as_ref()
                .and_then(|x| x.get("code"))
                .map(|v| v.to_string())
                .unwrap_or_default();
            format!("{code} {}", e.message)
        })
    }

    #[test]
    fn mutations_and_aliases_per_request_are_limited() {
        let holds = |n: usize| {
            let fields: String = (0..n)
                .map(|i| {
                    format!("h{i}: hold(event: \"a/b\", tier: \"ga\", quantity: 10) {{ id }} ")
                })
                .collect();
            format!("mutation {{ {fields} }}")
        };
        assert!(counted(&holds(MAX_MUTATIONS)).is_ok());
        let e = counted(&holds(60)).unwrap_err();
        assert!(e.contains(TOO_MANY_MUTATIONS), "{e}");
        assert!(e.contains("has 60"), "{e}");
        // Through fragments too.
        let spread = format!(
            "mutation {{ ...many }} fragment many on Mutation {{ {} }}",
            (0..11)
                .map(|i| format!("h{i}: release(event: \"a/b\", holdId: \"x\") "))
                .collect::<String>()
        );
        assert!(counted(&spread).unwrap_err().contains(TOO_MANY_MUTATIONS));
        // Queries may have many fields, but not more aliases than allowed.
        let fields: String = (0..60).map(|i| format!("f{i}: me {{ id }} ")).collect();
        let e = counted(&format!("{{ {fields} }}")).unwrap_err();
        assert!(e.contains(TOO_MANY_ALIASES), "{e}");
        assert!(counted("{ a: me { id } b: me { id } }").is_ok());
        // A fragment cycle does not hang the count (validation refuses it).
        assert!(counted("query { ...a } fragment a on Query { ...a }").is_ok());
    }
}
