//! doorman inside an axum app: DESIGN.md's library-mode program, runnable.
//!
//!     cargo run --example embed          # http://127.0.0.1:8080/ with config/doorman.toml
//!
//! `/` is public, `/me` needs a signed-in user (`/corp-token` too: it
//! fetches the user's provider token), `/admin` the role `admin`
//! (`doorman users grant USER_ID admin`). tests/api/embed.rs drives
//! [`app`] through a fake provider.

use axum::response::Html;
use axum::{routing::get, Router};
use doorman::{Config, CurrentUser, Doorman, MaybeUser};

/// The host app's own state: doorman does not need to know about it.
#[derive(Clone)]
pub struct Host {
    /// What the pages call the app.
    pub name: &'static str,
}

/// The host app with doorman's routes merged and its layer on every route.
pub fn app(auth: &Doorman) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/me", get(me))
        .route("/corp-token", get(corp_token))
        .route(
            "/admin",
            get(admin).route_layer(doorman::require_group("admin")),
        )
        .with_state(Host { name: "embed" })
        .merge(auth.router())
        .layer(auth.layer())
}

async fn home(
    axum::extract::State(host): axum::extract::State<Host>,
    user: MaybeUser,
) -> Html<String> {
    let who = match user.0 {
        Some(user) => format!("Hello, {}.", escape(user.name.as_deref().unwrap_or("you"))),
        None => "Hello, guest. <a href=\"/login?next=/me\">Sign in</a>".into(),
    };
    Html(format!("<h1>{}</h1><p>{who}</p>", host.name))
}

async fn me(user: CurrentUser) -> Html<String> {
    Html(format!(
        "<p>Signed in as {} ({}); groups: {}</p>",
        user.id,
        escape(user.email.as_deref().unwrap_or("no verified email")),
        escape(&user.groups.join(", "))
    ))
}

/// Whether the user's `corp` access token is at hand (`store_tokens`), as
/// an app would fetch it to call the provider's API for the user.
async fn corp_token(user: CurrentUser) -> Html<String> {
    let answer = match user.provider_token("corp").await {
        Some(_) => "a corp access token is at hand",
        None => "no corp access token",
    };
    Html(format!("<p>{answer}</p>"))
}

async fn admin(user: CurrentUser) -> Html<String> {
    Html(format!("<p>Admin area for {}</p>", user.id))
}

/// Minimal HTML escaping for the example's own pages.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[allow(dead_code)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().init();
    let config = Config::load("config/doorman.toml")?;
    let bind = config.server.bind.clone();
    let auth = Doorman::build(config).await?;
    let listener = tokio::net::TcpListener::bind(&bind).await?;
    println!("serving http://{bind}/");
    axum::serve(listener, app(&auth)).await?;
    Ok(())
}
