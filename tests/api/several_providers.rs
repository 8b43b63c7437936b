//! Several providers at once, the same preset twice under different names,
//! and the login page's buttons with their brand icons.

use reqwest::StatusCode;
use serde_json::Value;

use crate::fake_discord::FakeDiscord;
use crate::fake_github::FakeGithub;
use crate::helpers::{assert_redirects_to, spawn_app, spawn_app_with, Options, TestApp};

async fn me(app: &TestApp) -> Value {
    app.me().await.json().await.unwrap()
}

#[tokio::test]
async fn the_same_preset_twice_gives_two_providers_with_their_own_identities() {
    let (github, ghe, discord) = (
        FakeGithub::start().await,
        FakeGithub::start().await,
        FakeDiscord::start().await,
    );
    let extra_toml = format!(
        "{}{}label = \"Corp GitHub\"\n{}",
        github.config("github", ""),
        ghe.config("ghe", "/api/v3"),
        discord.config("discord")
    );
    let app = spawn_app_with(Options {
        extra_toml,
        ..Options::default()
    })
    .await;
    let mut users = Vec::new();
    for (name, fake) in [("github", &github), ("ghe", &ghe)] {
        assert_redirects_to(&app.sign_in(name).await, "/");
        let query = fake.last_authorize_query().unwrap();
        assert_eq!(
            query["redirect_uri"],
            format!("{}/auth/{name}/callback", app.address)
        );
        let me = me(&app).await;
        assert_eq!(me["identities"][0]["provider"], name);
        // Both fakes know the same numeric id: still two identities.
        assert_eq!(me["identities"][0]["subject"], "583231");
        users.push(me["id"].clone());
    }
    assert_redirects_to(&app.sign_in("discord").await, "/");
    assert_eq!(me(&app).await["identities"][0]["provider"], "discord");
    assert_ne!(users[0], users[1]);
    assert_eq!(app.counts().await.1, 3);
    let page = app.get("/login").await.text().await.unwrap();
    for text in [
        "Sign in with GitHub",
        "Sign in with Corp GitHub",
        "Sign in with Discord",
    ] {
        assert!(page.contains(text), "{text} missing from {page}");
    }
}

#[tokio::test]
async fn the_login_page_shows_each_provider_with_its_brand_icon() {
    let github = FakeGithub::start().await;
    let extra_toml = format!(
        "{}[providers.other]\npreset = \"oidc\"\nclient_id = \"x\"\nissuer = \"https://id.example\"\n\
         icon = \"https://cdn.example/other.png\"\n",
        github.config("github", "")
    );
    let app = spawn_app_with(Options {
        extra_toml,
        ..Options::default()
    })
    .await;
    let page = app.get("/login").await.text().await.unwrap();
    let button = regex_lite::Regex::new(
        r#"<a class="button brand" href="/auth/github\?next=[^"]*"[^>]*>\s*<span class="badge"><img src="([^"]+)"[^>]*></span>\s*<span>Sign in with GitHub</span>"#,
    )
    .unwrap();
    let icon = &button
        .captures(&page)
        .expect("a GitHub button with an icon")[1];
    assert_eq!(icon.replace("&#x2f;", "/"), "/icons/github.svg");
    assert!(
        page.contains("https:&#x2f;&#x2f;cdn.example&#x2f;other.png"),
        "{page}"
    );
    let svg = app.get("/icons/github.svg").await;
    assert_eq!(svg.status(), StatusCode::OK);
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().contains("<title>GitHub</title>"));
}

#[tokio::test]
async fn icons_are_allowed_by_the_csp_and_unknown_ones_are_404() {
    let app = spawn_app().await;
    let login = app.get("/login").await;
    let csp = login.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("img-src 'self'"), "{csp}");
    for path in [
        "/icons/nosuch.svg",
        "/icons/github",
        "/icons/..%2Fgithub.svg",
    ] {
        assert_eq!(
            app.get(path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    for name in ["discord", "facebook", "key", "openid"] {
        assert_eq!(
            app.get(&format!("/icons/{name}.svg")).await.status(),
            StatusCode::OK
        );
    }
}
