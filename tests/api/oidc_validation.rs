//! ID token and userinfo validation: every bad token is a 502 and no session.

use crate::fake_oidc::FakeOidc;
use crate::helpers::{assert_redirects_to, assert_sign_in_is_refused, spawn_app};

#[tokio::test]
async fn an_id_token_with_a_wrong_signature_is_refused() {
    assert_sign_in_is_refused(FakeOidc::wrong_signature).await;
}

#[tokio::test]
async fn an_unsigned_alg_none_id_token_is_refused() {
    assert_sign_in_is_refused(FakeOidc::alg_none).await;
}

#[tokio::test]
async fn an_id_token_from_another_issuer_is_refused() {
    assert_sign_in_is_refused(FakeOidc::wrong_iss).await;
}

#[tokio::test]
async fn an_id_token_for_another_audience_is_refused() {
    assert_sign_in_is_refused(FakeOidc::wrong_aud).await;
}

#[tokio::test]
async fn an_id_token_with_an_untrusted_extra_audience_is_refused() {
    assert_sign_in_is_refused(FakeOidc::extra_aud_without_azp).await;
}

#[tokio::test]
async fn an_id_token_for_another_authorized_party_is_refused() {
    assert_sign_in_is_refused(|op| op.azp("someone-else")).await;
}

#[tokio::test]
async fn an_expired_id_token_is_refused() {
    assert_sign_in_is_refused(FakeOidc::expired).await;
}

#[tokio::test]
async fn an_id_token_issued_in_the_future_is_refused() {
    assert_sign_in_is_refused(FakeOidc::iat_in_future).await;
}

#[tokio::test]
async fn an_id_token_with_a_wrong_nonce_is_refused() {
    assert_sign_in_is_refused(FakeOidc::wrong_nonce).await;
}

#[tokio::test]
async fn an_id_token_without_a_nonce_is_refused() {
    assert_sign_in_is_refused(FakeOidc::no_nonce).await;
}

#[tokio::test]
async fn a_userinfo_sub_that_is_not_the_id_tokens_is_refused() {
    assert_sign_in_is_refused(|op| op.userinfo_sub("someone-else")).await;
}

#[tokio::test]
async fn a_userinfo_that_answers_html_is_refused() {
    assert_sign_in_is_refused(|op| op.userinfo_body("<html>oops</html>", "text/html")).await;
}

#[tokio::test]
async fn a_userinfo_error_is_refused() {
    assert_sign_in_is_refused(|op| op.userinfo_status(500)).await;
}

#[tokio::test]
async fn a_key_rotation_is_accepted_after_one_jwks_refetch() {
    let app = spawn_app().await;
    assert_redirects_to(&app.sign_in_corp("/").await, "/");
    let fetched = app.corp.jwks_requests();
    app.corp.rotate_keys();
    assert_redirects_to(&app.sign_in_corp("/").await, "/");
    assert_eq!(app.corp.jwks_requests(), fetched + 1);
    assert_eq!(app.counts().await.0, 1);
}

#[tokio::test]
async fn an_id_token_without_kid_is_accepted_when_the_jwks_has_one_key() {
    let app = spawn_app().await;
    app.corp.no_kid();
    assert_redirects_to(&app.sign_in_corp("/").await, "/");
}
