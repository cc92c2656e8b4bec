//! Logging in through GraphQL against real NATS JetStream (the login
//! store), mailpit (codes by e-mail), the harness's SMS sink (codes by
//! text) and the API server (organizations for `me`).

use std::sync::Arc;
use std::time::Duration;

use sellout_gateway::auth::Auth;
use sellout_gateway::auth::codes::CodePolicy;
use sellout_gateway::auth::delivery::Messenger;
use sellout_gateway::auth::login::{LoginConfig, Logins};
use sellout_gateway::http::router;
use sellout_notify::sms::{SmsClient, SmsConfig};
use sellout_notify::{Mailer, Sender, SmtpConfig, TlsMode};
use serde_json::{Value, json};

use super::{deps, test_auth};

/// A gateway that takes logins, as `tweak` configures it.
struct Gateway {
    base: String,
    /// The client address it is told (`X-Forwarded-For`, trusted here).
    ip: String,
}

fn unique() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_owned()
}

/// A client address of its own for each test (tests share the per-address
/// rate limit otherwise).
fn test_ip() -> String {
    let u = uuid::Uuid::new_v4();
    let b = u.as_bytes();
    format!("2001:db8:{:x}{:02x}:{:x}{:02x}::1", b[0], b[1], b[2], b[3])
}

/// The tests' deps, taking logins by code (mailed through the mail sink,
/// texted through the SMS sink) as `tweak` configures them.
pub(crate) async fn deps_with_logins(
    tweak: impl FnOnce(&mut Auth, &mut LoginConfig),
) -> sellout_gateway::schema::Deps {
    deps_with_logins_on(deps().await, sellout_e2e::nats().await, tweak).await
}

/// [`deps_with_logins`] from `d`, its logins on `nats` as the gateway's
/// login user (the LOGIN account).
async fn deps_with_logins_on(
    mut d: sellout_gateway::schema::Deps,
    nats: &sellout_e2e::Nats,
    tweak: impl FnOnce(&mut Auth, &mut LoginConfig),
) -> sellout_gateway::schema::Deps {
    let mut auth = test_auth();
    let mut config = LoginConfig {
        trust_forwarded_for: true,
        ..LoginConfig::default()
    };
    tweak(&mut auth, &mut config);
    let mail = sellout_e2e::mail().await;
    let sms = sellout_e2e::sms().await;
    let messenger = Messenger {
        mail: Some((
            Mailer::new(SmtpConfig {
                host: mail.smtp_host().into(),
                port: mail.smtp_port(),
                credentials: None,
                tls: TlsMode::None,
                timeout: Duration::from_secs(10),
            })
            .unwrap(),
            Sender::new("Sellout Tests <login@sellout.test>").unwrap(),
        )),
        sms: Some(
            SmsClient::new(&SmsConfig {
                base_url: sms.base_url().into(),
                account_sid: sellout_e2e::sms::ACCOUNT_SID.into(),
                token_file: sms.token_file().to_owned(),
                from: sellout_e2e::sms::FROM.into(),
                timeout: Duration::from_secs(5),
                policy: Default::default(),
                ca_file: None,
            })
            .unwrap(),
        ),
    };
    let logins = Arc::new(Logins::new(
        nats.client_as(sellout_common::nats_auth::Component::Login)
            .await
            .unwrap(),
        messenger,
        config,
        auth.access_ttl,
        auth.refresh_ttl,
    ));
    logins.start();
    auth.logins = Some(logins);
    d.auth = Arc::new(auth);
    d
}

async fn gateway(tweak: impl FnOnce(&mut Auth, &mut LoginConfig)) -> Gateway {
    serve(deps_with_logins(tweak).await).await
}

/// Serves `d` on a free port.
async fn serve(d: sellout_gateway::schema::Deps) -> Gateway {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router(d, None).into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    Gateway {
        base: format!("http://{addr}"),
        ip: test_ip(),
    }
}

impl Gateway {
    /// Runs `q` with `vars`, as the bearer of `token` when given.
    async fn gql(&self, token: Option<&str>, q: &str, vars: Value) -> Value {
        self.gql_from(&self.ip, token, q, vars).await
    }

    async fn gql_from(&self, ip: &str, token: Option<&str>, q: &str, vars: Value) -> Value {
        let mut req = reqwest::Client::new()
            .post(format!("{}/graphql", self.base))
            .header("X-Forwarded-For", format!("203.0.113.250, {ip}"))
            .json(&json!({"query": q, "variables": vars}));
        if let Some(t) = token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        req.send().await.unwrap().json().await.unwrap()
    }

    async fn request_email(&self, email: &str) -> Value {
        self.gql(
            None,
            "mutation($e: String) { requestLoginCode(email: $e) { channel expiresInSeconds } }",
            json!({"e": email}),
        )
        .await
    }

    async fn login_email(&self, email: &str, code: &str) -> Value {
        self.gql(
            None,
            "mutation($e: String, $c: String!) { login(email: $e, code: $c) { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt } }",
            json!({"e": email, "c": code}),
        )
        .await
    }

    async fn refresh(&self, token: &str) -> Value {
        self.gql(
            None,
            "mutation($r: String!) { refresh(refreshToken: $r) { accessToken refreshToken refreshTokenExpiresAt } }",
            json!({"r": token}),
        )
        .await
    }

    async fn me(&self, token: Option<&str>) -> Value {
        self.gql(
            token,
            "{ me { login email phone superUser organizations { namespace name displayName role } } }",
            json!({}),
        )
        .await
    }

    /// Asks for a code for `email`, reads it from the mail sink and logs
    /// in; returns `(access token, refresh token)`.
    async fn log_in(&self, email: &str) -> (String, String) {
        let before = mails_to(email).await;
        let v = self.request_email(email).await;
        assert!(v["errors"].is_null(), "{v}");
        let code = mailed_code(email, before + 1).await;
        let v = self.login_email(email, &code).await;
        assert!(v["errors"].is_null(), "{v}");
        let t = &v["data"]["login"];
        (
            t["accessToken"].as_str().unwrap().to_owned(),
            t["refreshToken"].as_str().unwrap().to_owned(),
        )
    }
}

fn err(v: &Value) -> &str {
    v["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

fn extension(v: &Value, name: &str) -> i64 {
    v["errors"][0]["extensions"][name]
        .as_i64()
        .unwrap_or_else(|| panic!("no extension {name}: {v}"))
}

/// The 6 digits after "code is " in `text`.
fn code_in(text: &str) -> String {
    let at = text.find("code is ").expect("the message names the code") + "code is ".len();
    let code: String = text[at..].chars().take(6).collect();
    assert!(code.bytes().all(|b| b.is_ascii_digit()), "{text}");
    code
}

/// The mails to `email`, newest first. A read of mailpit's API that fails
/// (it was seen to answer a truncated body now and then) is tried again.
async fn inbox(email: &str) -> Vec<sellout_e2e::mail::Message> {
    let mut tries = 0;
    loop {
        match sellout_e2e::mail().await.messages_to(email).await {
            Ok(m) => return m,
            Err(e) if tries < 5 => {
                tries += 1;
                eprintln!("reading the mail sink failed ({e}); again");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("{e}"),
        }
    }
}

async fn mails_to(email: &str) -> usize {
    inbox(email).await.len()
}

/// The code of the `n`th mail to `email` (waiting for it).
async fn mailed_code(email: &str, n: usize) -> String {
    let start = std::time::Instant::now();
    let mails = loop {
        let mails = inbox(email).await;
        if mails.len() >= n {
            break mails;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "{} mail(s) to {email} within 15 s, expected {n}",
            mails.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let newest = &mails[0];
    assert_eq!(newest.subject, "Your Sellout login code");
    assert_eq!(newest.from.address, "login@sellout.test");
    code_in(&newest.text)
}

/// A code that is not `code`.
fn other_than(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

/// [`super::organization`] with `members` only.
async fn organization(ns: &str, members: &[(&str, &str)]) {
    super::organization(ns, members, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_code_logs_in_and_me_shows_the_organizations() {
    let gw = gateway(|_, _| {}).await;
    let id = unique();
    let email = format!("ana.{id}@example.com");
    let ns = format!("auth-me-{id}");
    organization(&ns, &[(&email, "ADMIN"), ("other@example.com", "OWNER")]).await;

    // Typed with capitals: the same login.
    let typed = format!("  Ana.{id}@EXAMPLE.com ");
    let v = gw.request_email(&typed).await;
    assert!(v["errors"].is_null(), "{v}");
    assert_eq!(
        v["data"]["requestLoginCode"],
        json!({"channel": "EMAIL", "expiresInSeconds": 600})
    );
    let code = mailed_code(&email, 1).await;
    let mail = &inbox(&email).await[0];
    assert!(mail.text.contains("expires in 10 minutes"), "{}", mail.text);

    let v = gw.login_email(&typed, &code).await;
    assert!(v["errors"].is_null(), "{v}");
    let t = &v["data"]["login"];
    let access = t["accessToken"].as_str().unwrap();
    assert!(t["refreshToken"].as_str().unwrap().len() >= 43);
    let now = jiff::Timestamp::now();
    let access_exp: jiff::Timestamp = t["accessTokenExpiresAt"].as_str().unwrap().parse().unwrap();
    let refresh_exp: jiff::Timestamp = t["refreshTokenExpiresAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let secs = |t: jiff::Timestamp| t.as_second() - now.as_second();
    assert!((890..=901).contains(&secs(access_exp)), "{t}");
    assert!(
        (30 * 86400 - 10..=30 * 86400 + 1).contains(&secs(refresh_exp)),
        "{t}"
    );

    // The access token works on `me`, with the organization from the
    // catalog (which learns of it by a watch: give it a moment).
    let mut me = Value::Null;
    for _ in 0..100 {
        me = gw.me(Some(access)).await;
        if me["data"]["me"]["organizations"]
            .as_array()
            .is_some_and(|o| !o.is_empty())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(me["errors"].is_null(), "{me}");
    assert_eq!(
        me["data"]["me"],
        json!({"login": email, "email": email, "phone": null, "superUser": false,
               "organizations": [{"namespace": ns, "name": "org",
                                  "displayName": format!("Org {ns}"), "role": "ADMIN"}]})
    );

    // The code was used: it does not work twice.
    let v = gw.login_email(&email, &code).await;
    assert_eq!(err(&v), "CODE_EXPIRED", "{v}");
    // No token: `me` says to log in.
    let v = gw.me(None).await;
    assert_eq!(err(&v), "UNAUTHENTICATED", "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sms_code_logs_in() {
    let gw = gateway(|_, _| {}).await;
    let digits: String = uuid::Uuid::new_v4()
        .as_u128()
        .to_string()
        .chars()
        .take(6)
        .collect();
    let e164 = format!("+447700{digits}");
    let typed = format!("+44 7700 {}-{}", &digits[..3], &digits[3..]);
    let v = gw
        .gql(
            None,
            "mutation($p: String) { requestLoginCode(phone: $p) { channel expiresInSeconds } }",
            json!({"p": typed}),
        )
        .await;
    assert!(v["errors"].is_null(), "{v}");
    assert_eq!(v["data"]["requestLoginCode"]["channel"], "SMS");
    let texts = sellout_e2e::sms()
        .await
        .wait_for(&e164, 1, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(texts[0].from, sellout_e2e::sms::FROM);
    let code = code_in(&texts[0].body);

    // Written another way (00 for +): the same login.
    let v = gw
        .gql(
            None,
            "mutation($p: String, $c: String!) { login(phone: $p, code: $c) { accessToken } }",
            json!({"p": format!("0044 7700 {digits}"), "c": code}),
        )
        .await;
    assert!(v["errors"].is_null(), "{v}");
    let access = v["data"]["login"]["accessToken"].as_str().unwrap();
    let me = gw.me(Some(access)).await;
    assert_eq!(
        me["data"]["me"],
        json!({"login": e164, "email": null, "phone": e164, "superUser": false, "organizations": []}),
        "{me}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_codes_lock_that_address_out_even_for_the_right_code() {
    let gw = gateway(|_, _| {}).await;
    let email = format!("brute.{}@example.com", unique());
    gw.request_email(&email).await;
    let right = mailed_code(&email, 1).await;
    let wrong = other_than(&right);

    // Not a code at all: refused, and not counted.
    let v = gw.login_email(&email, "12ab56").await;
    assert_eq!(err(&v), "BAD_REQUEST", "{v}");
    for left in (1..=4).rev() {
        let v = gw.login_email(&email, &wrong).await;
        assert_eq!(err(&v), "WRONG_CODE", "{v}");
        assert_eq!(extension(&v, "attemptsLeft"), left, "{v}");
        assert!(
            v["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains(&format!("{left} attempt")),
            "{v}"
        );
    }
    let v = gw.login_email(&email, &wrong).await;
    assert_eq!(err(&v), "LOCKED", "{v}");
    assert!(
        (895..=900).contains(&extension(&v, "retryAfterSeconds")),
        "{v}"
    );
    // Even the right code.
    let v = gw.login_email(&email, &right).await;
    assert_eq!(err(&v), "LOCKED", "{v}");
    assert!(v["data"].is_null(), "{v}");

    // Asking for a new code while locked: the usual answer, but no code.
    let v = gw.request_email(&email).await;
    assert!(v["errors"].is_null(), "{v}");
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(mails_to(&email).await, 1, "no code is sent while locked");

    // Another gateway (a second replica on the same store) sees the
    // lock of this address.
    let other = gateway(|_, _| {}).await;
    let v = other
        .gql_from(
            &gw.ip,
            None,
            "mutation($e: String, $c: String!) { login(email: $e, code: $c) { accessToken } }",
            json!({"e": email, "c": right}),
        )
        .await;
    assert_eq!(err(&v), "LOCKED", "{v}");

    // The lock is this address's: the login's owner, elsewhere, still
    // gets in with the code (wrong codes typed by someone else cannot
    // keep them out).
    let owner = other
        .gql_from(
            &test_ip(),
            None,
            "mutation($e: String, $c: String!) { login(email: $e, code: $c) { accessToken } }",
            json!({"e": email, "c": right}),
        )
        .await;
    assert!(owner["data"]["login"]["accessToken"].is_string(), "{owner}");
}

/// Guessing from many addresses: twenty wrong codes in all burn the
/// pending code; one address spraying guesses over many logins is
/// stopped after thirty.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_from_many_addresses_burn_the_code_and_one_address_is_rate_limited() {
    let gw = gateway(|_, _| {}).await;
    let email = format!("target.{}@example.com", unique());
    gw.request_email(&email).await;
    let right = mailed_code(&email, 1).await;
    let wrong = other_than(&right);
    let login = "mutation($e: String, $c: String!) { login(email: $e, code: $c) { accessToken } }";
    for i in 0..19 {
        let v = gw
            .gql_from(&test_ip(), None, login, json!({"e": email, "c": wrong}))
            .await;
        assert_eq!(err(&v), "WRONG_CODE", "{i}: {v}");
    }
    let v = gw
        .gql_from(&test_ip(), None, login, json!({"e": email, "c": wrong}))
        .await;
    assert_eq!(err(&v), "CODE_EXPIRED", "{v}");
    let v = gw
        .gql_from(&test_ip(), None, login, json!({"e": email, "c": right}))
        .await;
    assert_eq!(err(&v), "CODE_EXPIRED", "the burned code is gone: {v}");

    // One address, a new login each time.
    let sprayer = test_ip();
    let mut codes = Vec::new();
    for i in 0..31 {
        let v = gw
            .gql_from(
                &sprayer,
                None,
                login,
                json!({"e": format!("spray{i}.{}@example.com", unique()), "c": "123456"}),
            )
            .await;
        codes.push(err(&v).to_owned());
    }
    assert!(codes[..30].iter().all(|c| c == "CODE_EXPIRED"), "{codes:?}");
    assert_eq!(codes[30], "RATE_LIMITED");
}

/// The promo-code and order limits are counted in the shared rates
/// bucket: a guesser spreading presale-code tries or a card tester
/// spreading orders over two gateway replicas gets the limit once, not
/// once per replica. One replica is this test's, the other a gateway
/// process of its own (its memory apart).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn promo_and_order_limits_hold_across_gateway_replicas() {
    let a = gateway(|_, _| {}).await;
    let other = super::orders::GatewayProcess::start("rates").await;
    let b = Gateway {
        base: other.base.clone(),
        ip: test_ip(),
    };
    let guesser = test_ip();
    let quote = r#"query($p: String) { quote(event: "nobody/nothing", lines: [{tier: "ga", quantity: 1}], promoCode: $p) { totalMinor } }"#;
    let mut tries = Vec::new();
    for i in 0..31 {
        let gw = if i % 2 == 0 { &a } else { &b };
        let v = gw
            .gql_from(&guesser, None, quote, json!({"p": format!("GUESS{i}")}))
            .await;
        tries.push(err(&v).to_owned());
    }
    // Counted before the event is even looked up.
    assert!(
        tries[..30].iter().all(|c| c == "UNKNOWN_EVENT"),
        "{tries:?}"
    );
    assert_eq!(tries[30], "RATE_LIMITED", "{tries:?}");
    // Another address is not held back by it.
    let v = b
        .gql_from(&test_ip(), None, quote, json!({"p": "MINE"}))
        .await;
    assert_eq!(err(&v), "UNKNOWN_EVENT", "{v}");

    // Ten orders a minute per login, whichever replica takes them.
    let tester = super::token(&format!("tester.{}@example.com", unique()));
    let order = r#"mutation { createOrder(event: "nobody/nothing", holds: [{holdId: "h", tier: "ga", quantity: 1}]) { id } }"#;
    let mut refused = Vec::new();
    for i in 0..11 {
        let gw = if i % 2 == 0 { &a } else { &b };
        let v = gw
            .gql_from(&test_ip(), Some(&tester), order, json!({}))
            .await;
        refused.push(err(&v).to_owned());
    }
    assert!(
        refused[..10].iter().all(|c| c != "RATE_LIMITED"),
        "{refused:?}"
    );
    assert_eq!(refused[10], "RATE_LIMITED", "{refused:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_requests_are_rate_limited_per_login_and_per_address() {
    let gw = gateway(|_, c| c.per_address = 3).await;
    let email = format!("busy.{}@example.com", unique());
    let ask = |ip: String, email: String| {
        let gw = &gw;
        async move {
            gw.gql_from(
                &ip,
                None,
                "mutation($e: String) { requestLoginCode(email: $e) { channel } }",
                json!({"e": email}),
            )
            .await
        }
    };
    // Five codes for one login (from different addresses), then no more.
    for _ in 0..5 {
        let v = ask(test_ip(), email.clone()).await;
        assert!(v["errors"].is_null(), "{v}");
    }
    let v = ask(test_ip(), email.clone()).await;
    assert_eq!(err(&v), "RATE_LIMITED", "{v}");
    let wait = extension(&v, "retryAfterSeconds");
    assert!((3590..=3600).contains(&wait), "{v}");
    assert!(v["data"].is_null(), "{v}");
    mailed_code(&email, 5).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        mails_to(&email).await,
        5,
        "the refused request sent nothing"
    );

    // Three codes from one address (for different logins), then no more.
    let ip = test_ip();
    for i in 0..3 {
        let v = ask(ip.clone(), format!("crowd{i}.{}@example.com", unique())).await;
        assert!(v["errors"].is_null(), "{v}");
    }
    let v = ask(ip.clone(), format!("crowd.{}@example.com", unique())).await;
    assert_eq!(err(&v), "RATE_LIMITED", "{v}");
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("from this address"),
        "{v}"
    );
    // Another address in the same IPv6 /64 is the same subscriber.
    let same_64 = ip.replace("::1", "::2");
    let v = ask(same_64, format!("crowd.{}@example.com", unique())).await;
    assert_eq!(err(&v), "RATE_LIMITED", "{v}");
    // Another address is not limited.
    let v = ask(test_ip(), format!("crowd.{}@example.com", unique())).await;
    assert!(v["errors"].is_null(), "{v}");
    // Over a websocket the address counts the same.
    let ip = test_ip();
    let mut ws = super::live::Ws::connect_with(
        &gw.base,
        "/graphql/ws",
        json!({}),
        &[("x-forwarded-for", &ip)],
    )
    .await;
    let mut codes = Vec::new();
    for i in 0..4 {
        ws.subscribe(
            &format!("code-{i}"),
            &format!(
                r#"mutation {{ requestLoginCode(email: "ws{i}.{}@example.com") {{ channel }} }}"#,
                unique()
            ),
        )
        .await;
        let mut m = ws.recv(Duration::from_secs(5)).await;
        while m["type"] == "complete" {
            m = ws.recv(Duration::from_secs(5)).await;
        }
        codes.push(
            m["payload"]["errors"][0]["extensions"]["code"]
                .as_str()
                .unwrap_or("ok")
                .to_owned(),
        );
    }
    assert_eq!(codes, ["ok", "ok", "ok", "RATE_LIMITED"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codes_expire() {
    let gw = gateway(|_, c| {
        c.policy = CodePolicy {
            code_ttl_ms: 1000,
            ..CodePolicy::default()
        }
    })
    .await;
    let email = format!("slow.{}@example.com", unique());
    let v = gw.request_email(&email).await;
    assert_eq!(v["data"]["requestLoginCode"]["expiresInSeconds"], 1, "{v}");
    let code = mailed_code(&email, 1).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let v = gw.login_email(&email, &code).await;
    assert_eq!(err(&v), "CODE_EXPIRED", "{v}");
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expired"),
        "{v}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_tokens_expire_and_refresh_tokens_rotate() {
    let gw = gateway(|a, _| a.access_ttl = Duration::from_secs(2)).await;
    let email = format!("rotor.{}@example.com", unique());
    let (access, r1) = gw.log_in(&email).await;
    let v = gw.me(Some(&access)).await;
    assert!(v["errors"].is_null(), "{v}");
    tokio::time::sleep(Duration::from_millis(3200)).await;
    let v = gw.me(Some(&access)).await;
    assert_eq!(err(&v), "TOKEN_EXPIRED", "{v}");

    // Refresh: a new pair, and the new access token works.
    let v = gw.refresh(&r1).await;
    assert!(v["errors"].is_null(), "{v}");
    let a2 = v["data"]["refresh"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let r2 = v["data"]["refresh"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(r1, r2);
    let v = gw.me(Some(&a2)).await;
    assert_eq!(v["data"]["me"]["login"], email, "{v}");
    // Rotating again works with the newest token.
    let v = gw.refresh(&r2).await;
    assert!(v["errors"].is_null(), "{v}");
    let a3 = v["data"]["refresh"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let r3 = v["data"]["refresh"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();

    // The used token again (a thief replaying it): refused, and the whole
    // session is revoked, so the newest refresh token and the session's
    // access tokens stop working too.
    let v = gw.refresh(&r1).await;
    assert_eq!(err(&v), "BAD_TOKEN", "{v}");
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("already used"),
        "{v}"
    );
    let v = gw.refresh(&r3).await;
    assert_eq!(err(&v), "BAD_TOKEN", "{v}");
    let v = gw.me(Some(&a3)).await;
    assert_eq!(err(&v), "BAD_TOKEN", "{v}");
    // Logging in again starts a new session.
    let (fresh, _) = gw.log_in(&email).await;
    let v = gw.me(Some(&fresh)).await;
    assert!(v["errors"].is_null(), "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_tokens_expire() {
    let gw = gateway(|a, _| a.refresh_ttl = Duration::from_secs(1)).await;
    let email = format!("idle.{}@example.com", unique());
    let (_, refresh) = gw.log_in(&email).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let v = gw.refresh(&refresh).await;
    assert_eq!(err(&v), "TOKEN_EXPIRED", "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_ends_the_session_on_every_replica() {
    let gw = gateway(|_, _| {}).await;
    let replica = gateway(|_, _| {}).await;
    let email = format!("bye.{}@example.com", unique());
    let (access, refresh) = gw.log_in(&email).await;
    let (other_access, _) = gw.log_in(&email).await;
    assert!(replica.me(Some(&access)).await["errors"].is_null());

    let logout = "mutation { logout }";
    let v = gw.gql(None, logout, json!({})).await;
    assert_eq!(err(&v), "UNAUTHENTICATED", "{v}");
    let v = gw.gql(Some(&access), logout, json!({})).await;
    assert_eq!(v["data"]["logout"], true, "{v}");

    let v = gw.refresh(&refresh).await;
    assert_eq!(err(&v), "BAD_TOKEN", "{v}");
    let v = gw.me(Some(&access)).await;
    assert_eq!(err(&v), "BAD_TOKEN", "{v}");
    // The other replica learns of it through the store.
    let mut v = Value::Null;
    for _ in 0..50 {
        v = replica.me(Some(&access)).await;
        if err(&v) == "BAD_TOKEN" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(err(&v), "BAD_TOKEN", "{v}");
    // The same person's other session is not affected.
    let v = gw.me(Some(&other_access)).await;
    assert!(v["errors"].is_null(), "{v}");
    // A replica started after the logout knows it too.
    let late = gateway(|_, _| {}).await;
    let mut v = Value::Null;
    for _ in 0..50 {
        v = late.me(Some(&access)).await;
        if err(&v) == "BAD_TOKEN" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(err(&v), "BAD_TOKEN", "{v}");
}

/// A websocket opened with an access token does not outlive its session:
/// after logout, the next operation on the same socket is refused as it
/// would be over HTTP.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_socket_opened_before_logout_is_signed_out_with_it() {
    let gw = gateway(|_, _| {}).await;
    let email = format!("sock.{}@example.com", unique());
    let (access, _) = gw.log_in(&email).await;
    let mut ws = super::live::Ws::connect(
        &gw.base,
        "/graphql/ws",
        json!({"Authorization": format!("Bearer {access}")}),
    )
    .await;
    ws.subscribe("1", "{ me { email } }").await;
    let m = ws.recv(Duration::from_secs(5)).await;
    assert_eq!(m["payload"]["data"]["me"]["email"], email.as_str(), "{m}");
    let v = gw
        .gql(Some(&access), "mutation { logout }", json!({}))
        .await;
    assert_eq!(v["data"]["logout"], true, "{v}");
    // The same socket, after the logout.
    let mut refused = Value::Null;
    for i in 0..50 {
        ws.subscribe(&format!("after-{i}"), "{ me { email } }")
            .await;
        let mut m = ws.recv(Duration::from_secs(5)).await;
        while m["type"] == "complete" {
            m = ws.recv(Duration::from_secs(5)).await;
        }
        if m["payload"]["errors"][0]["extensions"]["code"] == "BAD_TOKEN" {
            refused = m;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(refused["payload"]["data"]["me"].is_null(), "{refused}");
    let message = refused["payload"]["errors"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("session has ended"), "{refused}");
}

/// A subscription that needs a login does not outlive its session: after
/// logout the socket's check-in feed answers BAD_TOKEN and ends, and the
/// next check-in reaches it no more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscription_ends_when_its_session_is_logged_out() {
    use prost::Message as _;
    let gw = gateway(|_, _| {}).await;
    let id = unique();
    let ns = format!("auth-sub-{id}");
    let email = format!("door.{id}@example.com");
    let uid = super::stage(&ns).await;
    organization(&ns, &[(&email, "SCANNER")]).await;
    let names = sellout_e2e::worker::event_stream(&uid).await.unwrap();
    let js = sellout_e2e::nats().await.jetstream().await.unwrap();
    let check_in = |ticket: String| {
        let (js, subject) = (js.clone(), names.checkin(&ticket, 1));
        async move {
            let c = sellout_common::proto::v1::CheckedIn {
                ticket_id: ticket,
                tier: "ga".into(),
                day: 1,
                admissions: 1,
                ..Default::default()
            };
            js.publish(subject, c.encode_to_vec().into())
                .await
                .unwrap()
                .await
                .unwrap();
        }
    };
    let (access, _) = gw.log_in(&email).await;
    let mut ws = super::live::Ws::connect(
        &gw.base,
        "/graphql/ws",
        json!({"Authorization": format!("Bearer {access}")}),
    )
    .await;
    let q = format!(r#"subscription {{ checkIns(event: "{ns}/show") {{ ticketId }} }}"#);
    // Until the gateway's catalog has the event and the membership, the
    // subscription is refused: subscribe again until a check-in arrives.
    let mut live = None;
    for i in 0..50 {
        let sub = format!("c{i}");
        ws.subscribe(&sub, &q).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        check_in(format!("t-{i}")).await;
        let m = ws.recv(Duration::from_secs(5)).await;
        if m["type"] == "next" && m["payload"]["errors"].is_null() {
            assert_eq!(m["id"], sub.as_str(), "{m}");
            live = Some(sub);
            break;
        }
        // The refusal's `complete`.
        if m["type"] == "next" {
            let done = ws.recv(Duration::from_secs(5)).await;
            assert_eq!(done["type"], "complete", "{done}");
        }
    }
    let live = live.expect("the check-in feed never started");
    let v = gw
        .gql(Some(&access), "mutation { logout }", json!({}))
        .await;
    assert_eq!(v["data"]["logout"], true, "{v}");
    let ended = ws.recv(Duration::from_secs(5)).await;
    assert_eq!(ended["id"], live.as_str(), "{ended}");
    assert_eq!(
        ended["payload"]["errors"][0]["extensions"]["code"], "BAD_TOKEN",
        "{ended}"
    );
    let done = ws.recv(Duration::from_secs(5)).await;
    assert_eq!(
        (done["type"].as_str(), done["id"].as_str()),
        (Some("complete"), Some(live.as_str())),
        "{done}"
    );
    // Nothing more comes for it.
    check_in("after".into()).await;
    let quiet =
        tokio::time::timeout(Duration::from_secs(2), ws.recv(Duration::from_secs(10))).await;
    assert!(quiet.is_err(), "after logout: {quiet:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampered_and_made_up_tokens_are_refused() {
    let gw = gateway(|_, _| {}).await;
    let email = format!("eve.{}@example.com", unique());
    let (access, refresh) = gw.log_in(&email).await;
    // Another login's claims under this token's signature.
    let mut parts: Vec<String> = access.split('.').map(str::to_owned).collect();
    let (mallory, _) = gw
        .log_in(&format!("mallory.{}@example.com", unique()))
        .await;
    parts[1] = mallory.split('.').nth(1).unwrap().to_owned();
    let v = gw.me(Some(&parts.join("."))).await;
    assert_eq!(err(&v), "BAD_TOKEN", "{v}");
    // A flipped signature character.
    let mut flipped = access.clone();
    let last = flipped.pop().unwrap();
    flipped.push(if last == 'A' { 'B' } else { 'A' });
    let v = gw.me(Some(&flipped)).await;
    assert_eq!(err(&v), "BAD_TOKEN", "{v}");
    // Refresh tokens: malformed, made up, or altered.
    for bad in [
        "nonsense".to_owned(),
        "0".repeat(64),
        format!("{}0", &refresh[..63]),
    ] {
        if bad == refresh {
            continue;
        }
        let v = gw.refresh(&bad).await;
        assert_eq!(err(&v), "BAD_TOKEN", "{bad}: {v}");
    }
    // None of that hurt the real session.
    let v = gw.refresh(&refresh).await;
    assert!(v["errors"].is_null(), "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_logins_get_the_same_answer_and_bad_input_is_refused() {
    let gw = gateway(|_, _| {}).await;
    let id = unique();
    let member = format!("owner.{id}@example.com");
    organization(&format!("auth-enum-{id}"), &[(&member, "OWNER")]).await;
    let stranger = format!("nobody.{id}@example.com");
    let a = gw.request_email(&member).await;
    let b = gw.request_email(&stranger).await;
    assert!(a["errors"].is_null(), "{a}");
    assert_eq!(a, b, "the answer does not tell members from strangers");
    // Both get a code: anyone may log in (and buy).
    mailed_code(&member, 1).await;
    mailed_code(&stranger, 1).await;

    for (vars, what) in [
        (json!({"e": "not-an-email"}), "a malformed address"),
        (json!({"e": "ana@localhost"}), "an address without a domain"),
        (json!({"p": "12345"}), "a short number"),
        (json!({"p": "07700 900123"}), "a national number"),
        (
            json!({"e": "ana@example.com", "p": "+447700900123"}),
            "both",
        ),
        (json!({}), "neither"),
    ] {
        let v = gw
            .gql(
                None,
                "mutation($e: String, $p: String) { requestLoginCode(email: $e, phone: $p) { channel } }",
                vars,
            )
            .await;
        assert_eq!(err(&v), "BAD_REQUEST", "{what}: {v}");
    }
    let v = gw
        .gql(
            None,
            r#"mutation { login(email: "nope", code: "123456") { accessToken } }"#,
            json!({}),
        )
        .await;
    assert_eq!(err(&v), "BAD_REQUEST", "{v}");
    // A well-formed login with no code asked for.
    let v = gw
        .login_email(&format!("never.{id}@example.com"), "123456")
        .await;
    assert_eq!(err(&v), "CODE_EXPIRED", "{v}");
}

/// Fault drill: nats-server, which holds the login buckets, is killed with
/// SIGKILL while 20 buyers ask for codes and log in, and started again 3 s
/// later on the same files. Every request is answered meanwhile (an error
/// with a code, not a hang), `/readyz` recovers by itself, the session
/// made before the kill still refreshes, and logging in works again.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn logins_survive_nats_killed_and_restarted() {
    const BUYERS: usize = 20;
    // Its own NATS server: the test binary's is shared with other tests.
    let nats: &'static sellout_e2e::Nats = Box::leak(Box::new(
        sellout_e2e::Nats::start(
            &sellout_e2e::run_dir().join("gateway-nats-drill"),
            sellout_e2e::Port::Free,
            sellout_e2e::Port::Free,
        )
        .await
        .unwrap(),
    ));
    let mut d = deps().await;
    d.nats = nats
        .client_as(sellout_common::nats_auth::Component::Gateway)
        .await
        .unwrap();
    // A request counts against its address's limit even when NATS then
    // fails it (no free tries in an outage), so buyers retrying every
    // 300 ms would reach the default limit: this drill is about the
    // outage, with limits out of the way.
    let g = Arc::new(
        serve(
            deps_with_logins_on(d, nats, |_, c| {
                c.per_address = 10_000;
                c.attempts_per_address = 10_000;
            })
            .await,
        )
        .await,
    );
    let (access, refresh) = g.log_in(&format!("before.{}@example.com", unique())).await;

    let tag = unique();
    let stop = tokio::time::Instant::now() + Duration::from_secs(8);
    let buyers = (0..BUYERS).map(|i| {
        let (g, tag) = (g.clone(), tag.clone());
        async move {
            let ip = test_ip();
            let (mut logged_in, mut refused, mut slowest) = (0, Vec::new(), Duration::ZERO);
            let mut round = 0;
            while tokio::time::Instant::now() < stop {
                round += 1;
                let email = format!("drill{i}.{round}.{tag}@example.com");
                let t = tokio::time::Instant::now();
                let asked = tokio::time::timeout(
                    Duration::from_secs(15),
                    g.gql_from(
                        &ip,
                        None,
                        "mutation($e: String) { requestLoginCode(email: $e) { channel } }",
                        json!({"e": email}),
                    ),
                )
                .await
                .expect("requestLoginCode answers within 15 s");
                slowest = slowest.max(t.elapsed());
                if !asked["errors"].is_null() {
                    refused.push(err(&asked).to_owned());
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    continue;
                }
                let code = mailed_code(&email, 1).await;
                let t = tokio::time::Instant::now();
                let v = tokio::time::timeout(
                    Duration::from_secs(15),
                    g.gql_from(
                        &ip,
                        None,
                        "mutation($e: String, $c: String!) { login(email: $e, code: $c) { accessToken } }",
                        json!({"e": email, "c": code}),
                    ),
                )
                .await
                .expect("login answers within 15 s");
                slowest = slowest.max(t.elapsed());
                if v["errors"].is_null() {
                    logged_in += 1;
                } else {
                    refused.push(err(&v).to_owned());
                }
            }
            (logged_in, refused, slowest)
        }
    });
    let crowd = tokio::spawn(futures::future::join_all(buyers));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    nats.kill();
    tokio::time::sleep(Duration::from_secs(3)).await;
    nats.restart().await.unwrap();
    let answers = crowd.await.unwrap();
    let logged_in: usize = answers.iter().map(|(n, _, _)| n).sum();
    let refused: Vec<&String> = answers.iter().flat_map(|(_, r, _)| r).collect();
    let slowest = answers.iter().map(|(_, _, s)| *s).max().unwrap();
    // The outage was felt: answers waited for NATS or were refused.
    assert!(
        !refused.is_empty() || slowest > Duration::from_secs(1),
        "no login met the outage: the drill tested nothing"
    );
    assert!(
        refused.iter().all(|c| c.as_str() == "UNAVAILABLE"),
        "refusals during the outage say UNAVAILABLE: {refused:?}"
    );
    let give_up = tokio::time::Instant::now() + Duration::from_secs(30);
    while !reqwest::get(format!("{}/readyz", g.base))
        .await
        .is_ok_and(|r| r.status().is_success())
    {
        assert!(
            tokio::time::Instant::now() < give_up,
            "the gateway is not ready 30 s after NATS came back"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The session from before the kill survived it.
    let v = g.refresh(&refresh).await;
    assert!(v["errors"].is_null(), "{v}");
    let v = g.me(Some(&access)).await;
    assert!(v["errors"].is_null(), "{v}");
    // And a new login works.
    let (fresh, _) = g.log_in(&format!("after.{}@example.com", unique())).await;
    assert!(g.me(Some(&fresh)).await["errors"].is_null());
    eprintln!(
        "nats kill drill (logins): {BUYERS} buyers, {logged_in} logins, {} refused during the outage (all UNAVAILABLE), slowest answer {slowest:?}; the earlier session refreshed, a new login worked",
        refused.len()
    );
}
