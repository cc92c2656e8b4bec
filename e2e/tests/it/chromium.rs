//! Headless Chromium loads a page served by the test and runs its script.

use axum::Router;
use axum::response::Html;
use axum::routing::get;

#[tokio::test]
async fn headless_chromium_reads_a_served_page() {
    let browser = sellout_e2e::browser().await;
    let nonce = format!("{:x}", std::process::id() ^ 0x5e11);
    let page = format!(
        "<!doctype html><html><head><title>loading</title></head><body>\
         <script>document.title = 'Sellout ' + '{nonce}'.toUpperCase();</script></body></html>"
    );
    let app = Router::new().route("/", get(move || async move { Html(page) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let dom = browser.dump_dom(&format!("http://{addr}/")).await.unwrap();
    // The title was set by the page's script: Chromium really ran it.
    let want = format!("<title>Sellout {}</title>", nonce.to_uppercase());
    assert!(dom.contains(&want), "no {want} in {dom}");
}
