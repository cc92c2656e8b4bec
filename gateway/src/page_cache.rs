//! The public event page, answered from memory while nothing it shows has
//! changed.
//!
//! In a flash sale every buyer's browser asks for the same event page, with
//! the same bytes, many times a second. An anonymous `POST /graphql` whose
//! operation selects only `event` (and `__typename`) at its root is a
//! candidate: its answer is kept, keyed by the exact request body, together
//! with what it was made from: the catalog's generation (any change of an
//! Organization, Event, tier or Venue in memory changes it) and, for each
//! event on the page, the live availability's [`Version`] (any change of
//! the figures, or their going stale, changes it). A later identical
//! request is answered with the kept bytes only while all of these are
//! unchanged, and before the first moment the page's content changes by
//! the clock alone (a tier's sales opening or closing: [`PageDeps::until`]),
//! so the answer is byte for byte what executing the query would give;
//! otherwise the query runs and its answer replaces the kept one. Answers with errors are never kept; requests carrying an
//! `Authorization` header always run.
//!
//! What is served from here is counted by
//! `sellout_gateway_page_cache_requests_total{result="hit"|"miss"}`.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::{DocumentOperations, OperationType, Selection};
use axum::body::Bytes;
use axum::http::HeaderValue;

use crate::catalog::Catalog;
use crate::live::{Live, Version};

/// Largest request body that is looked up (and kept): the event page query
/// is a few hundred bytes.
pub const MAX_KEY_BYTES: usize = 4096;

/// The root fields a kept operation may select: they read only the catalog
/// and the live availability, the same for every caller.
const PUBLIC_ROOT_FIELDS: &[&str] = &["event", "__typename"];

/// What one answer was made from, recorded by the resolvers while a
/// candidate request runs (request data: `Arc<PageDeps>`).
#[derive(Default, Debug)]
pub struct PageDeps {
    live: Mutex<Vec<(String, Version)>>,
    until_ms: Mutex<Option<i64>>,
}

impl PageDeps {
    /// The page shows something that changes by the clock at `ms` (since
    /// the epoch): it is not served from memory from then on.
    pub fn until(&self, ms: i64) {
        let mut u = self.until_ms.lock().unwrap_or_else(|p| p.into_inner());
        *u = Some(u.map_or(ms, |t| t.min(ms)));
    }

    /// The page shows event `uid`'s figures as read at `version`.
    pub fn live(&self, uid: &str, version: Version) {
        self.live
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((uid.to_owned(), version));
    }
}

/// One kept answer.
struct Page {
    body: Bytes,
    content_type: Option<HeaderValue>,
    generation: u64,
    live: Vec<(String, Version)>,
    until_ms: Option<i64>,
}

/// The kept answers, least recently used dropped first.
pub struct PageCache {
    pages: Mutex<lru::LruCache<Bytes, Arc<Page>>>,
}

/// A kept answer to send.
pub struct Hit {
    /// The response body.
    pub body: Bytes,
    /// Its `Content-Type`.
    pub content_type: Option<HeaderValue>,
}

impl PageCache {
    /// A cache of at most `entries` answers; `None` when `entries` is 0
    /// (the cache is off).
    pub fn new(entries: usize) -> Option<Self> {
        Some(PageCache {
            pages: Mutex::new(lru::LruCache::new(NonZeroUsize::new(entries)?)),
        })
    }

    fn pages(&self) -> std::sync::MutexGuard<'_, lru::LruCache<Bytes, Arc<Page>>> {
        self.pages.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The kept answer to `body`, if what it was made from is unchanged.
    pub fn get(&self, body: &Bytes, catalog: &Catalog, live: &Live) -> Option<Hit> {
        let page = self.pages().get(body)?.clone();
        let valid = page.generation == catalog.generation()
            && page.until_ms.is_none_or(|t| now_ms() < t)
            && page
                .live
                .iter()
                .all(|(uid, v)| live.version(uid) == Some(*v));
        valid.then(|| Hit {
            body: page.body.clone(),
            content_type: page.content_type.clone(),
        })
    }

    /// Keeps `answer` to `body`, made from catalog `generation` (read
    /// before the query ran) and `deps`.
    pub fn put(
        &self,
        body: Bytes,
        answer: Bytes,
        content_type: Option<HeaderValue>,
        generation: u64,
        deps: &PageDeps,
    ) {
        let live = deps.live.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let until_ms = *deps.until_ms.lock().unwrap_or_else(|p| p.into_inner());
        self.pages().put(
            body,
            Arc::new(Page {
                body: answer,
                content_type,
                generation,
                live,
                until_ms,
            }),
        );
    }

    /// Answers kept now.
    pub fn len(&self) -> usize {
        self.pages().len()
    }

    /// Whether no answer is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// Whether `request` may be kept: a single query operation (the one
/// named, or the only one) whose root selects only public fields, without
/// directives or fragments at the root. Documents that do not parse are
/// not (the schema will say why).
pub fn cacheable(request: &async_graphql::Request) -> bool {
    let Ok(doc) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    let operation = match (&doc.operations, request.operation_name.as_deref()) {
        (DocumentOperations::Single(op), None) => op,
        (DocumentOperations::Multiple(ops), Some(name)) => match ops.get(name) {
            Some(op) => op,
            None => return false,
        },
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().expect("one operation")
        }
        _ => return false,
    };
    let op = &operation.node;
    op.ty == OperationType::Query
        && op.directives.is_empty()
        && op.selection_set.node.items.iter().all(|s| match &s.node {
            Selection::Field(f) => {
                f.node.directives.is_empty()
                    && PUBLIC_ROOT_FIELDS.contains(&f.node.name.node.as_str())
            }
            Selection::FragmentSpread(_) | Selection::InlineFragment(_) => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(q: &str, name: Option<&str>) -> async_graphql::Request {
        let r = async_graphql::Request::new(q);
        match name {
            Some(n) => r.operation_name(n),
            None => r,
        }
    }

    #[test]
    fn only_public_queries_are_kept() {
        let page = "query Page($slug: String!) { event(slug: $slug) { id title } }";
        assert!(cacheable(&req(page, None)));
        assert!(cacheable(&req(page, Some("Page"))));
        assert!(cacheable(&req(
            "{ a: event(slug: \"x/y\") { id } b: event(slug: \"x/z\") { id } __typename }",
            None
        )));
        for q in [
            "{ me { login } }",
            "{ event(slug: \"x/y\") { id } me { login } }",
            "mutation { logout }",
            "subscription { availability(event: \"e\") { event } }",
            "{ ...F } fragment F on Query { event(slug: \"x/y\") { id } }",
            "{ ... on Query { event(slug: \"x/y\") { id } } }",
            "{ event(slug: \"x/y\") @include(if: true) { id } }",
            "query A { event(slug: \"x/y\") { id } } query B { me { login } }",
            "{ event(slug: ",
        ] {
            assert!(!cacheable(&req(q, None)), "{q} must not be kept");
        }
        // Two operations: only the one chosen counts.
        let two = "query A { event(slug: \"x/y\") { id } } query B { me { login } }";
        assert!(cacheable(&req(two, Some("A"))));
        assert!(!cacheable(&req(two, Some("B"))));
        assert!(!cacheable(&req(two, Some("C"))));
    }

    #[test]
    fn no_entries_is_off() {
        assert!(PageCache::new(0).is_none());
        assert!(PageCache::new(1).is_some_and(|c| c.is_empty()));
    }
}
