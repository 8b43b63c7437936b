//! Who may come in: [access]'s verified-email lists, a provider's
//! allowed_groups (GitHub orgs and teams, an OIDC groups claim), roles, and
//! the forward-auth query rules.

use reqwest::StatusCode;
use serde_json::Value;

use crate::fake_github::{FakeGithub, GithubOrg, GithubUser};
use crate::fake_oidc::FakeUser;
use crate::helpers::{assert_redirects_to, spawn_app_with, Options, TestApp};

async fn app(extra_toml: &str) -> TestApp {
    spawn_app_with(Options {
        extra_toml: extra_toml.into(),
        ..Options::default()
    })
    .await
}

async fn user_id(app: &TestApp) -> String {
    let me: Value = app.me().await.json().await.unwrap();
    me["id"].as_str().unwrap().to_owned()
}

async fn verify(app: &TestApp, query: &str) -> reqwest::Response {
    app.get(&format!("/auth/verify{query}")).await
}

/// Asserts the callback's 403 access-denied page and that nothing was written.
async fn assert_access_denied(app: &TestApp, callback: reqwest::Response) {
    assert_eq!(callback.status(), StatusCode::FORBIDDEN);
    let page = callback.text().await.unwrap();
    assert!(page.contains("Access denied"), "{page}");
    assert_eq!(app.counts().await, (0, 0, 0), "nothing is written");
    assert_eq!(app.me().await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn only_verified_emails_in_an_allowed_domain_sign_in() {
    let extra = "\n[access]\nallowed_email_domains = [\"Example.com\"]\n";
    let app = app(extra).await;
    assert_redirects_to(&app.sign_in_corp("/").await, "/");

    let other = self::app(extra).await;
    other.corp.set_user(FakeUser {
        email: "eve@elsewhere.example".into(),
        ..FakeUser::default()
    });
    assert_access_denied(&other, other.sign_in_corp("/").await).await;

    let unverified = self::app(extra).await;
    unverified.corp.set_user(FakeUser {
        email_verified: false,
        ..FakeUser::default()
    });
    assert_access_denied(&unverified, unverified.sign_in_corp("/").await).await;
}

#[tokio::test]
async fn an_allowed_email_signs_in_whatever_its_domain() {
    let app = app("\n[access]\nallowed_emails = [\"ADA@example.com\"]\n").await;
    assert_redirects_to(&app.sign_in_corp("/").await, "/");
    app.corp.set_user(FakeUser {
        sub: "other".into(),
        email: "bob@example.com".into(),
        ..FakeUser::default()
    });
    let refused = app.sign_in_corp("/").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.counts().await.0, 1, "only Ada's user exists");
}

fn octocat_in(orgs: Vec<GithubOrg>) -> GithubUser {
    GithubUser {
        orgs,
        ..GithubUser::default()
    }
}

async fn github_app(github: &FakeGithub, allowed: &str) -> TestApp {
    let extra = format!(
        "{}allowed_groups = [{allowed}]\n",
        github.config("github", "/api/v3")
    );
    app(&extra).await
}

#[tokio::test]
async fn a_private_org_member_signs_in_with_github_and_a_stranger_does_not() {
    let github = FakeGithub::start().await;
    github.set_user(octocat_in(vec![GithubOrg::new("acme", false)]));
    let app = github_app(&github, "\"ACME\"").await;
    assert_redirects_to(&app.sign_in("github").await, "/");
    let scope = &github.last_authorize_query().unwrap()["scope"];
    assert!(scope.split(' ').any(|s| s == "read:org"), "{scope}");
    let answer = verify(&app, "").await;
    assert_eq!(answer.headers()["x-auth-request-groups"], "github:acme");
    let me: Value = app.me().await.json().await.unwrap();
    assert_eq!(me["groups"], serde_json::json!(["github:acme"]));

    let stranger = FakeGithub::start().await;
    stranger.set_user(octocat_in(vec![GithubOrg::new("other", true)]));
    let refused = github_app(&stranger, "\"acme\"").await;
    assert_access_denied(&refused, refused.sign_in("github").await).await;
}

#[tokio::test]
async fn a_github_team_counts_as_org_slash_slug() {
    let github = FakeGithub::start().await;
    github.set_orgs(vec![GithubOrg::new("acme", true)], &[("acme", "platform")]);
    let app = github_app(&github, "\"acme/platform\"").await;
    assert_redirects_to(&app.sign_in("github").await, "/");
    let answer = verify(&app, "").await;
    assert_eq!(
        answer.headers()["x-auth-request-groups"],
        "github:acme,github:acme/platform"
    );
}

#[tokio::test]
async fn a_membership_on_the_second_page_of_orgs_counts() {
    let github = FakeGithub::start().await;
    let mut orgs: Vec<GithubOrg> = (0..100)
        .map(|i| GithubOrg::new(&format!("filler-{i:03}"), true))
        .collect();
    orgs.push(GithubOrg::new("acme", false));
    github.set_user(octocat_in(orgs));
    let app = github_app(&github, "\"acme\"").await;
    assert_redirects_to(&app.sign_in("github").await, "/");
    assert_eq!(github.orgs_pages_served(), 2);
}

#[tokio::test]
async fn a_groups_answer_of_the_wrong_shape_or_without_end_is_a_502_and_writes_nothing() {
    let github = FakeGithub::start().await;
    github.orgs_body(serde_json::json!({"message": "Not Found"}));
    let app = github_app(&github, "\"acme\"").await;
    let callback = app.sign_in("github").await;
    assert_eq!(callback.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(app.counts().await, (0, 0, 0));

    let endless = FakeGithub::start().await;
    endless.set_user(octocat_in(vec![GithubOrg::new("acme", true)]));
    endless.endless_pages();
    let app = github_app(&endless, "\"acme\"").await;
    assert_eq!(
        app.sign_in("github").await.status(),
        StatusCode::BAD_GATEWAY
    );
    assert_eq!(endless.orgs_pages_served(), 10);
    assert_eq!(app.counts().await, (0, 0, 0));
}

#[tokio::test]
async fn an_oidc_groups_claim_reaches_forward_auth_and_allowed_groups_refuses_others() {
    let app = app("groups_claim = \"roles\"\nallowed_groups = [\"engineering\"]\n").await;
    app.corp
        .extra_claims(serde_json::json!({"roles": ["engineering", "a,b"]}));
    assert_redirects_to(&app.sign_in_corp("/").await, "/");
    let answer = verify(&app, "").await;
    assert_eq!(
        answer.headers()["x-auth-request-groups"],
        "corp:a%2Cb,corp:engineering"
    );

    let other = self::app("allowed_groups = [\"engineering\"]\n").await;
    other
        .corp
        .extra_claims(serde_json::json!({"groups": "sales"}));
    assert_access_denied(&other, other.sign_in_corp("/").await).await;
}

#[tokio::test]
async fn query_rules_on_verify_answer_200_403_and_401() {
    let app = app("groups = true\n").await;
    app.corp
        .extra_claims(serde_json::json!({"groups": ["engineering", "a,b"]}));
    assert_eq!(
        verify(&app, "?allowed_groups=corp:engineering")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    app.sign_in_corp("/").await;
    for (query, status) in [
        (
            "?allowed_groups=corp:sales,CORP:Engineering",
            StatusCode::OK,
        ),
        ("?allowed_groups=corp:a%2Cb", StatusCode::OK),
        ("?allowed_groups=corp:sales", StatusCode::FORBIDDEN),
        ("?allowed_email_domains=example.com", StatusCode::OK),
        ("?allowed_emails=bob@example.com", StatusCode::FORBIDDEN),
        (
            "?allowed_groups=corp:engineering&allowed_email_domains=example.com",
            StatusCode::OK,
        ),
        (
            "?allowed_groups=corp:engineering&allowed_email_domains=other.example",
            StatusCode::FORBIDDEN,
        ),
    ] {
        assert_eq!(verify(&app, query).await.status(), status, "{query}");
    }
}

#[tokio::test]
async fn a_granted_role_applies_to_the_same_cookie_and_a_revoked_one_is_gone() {
    let app = app("").await;
    app.sign_in_corp("/").await;
    let id = user_id(&app).await;
    assert!(verify(&app, "")
        .await
        .headers()
        .get("x-auth-request-groups")
        .is_none());
    assert_eq!(
        verify(&app, "?allowed_groups=admin").await.status(),
        StatusCode::FORBIDDEN
    );
    let granted = app.cli(&["users", "grant", &id, "admin"]).await;
    assert!(granted.status.success(), "{granted:?}");
    let answer = verify(&app, "?allowed_groups=admin").await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()["x-auth-request-groups"], "admin");
    let shown = app.cli(&["users", "show", &id]).await;
    assert!(String::from_utf8_lossy(&shown.stdout).contains("roles: admin"));
    let revoked = app.cli(&["users", "revoke", &id, "admin"]).await;
    assert!(revoked.status.success(), "{revoked:?}");
    assert_eq!(
        verify(&app, "?allowed_groups=admin").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_bad_role_name_or_unknown_user_exits_non_zero() {
    let app = app("").await;
    app.sign_in_corp("/").await;
    let id = user_id(&app).await;
    let bad = app.cli(&["users", "grant", &id, "github:acme"]).await;
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a valid role"));
    let nobody = uuid::Uuid::now_v7().to_string();
    let missing = app.cli(&["users", "grant", &nobody, "admin"]).await;
    assert!(!missing.status.success());
}

#[tokio::test]
async fn stale_provider_groups_are_left_out_and_a_failing_rule_asks_to_sign_in_again() {
    let app = app("groups = true\n\n[access]\ngroups_max_age = \"2s\"\n").await;
    app.corp
        .extra_claims(serde_json::json!({"groups": ["acme"]}));
    app.sign_in_corp("/").await;
    let id = user_id(&app).await;
    assert!(app
        .cli(&["users", "grant", &id, "admin"])
        .await
        .status
        .success());
    // Signed in again right now: the groups' two seconds start here, not
    // before the (slower) CLI run.
    app.sign_in_corp("/").await;
    let fresh = verify(&app, "?allowed_groups=corp:acme").await;
    assert_eq!(fresh.headers()["x-auth-request-groups"], "admin,corp:acme");
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let stale = verify(&app, "").await;
    assert_eq!(stale.headers()["x-auth-request-groups"], "admin");
    assert_eq!(
        verify(&app, "?allowed_groups=corp:acme").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        verify(&app, "?allowed_groups=admin").await.status(),
        StatusCode::OK
    );
    app.sign_in_corp("/").await;
    let again = verify(&app, "?allowed_groups=corp:acme").await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.headers()["x-auth-request-groups"], "admin,corp:acme");
}

#[tokio::test]
async fn a_role_change_reaches_every_instance_on_postgresql() {
    let Some(server) = crate::databases::postgres_or_skip("a_role_change_reaches_every_instance")
    else {
        return;
    };
    let (_db, a, b) = crate::helpers::spawn_two_instances(&server).await;
    a.sign_in_corp("/").await;
    let id = user_id(&a).await;
    let on_b = format!("{}/auth/verify?allowed_groups=admin", b.address);
    assert_eq!(a.get_url(&on_b).await.status(), StatusCode::FORBIDDEN);
    assert!(a
        .cli(&["users", "grant", &id, "admin"])
        .await
        .status
        .success());
    assert_eq!(a.get_url(&on_b).await.status(), StatusCode::OK);
    assert_eq!(
        verify(&a, "?allowed_groups=admin").await.status(),
        StatusCode::OK
    );
    assert!(a
        .cli(&["users", "revoke", &id, "admin"])
        .await
        .status
        .success());
    assert_eq!(a.get_url(&on_b).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        verify(&a, "?allowed_groups=admin").await.status(),
        StatusCode::FORBIDDEN
    );
}
