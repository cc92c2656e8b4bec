//! Relay connections: page sizes, cursors, and paging a list held in
//! memory. Every list of the API pages through here, so `first` and
//! `after` mean the same everywhere and a bad one gets the same error.

use async_graphql::connection::{Connection, CursorType, Edge, OpaqueCursor};
use async_graphql::{Error, OutputType};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::error::{self, gql_error};

/// Most items one page may ask for.
pub const MAX_PAGE: i32 = 100;

/// The page size asked for with `first` (1 to [`MAX_PAGE`]), `default`
/// when not given.
pub fn page_size(first: Option<i32>, default: i32) -> Result<i64, Error> {
    let first = first.unwrap_or(default);
    if !(1..=MAX_PAGE).contains(&first) {
        return Err(gql_error(
            error::BAD_REQUEST,
            format!("first must be 1 to {MAX_PAGE}"),
        ));
    }
    Ok(i64::from(first))
}

/// The key in an `after` cursor this list gave out.
pub fn decode_after<T: serde::de::DeserializeOwned + serde::Serialize>(
    after: Option<&str>,
) -> Result<Option<T>, Error> {
    after
        .map(|a| {
            OpaqueCursor::<T>::decode_cursor(a).map(|c| c.0).map_err(|_| {
                gql_error(
                    error::BAD_REQUEST,
                    "after is not a cursor of this list: pass an endCursor or cursor it returned",
                )
            })
        })
        .transpose()
}

/// The cursor of `key`.
pub fn cursor<T: serde::Serialize + serde::de::DeserializeOwned>(key: T) -> String {
    OpaqueCursor(key).encode_cursor()
}

/// A page cursor of the Kubernetes object lists: the creation time
/// (seconds) and name of the last item seen. Lists are ordered by
/// creation, then name, so a walk through pages sees every object that
/// existed when it began exactly once, however many are created meanwhile
/// (they sort after it, unless made in the cursor's second with a name
/// before it: then this walk misses them).
pub type PageCursor = OpaqueCursor<(i64, String)>;

/// Items per page of an object list when neither `first` nor `last` is
/// given.
pub const DEFAULT_OBJECT_PAGE: usize = 50;

/// The ordering key of an object: creation time, then name.
pub fn creation_key(meta: &ObjectMeta) -> (i64, String) {
    (
        meta.creation_timestamp
            .as_ref()
            .map_or(0, |t| t.0.as_second()),
        meta.name.clone().unwrap_or_default(),
    )
}

/// One page of `items` (any order) by `key`, as a Relay connection with
/// `first`/`after` and `last`/`before`.
pub async fn page<T, N>(
    items: Vec<T>,
    key: impl Fn(&T) -> (i64, String),
    node: impl Fn(T) -> N,
    after: Option<String>,
    before: Option<String>,
    first: Option<i32>,
    last: Option<i32>,
) -> Result<Connection<PageCursor, N>, Error>
where
    N: OutputType,
{
    for (arg, cursor) in [("after", &after), ("before", &before)] {
        if let Some(c) = cursor
            && PageCursor::decode_cursor(c).is_err()
        {
            return Err(gql_error(
                error::BAD_REQUEST,
                format!("`{arg}` is not a cursor this list gave out"),
            ));
        }
    }
    for (arg, n) in [("first", first), ("last", last)] {
        if let Some(n) = n
            && !(0..=MAX_PAGE).contains(&n)
        {
            return Err(gql_error(
                error::BAD_REQUEST,
                format!("`{arg}` must be between 0 and {MAX_PAGE}"),
            ));
        }
    }
    async_graphql::connection::query(
        after,
        before,
        first,
        last,
        |after: Option<PageCursor>, before: Option<PageCursor>, first, last| async move {
            let mut items: Vec<((i64, String), T)> =
                items.into_iter().map(|t| (key(&t), t)).collect();
            items.sort_by(|a, b| a.0.cmp(&b.0));
            let total = items.len();
            let mut start = after.map_or(0, |a| items.partition_point(|(k, _)| *k <= a.0));
            let mut end = before
                .map_or(total, |b| items.partition_point(|(k, _)| *k < b.0))
                .max(start);
            match (first, last) {
                (None, None) => end = end.min(start + DEFAULT_OBJECT_PAGE),
                (first, last) => {
                    if let Some(f) = first {
                        end = end.min(start + f);
                    }
                    if let Some(l) = last {
                        start = start.max(end.saturating_sub(l));
                    }
                }
            }
            let mut connection = Connection::new(start > 0, end < total);
            connection.edges.extend(
                items
                    .into_iter()
                    .skip(start)
                    .take(end - start)
                    .map(|(k, t)| Edge::new(OpaqueCursor(k), node(t))),
            );
            Ok::<_, Error>(connection)
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sizes_are_one_to_a_hundred() {
        assert_eq!(page_size(None, 20).unwrap(), 20);
        assert_eq!(page_size(Some(100), 20).unwrap(), 100);
        assert!(page_size(Some(0), 20).is_err());
        assert!(page_size(Some(101), 20).is_err());
    }

    #[test]
    fn cursors_round_trip_and_foreign_ones_are_refused() {
        let c = cursor((7_i64, "o1".to_owned()));
        assert_eq!(
            decode_after::<(i64, String)>(Some(&c)).unwrap(),
            Some((7, "o1".to_owned()))
        );
        assert!(decode_after::<(i64, String)>(Some("not a cursor")).is_err());
        assert_eq!(decode_after::<(i64, String)>(None).unwrap(), None);
    }
}
