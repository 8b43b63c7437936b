//! The discord preset against a fake Discord: snowflake subject, global_name,
//! verified email and the avatar URL built from the hash.

use reqwest::StatusCode;
use serde_json::Value;

use crate::fake_discord::{DiscordUser, FakeDiscord};
use crate::helpers::{assert_redirects_to, spawn_app_with, Options, TestApp};

async fn app_with(discord: &FakeDiscord) -> TestApp {
    spawn_app_with(Options {
        extra_toml: discord.config("discord"),
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn a_discord_sign_in_maps_users_me_to_the_identity() {
    let discord = FakeDiscord::start().await;
    let app = app_with(&discord).await;
    assert_redirects_to(&app.sign_in("discord").await, "/");
    let me: Value = app.me().await.json().await.unwrap();
    assert_eq!(me["identities"][0]["provider"], "discord");
    assert_eq!(me["identities"][0]["subject"], "80351110224678912");
    assert_eq!(me["identities"][0]["username"], "nelly");
    assert_eq!(me["name"], "Nelly");
    assert_eq!(me["email"], "nelly@discord.com");
    assert_eq!(me["email_verified"], true);
    assert_eq!(
        me["avatar_url"],
        "https://cdn.discordapp.com/avatars/80351110224678912/8342729096ea3675442027381ff50dfe.png"
    );
    let query = discord.last_authorize_query().unwrap();
    assert_eq!(query["scope"], "identify email");
    assert_eq!(
        query["redirect_uri"],
        format!("{}/auth/discord/callback", app.address)
    );
}

#[tokio::test]
async fn a_discord_user_without_avatar_or_verified_email_gets_neither() {
    let discord = FakeDiscord::start().await;
    discord.set_user(DiscordUser {
        avatar: None,
        global_name: None,
        verified: false,
        ..DiscordUser::default()
    });
    let app = app_with(&discord).await;
    assert_redirects_to(&app.sign_in("discord").await, "/");
    let me: Value = app.me().await.json().await.unwrap();
    assert_eq!(me["avatar_url"], Value::Null);
    assert_eq!(me["email_verified"], false);
    let verify = app.get("/auth/verify").await;
    assert_eq!(verify.status(), StatusCode::OK);
    assert!(verify.headers().get("x-auth-request-email").is_none());
}

#[tokio::test]
async fn a_refused_discord_code_is_a_400() {
    let discord = FakeDiscord::start().await;
    let app = app_with(&discord).await;
    let callback = app.begin_sign_in("discord").await;
    let forged = regex_lite::Regex::new("code=[^&]+")
        .unwrap()
        .replace(&callback, "code=forged")
        .into_owned();
    assert_eq!(app.get_url(&forged).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.counts().await, (0, 0, 0));
}
