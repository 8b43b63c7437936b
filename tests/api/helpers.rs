//! spawn_app(): the real application on 127.0.0.1:0 with a fresh SQLite
//! database, a cookie-jar client that does not follow redirects, and
//! helpers that speak the domain.

use std::path::Path;
use std::sync::Arc;

use doorman::config::Config;
use doorman::startup::Application;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use reqwest::{Response, StatusCode};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};
use tempfile::TempDir;

use crate::databases::TempDatabase;
use crate::fake_oidc::FakeOidc;

/// A long enough secret key for tests.
pub const SECRET_KEY: &str = "test-secret-key-0123456789abcdef-0123456789abcdef";

/// A running doorman and a browser-like client.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub address: String,
    /// Client with a cookie jar; redirects are not followed.
    pub client: reqwest::Client,
    /// The client's cookie jar.
    pub jar: Arc<Jar>,
    /// The database URL the app uses.
    pub db_url: String,
    /// The config file the app was built from (for CLI tests).
    pub config_path: std::path::PathBuf,
    /// The fake OIDC provider registered as `corp`.
    pub corp: FakeOidc,
    /// `[server] path_prefix` ("" unless set).
    pub prefix: String,
    _database: TempDatabase,
    _dir: TempDir,
}

/// Options for [`spawn_app_with`].
#[derive(Default)]
pub struct Options {
    /// Extra TOML appended to the config.
    pub extra_toml: String,
    /// Scheme of public_url (default http).
    pub https: bool,
    /// [http] timeout.
    pub http_timeout: Option<&'static str>,
    /// Use this database instead of a fresh one (several instances, one database).
    pub database_url: Option<String>,
    /// public_url instead of this instance's own address (instances behind one name).
    pub public_url: Option<String>,
    /// Share another instance's fake provider instead of starting one.
    pub corp: Option<FakeOidc>,
    /// `[rate_limit] auth_per_ip_per_minute` (tests default to 0, off).
    pub rate_limit: u32,
    /// Extra lines for the `[server]` table.
    pub server_toml: String,
    /// `[server] path_prefix`.
    pub path_prefix: Option<&'static str>,
    /// Leave the dev IdP off (it needs a loopback public_url).
    pub no_dev_idp: bool,
    /// Serve examples/embed.rs's host app (library mode, plain `axum::serve`,
    /// no ConnectInfo) instead of the binary's application.
    pub embed: bool,
    /// `[server] secret_key` instead of [`SECRET_KEY`].
    pub secret_key: Option<&'static str>,
}

/// doorman with the dev IdP and a fake OIDC provider named `corp`.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

/// doorman built from the test config plus `options`.
pub async fn spawn_app_with(options: Options) -> TestApp {
    init_tracing();
    let corp = match options.corp.clone() {
        Some(corp) => corp,
        None => FakeOidc::start().await,
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let scheme = if options.https { "https" } else { "http" };
    let database = match options.database_url.clone() {
        Some(url) => TempDatabase::existing(url),
        None => TempDatabase::create(dir.path()).await,
    };
    let db_url = database.url.clone();
    let text = format!(
        r#"[server]
bind = "127.0.0.1:0"
public_url = "{public_url}"
secret_key = "{secret_key}"
path_prefix = "{prefix}"
{server_extra}
[rate_limit]
auth_per_ip_per_minute = {rate_limit}
[database]
url = "{db_url}"
[http]
timeout = "{timeout}"
connect_timeout = "2s"
[dev_idp]
enabled = {dev_idp}
[providers.corp]
preset = "oidc"
label = "Corp"
client_id = "{client_id}"
client_secret = "{client_secret}"
issuer = "{issuer}"
{extra}"#,
        public_url = options
            .public_url
            .clone()
            .unwrap_or_else(|| format!("{scheme}://127.0.0.1:{port}")),
        timeout = options.http_timeout.unwrap_or("3s"),
        server_extra = options.server_toml,
        secret_key = options.secret_key.unwrap_or(SECRET_KEY),
        prefix = options.path_prefix.unwrap_or_default(),
        dev_idp = !options.no_dev_idp,
        rate_limit = options.rate_limit,
        client_id = FakeOidc::CLIENT_ID,
        client_secret = FakeOidc::CLIENT_SECRET,
        issuer = corp.issuer(),
        extra = options.extra_toml,
    );
    let config_path = dir.path().join("doorman.toml");
    std::fs::write(&config_path, &text).unwrap();
    let config = Config::from_toml(&text, Path::new("test.toml")).expect("valid test config");
    if options.embed {
        let auth = doorman::Doorman::build(config)
            .await
            .expect("doorman builds");
        let router = crate::embed_example::app(&auth);
        tokio::spawn(async move { axum::serve(listener, router).await });
    } else {
        let app = Application::build_with_listener(config, listener)
            .await
            .expect("app builds");
        tokio::spawn(app.run_until_stopped());
    }
    let jar = Arc::new(Jar::default());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_provider(jar.clone())
        .build()
        .unwrap();
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client,
        jar,
        db_url,
        config_path,
        corp,
        prefix: options.path_prefix.unwrap_or_default().to_owned(),
        _database: database,
        _dir: dir,
    }
}

impl TestApp {
    /// GET a path of the app.
    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request sent")
    }

    /// GET a full URL with the app's client (cookies included).
    pub async fn get_url(&self, url: &str) -> Response {
        self.client.get(url).send().await.expect("request sent")
    }

    /// GET /api/me
    pub async fn me(&self) -> Response {
        self.get("/api/me").await
    }

    /// Starts a sign-in with `corp` and lets the fake provider answer: returns
    /// the callback URL it redirected to.
    pub async fn begin_corp(&self, next: &str) -> String {
        let authorize = self.authorize("corp", next).await;
        assert_eq!(
            authorize.status(),
            StatusCode::SEE_OTHER,
            "authorize answered {}",
            authorize.status()
        );
        location(&authorize)
    }

    /// GET /auth/{name}?next=..., asserts the 303, and follows it to the
    /// provider: returns the provider's answer.
    async fn authorize(&self, name: &str, next: &str) -> Response {
        let begin = self
            .get(&format!(
                "{}/auth/{name}?next={}",
                self.prefix,
                urlencode(next)
            ))
            .await;
        assert_eq!(
            begin.status(),
            StatusCode::SEE_OTHER,
            "begin answered {}",
            begin.status()
        );
        self.get_url(&location(&begin)).await
    }

    /// A whole sign-in with `corp`; returns the callback's response.
    pub async fn sign_in_corp(&self, next: &str) -> Response {
        let callback = self.begin_corp(next).await;
        self.get_url(&callback).await
    }

    /// Starts a sign-in with provider `name` and lets its (fake) provider
    /// answer: returns the callback URL it redirected to.
    pub async fn begin_sign_in(&self, name: &str) -> String {
        let authorize = self.authorize(name, "/").await;
        assert!(
            authorize.status().is_redirection(),
            "authorize answered {}",
            authorize.status()
        );
        location(&authorize)
    }

    /// A whole sign-in with `corp` from another browser (its own cookie
    /// jar); returns that browser's session token.
    pub async fn sign_in_corp_in_new_browser(&self) -> String {
        let jar = Arc::new(Jar::default());
        let browser = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_provider(jar.clone())
            .build()
            .unwrap();
        let mut url = format!("{}/auth/corp?next=/", self.address);
        for _ in 0..2 {
            let r = browser.get(&url).send().await.unwrap();
            url = location(&r);
        }
        assert_redirects_to(&browser.get(&url).send().await.unwrap(), "/");
        cookie_value(&jar, &self.address, "doorman_session").expect("a session cookie")
    }

    /// A whole sign-in with provider `name`; returns the callback's response.
    pub async fn sign_in(&self, name: &str) -> Response {
        let callback = self.begin_sign_in(name).await;
        self.get_url(&callback).await
    }

    /// A whole sign-in through the dev IdP's form; returns the callback's response.
    pub async fn sign_in_dev(&self, name: &str, email: &str) -> Response {
        let begin = self.get(&format!("{}/auth/dev?next=/", self.prefix)).await;
        assert_eq!(begin.status(), StatusCode::SEE_OTHER);
        let form_page = self.get_url(&location(&begin)).await;
        assert_eq!(form_page.status(), StatusCode::OK);
        let html = form_page.text().await.unwrap();
        let mut fields = hidden_fields(&html);
        fields.push(("name".into(), name.into()));
        fields.push(("email".into(), email.into()));
        let submitted = self
            .client
            .post(format!("{}{}/dev-idp/authorize", self.address, self.prefix))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(submitted.status(), StatusCode::SEE_OTHER);
        self.get_url(&location(&submitted)).await
    }

    /// The session cookie's value in the jar, if any.
    pub fn session_token(&self) -> Option<String> {
        cookie_value(&self.jar, &self.address, "doorman_session")
    }

    /// A connection to the app's database.
    pub async fn db(&self) -> DatabaseConnection {
        let config = doorman::config::DatabaseConfig {
            url: self.db_url.clone(),
            ..Default::default()
        };
        doorman::store::connect(&config).await.unwrap()
    }

    /// (users, identities, sessions) row counts.
    pub async fn counts(&self) -> (u64, u64, u64) {
        use doorman::store::entities::{identities, sessions, users};
        let db = self.db().await;
        (
            users::Entity::find().count(&db).await.unwrap(),
            identities::Entity::find().count(&db).await.unwrap(),
            sessions::Entity::find().count(&db).await.unwrap(),
        )
    }

    /// Runs the doorman binary against this app's config.
    /// Runs off the async runtime, so the fake providers keep answering.
    pub async fn cli(&self, args: &[&str]) -> std::process::Output {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_doorman"));
        command.arg("--config").arg(&self.config_path).args(args);
        tokio::task::spawn_blocking(move || command.output().expect("doorman binary runs"))
            .await
            .unwrap()
    }
}

/// Logs to the test output when RUST_LOG is set (e.g. RUST_LOG=doorman=debug).
fn init_tracing() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if let Ok(filter) = std::env::var("RUST_LOG") {
            tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_test_writer()
                .init();
        }
    });
}

/// The Location header.
pub fn location(response: &Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .unwrap_or_else(|| panic!("no Location on a {}", response.status()))
        .to_str()
        .unwrap()
        .to_owned()
}

/// Asserts a 303 to `path`.
pub fn assert_redirects_to(response: &Response, path: &str) {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(response), path);
}

/// Every Set-Cookie header whose cookie is named `name`.
pub fn set_cookies(headers: &HeaderMap, name: &str) -> Vec<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
        .collect()
}

/// The value of cookie `name` the jar would send to `url`.
pub fn cookie_value(jar: &Jar, url: &str, name: &str) -> Option<String> {
    let header = jar.cookies(&url.parse().unwrap())?;
    header
        .to_str()
        .ok()?
        .split("; ")
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")).map(str::to_owned))
}

/// The hidden inputs of a form page.
pub fn hidden_fields(html: &str) -> Vec<(String, String)> {
    let re =
        regex_lite::Regex::new(r#"<input type="hidden" name="([^"]+)" value="([^"]*)">"#).unwrap();
    re.captures_iter(html)
        .map(|c| (c[1].to_owned(), unescape(&c[2])))
        .collect()
}

/// Undoes HTML escaping of an attribute value.
pub fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Breaks the fake provider with `break_it`, signs in with `corp`, and
/// asserts a 502 page, nothing written and no session.
pub async fn assert_sign_in_is_refused(break_it: impl Fn(&FakeOidc)) {
    let app = spawn_app().await;
    break_it(&app.corp);
    let answer = app.sign_in_corp("/").await;
    assert_eq!(answer.status(), StatusCode::BAD_GATEWAY);
    let html = answer.text().await.unwrap();
    assert!(html.contains("<html"), "an error page: {html}");
    assert_eq!(app.counts().await, (0, 0, 0), "nothing is written");
    assert_eq!(app.me().await.status(), StatusCode::UNAUTHORIZED);
}

/// Two instances on one fresh PostgreSQL database, behind one public_url
/// and one fake provider (the database is dropped with the first value).
pub async fn spawn_two_instances(server: &str) -> (TempDatabase, TestApp, TestApp) {
    spawn_two_instances_with(server, "").await
}

/// [`spawn_two_instances`] with extra TOML for `corp` in both configs.
pub async fn spawn_two_instances_with(
    server: &str,
    extra_toml: &str,
) -> (TempDatabase, TestApp, TestApp) {
    let db = TempDatabase::postgres(server).await;
    let a = spawn_app_with(Options {
        database_url: Some(db.url.clone()),
        extra_toml: extra_toml.to_owned(),
        ..Options::default()
    })
    .await;
    let b = spawn_app_with(Options {
        database_url: Some(db.url.clone()),
        public_url: Some(a.address.clone()),
        corp: Some(a.corp.clone()),
        extra_toml: extra_toml.to_owned(),
        ..Options::default()
    })
    .await;
    (db, a, b)
}
