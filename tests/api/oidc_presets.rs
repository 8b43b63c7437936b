//! Google, Microsoft, GitLab, LinkedIn and Slack signed in with end to end
//! against the fake OP configured with each provider's documented quirks.

use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

use crate::fake_oidc::{FakeOidc, FakeUser};
use crate::helpers::{assert_redirects_to, location, spawn_app_with, Options, TestApp};

/// `[providers.NAME]` for `preset` against `op`, plus `extra` keys.
fn provider(name: &str, preset: &str, issuer: &str, extra: &str) -> String {
    format!(
        "[providers.{name}]\npreset = \"{preset}\"\nclient_id = \"{}\"\n\
         client_secret = \"{}\"\nissuer = \"{issuer}\"\n{extra}\n",
        FakeOidc::CLIENT_ID,
        FakeOidc::CLIENT_SECRET
    )
}

async fn app_with(toml: String) -> TestApp {
    spawn_app_with(Options {
        extra_toml: toml,
        ..Options::default()
    })
    .await
}

/// Begins a sign-in with `name`, lets the fake answer, returns the callback's response.
async fn sign_in(app: &TestApp, name: &str) -> Response {
    let begin = app.get(&format!("/auth/{name}?next=/")).await;
    assert_eq!(begin.status(), StatusCode::SEE_OTHER, "begin");
    let authorize = app.get_url(&location(&begin)).await;
    assert_eq!(authorize.status(), StatusCode::SEE_OTHER, "authorize");
    app.get_url(&location(&authorize)).await
}

async fn me(app: &TestApp) -> Value {
    app.me().await.json().await.unwrap()
}

#[tokio::test]
async fn google_with_a_hosted_domain_sends_hd_and_signs_in_its_users() {
    let op = FakeOidc::start().await;
    op.extra_claims(json!({"hd": "example.com"}));
    let app = app_with(provider(
        "google",
        "google",
        &op.issuer(),
        "hosted_domain = \"example.com\"",
    ))
    .await;
    assert_redirects_to(&sign_in(&app, "google").await, "/");
    assert_eq!(op.last_authorize_query().unwrap()["hd"], "example.com");
    let me = me(&app).await;
    assert_eq!(me["email"], "ada@example.com");
    assert_eq!(me["email_verified"], true);
}

#[tokio::test]
async fn a_google_account_outside_the_hosted_domain_is_refused_with_403() {
    let op = FakeOidc::start().await;
    let app = app_with(provider(
        "google",
        "google",
        &op.issuer(),
        "hosted_domain = \"example.com\"",
    ))
    .await;
    let personal = sign_in(&app, "google").await;
    assert_eq!(
        personal.status(),
        StatusCode::FORBIDDEN,
        "a token without hd"
    );
    op.extra_claims(json!({"hd": "other.example"}));
    let other = sign_in(&app, "google").await;
    assert_eq!(
        other.status(),
        StatusCode::FORBIDDEN,
        "a token of another domain"
    );
    assert_eq!(app.counts().await, (0, 0, 0));
}

const TENANT: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";
const OTHER_TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

fn microsoft(op: &FakeOidc, extra: &str) -> String {
    provider(
        "microsoft",
        "microsoft",
        &format!("{}/common/v2.0", op.issuer()),
        extra,
    )
}

#[tokio::test]
async fn microsoft_common_accepts_a_token_whose_iss_is_its_tenants() {
    let op = FakeOidc::start().await;
    op.multi_tenant(TENANT);
    let app = app_with(microsoft(&op, "")).await;
    assert_redirects_to(&sign_in(&app, "microsoft").await, "/");
    let me = me(&app).await;
    assert_eq!(me["identities"][0]["subject"], "fake-user-1");
    assert_eq!(me["email_verified"], false, "Entra's email is not verified");
}

#[tokio::test]
async fn a_microsoft_token_with_another_tenants_iss_is_refused() {
    let op = FakeOidc::start().await;
    op.multi_tenant(TENANT);
    op.token_iss(format!("{}/{OTHER_TENANT}/v2.0", op.issuer()));
    let app = app_with(microsoft(&op, "")).await;
    assert_eq!(
        sign_in(&app, "microsoft").await.status(),
        StatusCode::BAD_GATEWAY
    );
    assert_eq!(app.counts().await, (0, 0, 0));
}

#[tokio::test]
async fn a_microsoft_tenant_outside_allowed_tenants_is_refused_with_403() {
    let op = FakeOidc::start().await;
    op.multi_tenant(OTHER_TENANT);
    let app = app_with(microsoft(&op, &format!("allowed_tenants = [\"{TENANT}\"]"))).await;
    assert_eq!(
        sign_in(&app, "microsoft").await.status(),
        StatusCode::FORBIDDEN
    );
    op.multi_tenant(TENANT);
    assert_redirects_to(&sign_in(&app, "microsoft").await, "/");
}

/// GitLab's claims: the numeric id as a string, the login as `nickname`.
fn gitlab_claims(u: &FakeUser) -> Value {
    json!({"sub": u.sub, "sub_legacy": "2474cf0b2211688a57297ace633e5e0c", "name": u.name,
           "nickname": u.preferred_username, "email": u.email, "email_verified": u.email_verified,
           "profile": "https://gitlab.example.com/root", "groups": ["gitlab-org"]})
}

async fn gitlab_op(username: &str) -> FakeOidc {
    let op = FakeOidc::start().await;
    op.user_claims(gitlab_claims);
    op.set_user(FakeUser {
        sub: "1".into(),
        preferred_username: username.into(),
        ..FakeUser::default()
    });
    op
}

#[tokio::test]
async fn gitlab_signs_in_with_the_nickname_as_username() {
    let op = gitlab_op("root").await;
    let app = app_with(provider("gitlab", "gitlab", &op.issuer(), "")).await;
    assert_redirects_to(&sign_in(&app, "gitlab").await, "/");
    let me = me(&app).await;
    assert_eq!(me["identities"][0]["subject"], "1");
    assert_eq!(me["identities"][0]["username"], "root");
}

#[tokio::test]
async fn two_gitlab_instances_each_sign_in_with_their_own_redirect_uri_and_identity() {
    let (a, b) = (gitlab_op("ada").await, gitlab_op("bob").await);
    let toml = provider("gitlab", "gitlab", &a.issuer(), "label = \"GitLab.com\"")
        + &provider(
            "work_gitlab",
            "gitlab",
            &b.issuer(),
            "label = \"Work GitLab\"",
        );
    let app = app_with(toml).await;
    let login = app.get("/login").await.text().await.unwrap();
    assert!(
        login.contains("GitLab.com") && login.contains("Work GitLab"),
        "{login}"
    );
    assert_redirects_to(&sign_in(&app, "gitlab").await, "/");
    let first = me(&app).await;
    assert_redirects_to(&sign_in(&app, "work_gitlab").await, "/");
    let second = me(&app).await;
    for (op, name) in [(&a, "gitlab"), (&b, "work_gitlab")] {
        let redirect = &op.last_authorize_query().unwrap()["redirect_uri"];
        assert_eq!(redirect, &format!("{}/auth/{name}/callback", app.address));
    }
    assert_eq!(first["identities"][0]["provider"], "gitlab");
    assert_eq!(second["identities"][0]["provider"], "work_gitlab");
    assert_eq!(second["identities"][0]["username"], "bob");
    assert_ne!(
        first["id"], second["id"],
        "same subject, other instance: another user"
    );
    assert_eq!(app.counts().await.0, 2);
}

#[tokio::test]
async fn linkedin_posts_the_client_secret_without_pkce_and_accepts_a_token_without_nonce() {
    let op = FakeOidc::start().await;
    op.client_secret_post_only(false);
    op.no_pkce();
    op.no_nonce();
    let app = app_with(provider("linkedin", "linkedin", &op.issuer(), "")).await;
    assert_redirects_to(&sign_in(&app, "linkedin").await, "/");
    let query = op.last_authorize_query().unwrap();
    assert!(!query.contains_key("code_challenge"), "{query:?}");
    assert_eq!(me(&app).await["identities"][0]["username"], Value::Null);
}

#[tokio::test]
async fn a_linkedin_token_with_a_wrong_nonce_is_still_refused() {
    let op = FakeOidc::start().await;
    op.client_secret_post_only(false);
    op.no_pkce();
    op.wrong_nonce();
    let app = app_with(provider("linkedin", "linkedin", &op.issuer(), "")).await;
    assert_eq!(
        sign_in(&app, "linkedin").await.status(),
        StatusCode::BAD_GATEWAY
    );
}

/// Slack's claims: namespaced team and images, `picture` optional.
fn slack_claims(u: &FakeUser) -> Value {
    json!({"ok": true, "sub": u.sub, "https://slack.com/user_id": u.sub,
           "https://slack.com/team_id": "T0R7GR", "email": u.email,
           "email_verified": u.email_verified, "name": u.name, "locale": "en-US",
           "https://slack.com/team_name": "kraneflannel",
           "https://slack.com/user_image_512": "https://avatars.slack-edge.com/u_512.png"})
}

#[tokio::test]
async fn slack_scopes_the_subject_to_the_team_and_reads_its_namespaced_image() {
    let op = FakeOidc::start().await;
    op.client_secret_post_only(true);
    op.user_claims(slack_claims);
    op.set_user(FakeUser {
        sub: "U0R7JM".into(),
        ..FakeUser::default()
    });
    let app = app_with(provider("slack", "slack", &op.issuer(), "")).await;
    assert_redirects_to(&sign_in(&app, "slack").await, "/");
    let me = me(&app).await;
    assert_eq!(me["identities"][0]["subject"], "T0R7GR:U0R7JM");
    assert_eq!(me["avatar_url"], "https://avatars.slack-edge.com/u_512.png");
}

#[tokio::test]
async fn a_slack_code_refused_with_http_200_is_a_400() {
    let op = FakeOidc::start().await;
    op.user_claims(slack_claims);
    op.token_body(r#"{"ok":false,"error":"invalid_code"}"#);
    let app = app_with(provider("slack", "slack", &op.issuer(), "")).await;
    assert_eq!(
        sign_in(&app, "slack").await.status(),
        StatusCode::BAD_REQUEST
    );
}
