//! `next` is honoured only as a path on this site.

use crate::helpers::{assert_redirects_to, spawn_app};

#[tokio::test]
async fn a_local_next_is_honoured() {
    let app = spawn_app().await;
    let answer = app.sign_in_corp("/dashboard?tab=1").await;
    assert_redirects_to(&answer, "/dashboard?tab=1");
}

#[tokio::test]
async fn an_off_site_next_falls_back_to_root() {
    let app = spawn_app().await;
    for next in [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "/\t/evil.example",
    ] {
        let answer = app.sign_in_corp(next).await;
        assert_redirects_to(&answer, "/");
    }
}
