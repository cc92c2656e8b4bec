//! GraphiQL, the in-browser IDE at `GET /graphql`.
//!
//! With `--graphiql-assets <dir>` the gateway serves GraphiQL's files itself
//! (under `/graphiql/`), so the IDE works on machines without internet
//! access and loads nothing from a third party; `scripts/tools.sh graphiql`
//! puts them in `<cache>/share/graphiql` and `make dev` passes that
//! directory. Without it the page loads GraphiQL from the esm.sh CDN (the
//! async-graphql default).

use std::path::Path;

use axum::body::Bytes;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// The files GraphiQL needs, as `scripts/tools.sh graphiql` names them, with
/// their content types.
pub const FILES: [(&str, &str); 4] = [
    ("react.production.min.js", "text/javascript; charset=utf-8"),
    (
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
    ),
    ("graphiql.min.js", "text/javascript; charset=utf-8"),
    ("graphiql.min.css", "text/css; charset=utf-8"),
];

/// GraphiQL's files, read once at start.
#[derive(Debug)]
pub struct Assets {
    files: Vec<(&'static str, &'static str, Bytes)>,
}

impl Assets {
    /// Reads every file of [`FILES`] from `dir`.
    pub fn load(dir: &Path) -> Result<Self, String> {
        let files = FILES
            .iter()
            .map(|(name, ty)| {
                let path = dir.join(name);
                std::fs::read(&path).map(|b| (*name, *ty, Bytes::from(b))).map_err(|e| {
                    format!(
                        "--graphiql-assets: cannot read {}: {e} (run `bash scripts/tools.sh graphiql`, or leave the flag out to load GraphiQL from its CDN)",
                        path.display()
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Assets { files })
    }

    /// `GET /graphiql/<name>`: the file, or `None`.
    pub fn file(&self, name: &str) -> Option<Response> {
        let (_, ty, body) = self.files.iter().find(|(n, _, _)| *n == name)?;
        Some(
            (
                [
                    (header::CONTENT_TYPE, HeaderValue::from_static(ty)),
                    (
                        header::CACHE_CONTROL,
                        HeaderValue::from_static("public, max-age=3600"),
                    ),
                ],
                body.clone(),
            )
                .into_response(),
        )
    }
}

/// The page that runs GraphiQL from `/graphiql/` against `/graphql`
/// (queries and mutations) and `/graphql/ws` (subscriptions).
pub fn local_page() -> String {
    r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex">
<title>Sellout GraphQL</title>
<link rel="stylesheet" href="/graphiql/graphiql.min.css">
<style>body { margin: 0; } #graphiql { height: 100dvh; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/react.production.min.js"></script>
<script src="/graphiql/react-dom.production.min.js"></script>
<script src="/graphiql/graphiql.min.js"></script>
<script>
  const ws = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/graphql/ws";
  const fetcher = GraphiQL.createFetcher({ url: location.origin + "/graphql", subscriptionUrl: ws });
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultQuery: "# The public event page of the example event (make dev applies examples/).\n{\n  event(slug: \"riverside-presents/riverside-festival-2027\") {\n    title\n    venue { displayName city }\n    tiers { displayName priceMinor currency available }\n  }\n}\n",
    }),
  );
</script>
</body>
</html>
"##
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_named_with_the_fix() {
        let dir = std::env::temp_dir().join(format!("graphiql-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, _) in &FILES[..3] {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
        let e = Assets::load(&dir).unwrap_err();
        assert!(e.contains("graphiql.min.css"), "{e}");
        assert!(e.contains("scripts/tools.sh graphiql"), "{e}");
        std::fs::write(dir.join("graphiql.min.css"), b"css").unwrap();
        let a = Assets::load(&dir).unwrap();
        assert!(a.file("graphiql.min.css").is_some());
        assert!(a.file("../etc/passwd").is_none());
        std::fs::remove_dir_all(&dir).unwrap();
        // Every file the page loads is one that is served.
        let page = local_page();
        for (name, _) in FILES {
            assert!(page.contains(&format!("/graphiql/{name}")), "{name}");
        }
    }
}
