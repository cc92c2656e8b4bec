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
        next.run(ctx, query, variables)
            .await
            .map_err(|e| with_code(e, PARSE_FAILED))
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
