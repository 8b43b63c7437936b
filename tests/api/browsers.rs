//! Several browsers on one app: each its own cookie jar, signing in with
//! `corp` or the dev IdP, and acting on the account's sessions.
#![allow(dead_code)]

use std::sync::Arc;

use reqwest::cookie::Jar;
use reqwest::{Client, RequestBuilder, Response, StatusCode};
use serde_json::Value;

use crate::helpers::{cookie_value, hidden_fields, location, TestApp};

/// A browser: a client with its own cookies and User-Agent.
pub struct Browser {
    /// The client; redirects are not followed.
    pub client: Client,
    /// Its cookies.
    pub jar: Arc<Jar>,
    /// The app's address.
    pub address: String,
}

impl Browser {
    /// A fresh browser (no cookies) on `app`, sending `user_agent`.
    pub fn new(app: &TestApp, user_agent: &str) -> Browser {
        let jar = Arc::new(Jar::default());
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_provider(jar.clone())
            .user_agent(user_agent)
            .build()
            .unwrap();
        Browser {
            client,
            jar,
            address: app.address.clone(),
        }
    }

    /// The app's own client, as a browser.
    pub fn of(app: &TestApp) -> Browser {
        Browser {
            client: app.client.clone(),
            jar: app.jar.clone(),
            address: app.address.clone(),
        }
    }

    /// GET a path.
    pub async fn get(&self, path: &str) -> Response {
        self.get_url(&format!("{}{path}", self.address)).await
    }

    /// GET a full URL.
    pub async fn get_url(&self, url: &str) -> Response {
        self.client.get(url).send().await.expect("request sent")
    }

    /// A POST to a path, from this site (Origin is the app's).
    pub fn post(&self, path: &str) -> RequestBuilder {
        self.client
            .post(format!("{}{path}", self.address))
            .header("origin", &self.address)
    }

    /// A whole sign-in with `corp` (whose current user the fake decides).
    pub async fn sign_in_corp(&self) -> Response {
        let begin = self.get("/auth/corp?next=/").await;
        assert_eq!(begin.status(), StatusCode::SEE_OTHER);
        let authorize = self.get_url(&location(&begin)).await;
        assert_eq!(authorize.status(), StatusCode::SEE_OTHER);
        self.get_url(&location(&authorize)).await
    }

    /// A whole sign-in through the dev IdP's form.
    pub async fn sign_in_dev(&self, name: &str, email: &str) -> Response {
        let begin = self.get("/auth/dev?next=/").await;
        assert_eq!(begin.status(), StatusCode::SEE_OTHER);
        let html = self.get_url(&location(&begin)).await.text().await.unwrap();
        let mut fields = hidden_fields(&html);
        fields.push(("name".into(), name.into()));
        fields.push(("email".into(), email.into()));
        let submitted = self
            .client
            .post(format!("{}/dev-idp/authorize", self.address))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(submitted.status(), StatusCode::SEE_OTHER);
        self.get_url(&location(&submitted)).await
    }

    /// GET /api/me as JSON (panics unless 200).
    pub async fn me(&self) -> Value {
        let answer = self.get("/api/me").await;
        assert_eq!(answer.status(), StatusCode::OK, "signed in");
        answer.json().await.unwrap()
    }

    /// GET /api/sessions as JSON (panics unless 200).
    pub async fn sessions(&self) -> Vec<Value> {
        let answer = self.get("/api/sessions").await;
        assert_eq!(answer.status(), StatusCode::OK);
        answer.json().await.unwrap()
    }

    /// The id of this browser's own session, from /api/sessions.
    pub async fn current_session_id(&self) -> String {
        let list = self.sessions().await;
        let current = list.iter().find(|s| s["current"] == true).expect("current");
        current["id"].as_str().unwrap().to_owned()
    }

    /// POST /api/token from this browser's session: {access_token, refresh_token, ...}.
    pub async fn api_tokens(&self) -> Value {
        let answer = self.post("/api/token").send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
        answer.json().await.unwrap()
    }

    /// The session cookie's value.
    pub fn session_token(&self) -> Option<String> {
        cookie_value(&self.jar, &self.address, "doorman_session")
    }
}
