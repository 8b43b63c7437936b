//! The github preset against a fake GitHub: private and unverified emails,
//! the HTTP-200 token errors, form-encoded token answers, the User-Agent rule.

use reqwest::StatusCode;
use serde_json::Value;

use crate::fake_github::{FakeGithub, GithubEmail, GithubUser};
use crate::helpers::{assert_redirects_to, spawn_app_with, Options, TestApp};

async fn app_with(github: &FakeGithub, extra: &str) -> TestApp {
    let extra_toml = format!("{}{extra}", github.config("github", "/api/v3"));
    spawn_app_with(Options {
        extra_toml,
        ..Options::default()
    })
    .await
}

async fn signed_in_me(app: &TestApp) -> Value {
    assert_redirects_to(&app.sign_in("github").await, "/");
    app.me().await.json().await.unwrap()
}

#[tokio::test]
async fn a_github_sign_in_keys_the_identity_on_the_numeric_id() {
    let github = FakeGithub::start().await;
    let app = app_with(&github, "").await;
    let me = signed_in_me(&app).await;
    assert_eq!(me["identities"][0]["provider"], "github");
    assert_eq!(me["identities"][0]["subject"], "583231");
    assert_eq!(me["identities"][0]["username"], "octocat");
    assert_eq!(me["name"], "The Octocat");
    assert_eq!(me["email"], "octocat@github.com");
    assert_eq!(me["email_verified"], true);
    assert_eq!(
        me["avatar_url"],
        "https://avatars.githubusercontent.com/u/583231?v=4"
    );
    let query = github.last_authorize_query().unwrap();
    assert_eq!(query["scope"], "read:user user:email");
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(
        query["redirect_uri"],
        format!("{}/auth/github/callback", app.address)
    );
}

#[tokio::test]
async fn a_private_email_user_gets_the_primary_verified_email() {
    let github = FakeGithub::start().await;
    github.set_emails(vec![
        GithubEmail::new("old@example.com", false, true),
        GithubEmail::new("new@example.com", false, false),
        GithubEmail::new("octocat@users.example", true, true),
    ]);
    let app = app_with(&github, "").await;
    let me = signed_in_me(&app).await;
    assert_eq!(me["email"], "octocat@users.example");
    assert_eq!(me["email_verified"], true);
}

#[tokio::test]
async fn a_user_whose_emails_are_all_unverified_gets_no_email() {
    let github = FakeGithub::start().await;
    github.set_user(GithubUser {
        public_email: Some("octocat@public.example".into()),
        emails: vec![
            GithubEmail::new("octocat@public.example", true, false),
            GithubEmail::new("other@example.com", false, false),
        ],
        ..GithubUser::default()
    });
    let app = app_with(&github, "").await;
    let me = signed_in_me(&app).await;
    assert_eq!(me["email"], Value::Null);
    assert_eq!(me["email_verified"], false);
}

#[tokio::test]
async fn an_empty_email_list_is_not_an_error() {
    let github = FakeGithub::start().await;
    github.set_emails(vec![]);
    let app = app_with(&github, "").await;
    let me = signed_in_me(&app).await;
    assert_eq!(me["identities"][0]["subject"], "583231");
    assert_eq!(me["email"], Value::Null);
}

#[tokio::test]
async fn emails_the_token_may_not_read_leave_the_user_without_email() {
    let github = FakeGithub::start().await;
    let app = app_with(&github, "scopes = [\"read:user\"]\n").await;
    let me = signed_in_me(&app).await;
    assert_eq!(me["email"], Value::Null);
    github.emails_status(403);
    let me = signed_in_me(&app).await;
    assert_eq!(me["email"], Value::Null);
    assert_eq!(app.counts().await.0, 1);
}

#[tokio::test]
async fn a_second_github_sign_in_reuses_the_user() {
    let github = FakeGithub::start().await;
    let app = app_with(&github, "").await;
    let first = signed_in_me(&app).await;
    github.set_user(GithubUser {
        login: "octocat-renamed".into(),
        ..GithubUser::default()
    });
    let second = signed_in_me(&app).await;
    assert_eq!(first["id"], second["id"]);
    assert_eq!(second["identities"][0]["username"], "octocat-renamed");
    let (users, identities, _) = app.counts().await;
    assert_eq!((users, identities), (1, 1));
}

#[tokio::test]
async fn a_bad_or_used_verification_code_is_a_400_page() {
    let github = FakeGithub::start().await;
    let app = app_with(&github, "").await;
    let first = app.begin_sign_in("github").await;
    assert_redirects_to(&app.get_url(&first).await, "/");
    let code = |url: &str| {
        let url = url::Url::parse(url).unwrap();
        let code = url.query_pairs().find(|(k, _)| k == "code").unwrap().1;
        code.into_owned()
    };
    let used = code(&first);
    for forged_code in [used.as_str(), "not-a-code"] {
        let callback = app.begin_sign_in("github").await;
        let forged = callback.replace(&code(&callback), forged_code);
        let answer = app.get_url(&forged).await;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
        assert!(answer.text().await.unwrap().contains("<html"));
        assert_eq!(
            github.last_token_error().as_deref(),
            Some("bad_verification_code")
        );
    }
    assert_eq!(app.counts().await.0, 1);
}

#[tokio::test]
async fn a_form_encoded_token_answer_is_understood() {
    let github = FakeGithub::start().await;
    github.ignore_accept();
    let app = app_with(&github, "").await;
    let me = signed_in_me(&app).await;
    assert_eq!(me["identities"][0]["subject"], "583231");
}

#[tokio::test]
async fn github_refuses_api_calls_without_a_user_agent_and_doorman_sends_one() {
    let github = FakeGithub::start().await;
    let bare = reqwest::Client::new()
        .get(format!("{}/api/v3/user", github.base()))
        .header("authorization", "token gho_whatever")
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), StatusCode::FORBIDDEN);
    assert!(bare.text().await.unwrap().contains("User-Agent header"));
    let app = app_with(&github, "").await;
    signed_in_me(&app).await;
    assert!(github.last_user_agent().unwrap().starts_with("doorman/"));
}

#[tokio::test]
async fn a_denied_github_authorization_is_a_400_without_a_session() {
    let github = FakeGithub::start().await;
    github.deny();
    let app = app_with(&github, "").await;
    let answer = app.sign_in("github").await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.counts().await, (0, 0, 0));
}
