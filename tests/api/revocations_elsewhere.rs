//! Revocations seen from elsewhere: another instance on the same
//! PostgreSQL database, and a script holding a doorman Bearer token.

use reqwest::StatusCode;
use serde_json::Value;

use crate::account_sessions::{revoke_json, two_browsers};
use crate::browsers::Browser;

#[tokio::test]
async fn on_postgresql_a_revocation_on_one_instance_holds_on_the_other() {
    let Some(server) = crate::databases::postgres_or_skip("a_revocation_on_one_instance") else {
        return;
    };
    let (_db, a, b) = crate::helpers::spawn_two_instances(&server).await;
    let (laptop, phone) = two_browsers(&a).await;
    let on_b = |browser: &Browser| Browser {
        client: browser.client.clone(),
        jar: browser.jar.clone(),
        address: b.address.clone(),
    };
    // Both sessions are cached on B before the revocation.
    assert_eq!(on_b(&phone).get("/api/me").await.status(), StatusCode::OK);
    assert_eq!(on_b(&laptop).get("/api/me").await.status(), StatusCode::OK);
    let phone_id = phone.current_session_id().await;
    assert_eq!(
        revoke_json(&laptop, &phone_id).await,
        StatusCode::NO_CONTENT
    );
    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    assert_eq!(
        on_b(&phone).get("/api/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let answer = on_b(&laptop)
        .client
        .post(format!("{}/api/sessions/revoke-others", b.address))
        .header("origin", &a.address)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    assert_eq!(on_b(&laptop).get("/api/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_bearer_client_lists_and_revokes_sessions_and_gets_204() {
    let app = crate::helpers::spawn_app_with(crate::helpers::Options {
        extra_toml: "[api_tokens]\nenabled = true\n".into(),
        ..Default::default()
    })
    .await;
    let (laptop, phone) = two_browsers(&app).await;
    let tokens = laptop.api_tokens().await;
    let access = tokens["access_token"].as_str().unwrap();
    let script = reqwest::Client::new();
    let list: Vec<Value> = script
        .get(format!("{}/api/sessions", app.address))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
    let phone_id = phone.current_session_id().await;
    let answer = script
        .post(format!("{}/api/sessions/{phone_id}/revoke", app.address))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::NO_CONTENT, "no Origin needed");
    assert_eq!(
        phone.get("/api/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}
