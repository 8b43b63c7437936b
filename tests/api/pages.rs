//! The pages people see: the login page ([ui], brand buttons, the last
//! provider first, auto_redirect), the account page, error pages with
//! "Try again", the favicon, and an operator's template overrides.

use std::path::Path;

use doorman::config::Config;
use doorman::startup::Application;
use reqwest::StatusCode;

use crate::browsers::Browser;
use crate::helpers::{
    assert_redirects_to, location, set_cookies, spawn_app, spawn_app_with, Options, SECRET_KEY,
};

#[tokio::test]
async fn the_account_page_shows_identities_devices_and_activity() {
    let app = spawn_app().await;
    let nobody = Browser::new(&app, "nobody");
    assert_redirects_to(&nobody.get("/account").await, "/login?next=%2Faccount");
    let laptop = Browser::new(
        &app,
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    );
    let phone = Browser::new(
        &app,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
         Chrome/131.0.0.0 Safari/537.36",
    );
    laptop.sign_in_corp().await;
    phone.sign_in_corp().await;
    let home = laptop.get("/").await.text().await.unwrap();
    assert!(home.contains(r#"href="/account""#), "{home}");
    let answer = laptop.get("/account").await;
    assert_eq!(answer.status(), StatusCode::OK);
    let html = answer.text().await.unwrap();
    for expected in [
        "Corp · ada",
        "Used for this session",
        r#"action="/account/unlink""#,
        r#"action="/auth/corp/link""#,
        r#"action="/auth/dev/link""#,
        "Firefox on Linux",
        "Chrome on Windows",
        "This device",
        "127.0.0.1",
        ">Revoke</button>",
        "Sign out everywhere else",
        "Signed in · corp",
    ] {
        assert!(html.contains(expected), "{expected} missing:\n{html}");
    }
    let phone_id = phone.current_session_id().await;
    assert!(html.contains(&format!("/api/sessions/{phone_id}/revoke")));
    assert!(!html.contains("<script"), "no JavaScript");
}

#[tokio::test]
async fn ui_settings_name_colour_and_decorate_the_pages() {
    let app = spawn_app_with(Options {
        extra_toml: "[ui]\ntitle = \"Acme\"\nlogo_url = \"https://cdn.example/acme.svg\"\n\
                     accent_color = \"#fde047\"\n"
            .into(),
        ..Options::default()
    })
    .await;
    let html = app.get("/login").await.text().await.unwrap();
    assert!(html.contains("<title>Sign in to Acme</title>"), "{html}");
    assert!(html.contains("<h1>Sign in to Acme</h1>"));
    assert!(html.contains(r#"<img class="logo" src="https:&#x2f;&#x2f;cdn.example&#x2f;acme.svg""#));
    assert!(
        html.contains("--accent: #fde047; --accent-text: #111827;"),
        "{html}"
    );
    assert!(html.contains("prefers-color-scheme: dark"));
    assert!(html.contains(r#"name="viewport" content="width=device-width"#));
    assert!(html.contains("--b-bg") || html.contains("Sign in with Corp"));
    let refused = Config::from_toml("[ui]\naccent_color = \"red;}\"\n", Path::new("test.toml"));
    assert!(refused.unwrap_err().to_string().contains("ui.accent_color"));
}

#[tokio::test]
async fn every_page_declares_a_favicon_that_is_served() {
    let app = spawn_app().await;
    let login = app.get("/login").await.text().await.unwrap();
    assert!(
        login.contains(r#"<link rel="icon" href="/favicon.svg""#),
        "{login}"
    );
    let error = app.get("/auth/nosuch").await.text().await.unwrap();
    assert!(error.contains(r#"<link rel="icon" href="/favicon.svg""#));
    let icon = app.get("/favicon.svg").await;
    assert_eq!(icon.status(), StatusCode::OK);
    assert_eq!(icon.headers()["content-type"], "image/svg+xml");
    assert_eq!(app.get("/favicon.ico").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_provider_used_last_comes_first() {
    let app = spawn_app().await;
    let first = app.get("/login").await.text().await.unwrap();
    assert!(first.find("/auth/dev?").unwrap() < first.find("/auth/corp?").unwrap());
    assert!(!first.contains("Last used"));
    let answer = app.sign_in_corp("/").await;
    let cookie = &set_cookies(answer.headers(), "doorman_last_provider")[0];
    for attr in [
        "doorman_last_provider=corp",
        "HttpOnly",
        "SameSite=Lax",
        "Path=/",
        "Max-Age=31536000",
    ] {
        assert!(cookie.contains(attr), "{attr} missing: {cookie}");
    }
    let page = app.get("/login").await.text().await.unwrap();
    assert!(page.find("/auth/corp?").unwrap() < page.find("/auth/dev?").unwrap());
    assert!(page.contains("Last used"));
    let stranger = reqwest::Client::new()
        .get(format!("{}/login", app.address))
        .header("cookie", "doorman_last_provider=nosuch")
        .send()
        .await
        .unwrap();
    let page = stranger.text().await.unwrap();
    assert!(
        !page.contains("Last used"),
        "an unknown provider is ignored"
    );
}

#[tokio::test]
async fn a_failed_sign_in_says_what_happened_and_try_again_keeps_next() {
    let app = spawn_app().await;
    app.corp.deny();
    let callback = app.begin_corp("/reports?id=7").await;
    let answer = app.get_url(&callback).await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    let html = answer.text().await.unwrap();
    assert!(html.contains("cancelled or denied"), "{html}");
    assert!(html.contains(">Try again</a>"), "{html}");
    assert!(
        html.contains(r#"href="/login?next=&#x2f;reports%3Fid%3D7""#),
        "{html}"
    );
    let unknown = app.get("/auth/nosuch?next=/x").await.text().await.unwrap();
    assert!(
        unknown.contains(r#"href="/login?next=&#x2f;x""#),
        "{unknown}"
    );
}

#[tokio::test]
async fn an_operators_templates_override_the_built_in_pages() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("login.html"),
        "{% extends \"layout.html\" %}{% block content %}<h1>Welcome to {{ ui.title }}</h1>\
         {% for p in providers %}<a href=\"{{ base }}/auth/{{ p.name }}\">{{ p.label }}</a>{% endfor %}\
         {% endblock %}",
    )
    .unwrap();
    let app = spawn_app_with(Options {
        extra_toml: format!("[ui]\ntemplates_dir = '{}'\n", dir.path().display()),
        ..Options::default()
    })
    .await;
    let html = app.get("/login").await.text().await.unwrap();
    assert!(html.contains("<h1>Welcome to doorman</h1>"), "{html}");
    assert!(html.contains(r#"<a href="/auth/corp">Corp</a>"#));
    assert!(
        html.contains("favicon.svg"),
        "the built-in layout still applies"
    );
}

#[tokio::test]
async fn auto_redirect_with_one_provider_goes_straight_to_it_but_not_after_logout() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let text = format!(
        "[server]\nbind = \"127.0.0.1:0\"\npublic_url = \"{address}\"\nsecret_key = \"{SECRET_KEY}\"\n\
         [database]\nurl = \"sqlite://{}/d.db?mode=rwc\"\n[dev_idp]\nenabled = true\n\
         [ui]\nauto_redirect = true\n",
        dir.path().display()
    );
    let config = Config::from_toml(&text, Path::new("test.toml")).unwrap();
    let app = Application::build_with_listener(config, listener)
        .await
        .unwrap();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let login = client
        .get(format!("{address}/login?next=/x"))
        .send()
        .await
        .unwrap();
    assert_redirects_to(&login, "/auth/dev?next=%2Fx");
    let after_logout = client
        .get(format!("{address}/login"))
        .header("cookie", "doorman_signed_out=1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        after_logout.status(),
        StatusCode::OK,
        "no redirect after a logout"
    );
    let spawned = spawn_app_with(Options {
        extra_toml: "[ui]\nauto_redirect = true\n".into(),
        ..Options::default()
    })
    .await;
    assert_eq!(
        spawned.get("/login").await.status(),
        StatusCode::OK,
        "two providers"
    );
    spawned.sign_in_corp("/").await;
    let out = spawned
        .client
        .post(format!("{}/logout", spawned.address))
        .header("origin", &spawned.address)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&out), "/login");
    let mark = &set_cookies(out.headers(), "doorman_signed_out")[0];
    assert!(
        mark.contains("HttpOnly") && mark.contains("Max-Age=300"),
        "{mark}"
    );
}

#[tokio::test]
async fn under_a_path_prefix_every_link_of_the_pages_carries_it() {
    let app = spawn_app_with(Options {
        path_prefix: Some("/_doorman"),
        ..Options::default()
    })
    .await;
    assert_redirects_to(
        &app.get("/_doorman/account").await,
        "/_doorman/login?next=%2F_doorman%2Faccount",
    );
    let signed_in = app.sign_in_dev("Ada", "ada@example.com").await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let account = app.get("/_doorman/account").await;
    assert_eq!(account.status(), StatusCode::OK);
    let login = app.get("/_doorman/login").await.text().await.unwrap();
    let re = regex_lite::Regex::new(r#"(?:href|action|src)="([^"]*)""#).unwrap();
    for html in [account.text().await.unwrap(), login] {
        for link in re.captures_iter(&html).map(|c| c[1].replace("&#x2f;", "/")) {
            assert!(link.starts_with("/_doorman/"), "{link} lacks the prefix");
        }
    }
}
