//! A minimal OpenID provider for benchmarks: discovery, JWKS, an authorize
//! endpoint that answers at once (no form), token and userinfo, on 127.0.0.1.
//! The subject comes from a `bench_sub` parameter the load generator adds to
//! the authorize URL, so a run can sign in new or returning users.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p256::elliptic_curve::rand_core::OsRng;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::EncodePrivateKey;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The client id doorman is configured with.
pub const CLIENT_ID: &str = "bench-client";
/// Its secret.
pub const CLIENT_SECRET: &str = "bench-secret";

struct Grant {
    redirect_uri: String,
    challenge: String,
    nonce: String,
    sub: String,
}

struct Op {
    issuer: String,
    key: EncodingKey,
    jwk: Value,
    codes: Mutex<HashMap<String, Grant>>,
}

/// Serves the provider on `127.0.0.1:port` until the process ends.
pub async fn serve(port: u16) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let port = listener.local_addr()?.port();
    let secret = p256::SecretKey::random(&mut OsRng);
    let der = secret.to_pkcs8_der().map_err(std::io::Error::other)?;
    let point = secret.public_key().to_encoded_point(false);
    let coord = |c: Option<&_>| c.map(|c| URL_SAFE_NO_PAD.encode(c)).unwrap_or_default();
    let op = Arc::new(Op {
        issuer: format!("http://127.0.0.1:{port}"),
        key: EncodingKey::from_ec_der(der.as_bytes()),
        jwk: json!({"kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": "bench",
                    "x": coord(point.x()), "y": coord(point.y())}),
        codes: Mutex::new(HashMap::new()),
    });
    let app = Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/authorize", get(authorize))
        .route("/token", post(token))
        .route("/userinfo", get(userinfo))
        .with_state(op);
    println!("provider listening on http://127.0.0.1:{port}");
    axum::serve(listener, app).await
}

async fn discovery(State(op): State<Arc<Op>>) -> Json<Value> {
    let iss = &op.issuer;
    Json(json!({
        "issuer": iss,
        "authorization_endpoint": format!("{iss}/authorize"),
        "token_endpoint": format!("{iss}/token"),
        "userinfo_endpoint": format!("{iss}/userinfo"),
        "jwks_uri": format!("{iss}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
    }))
}

async fn jwks(State(op): State<Arc<Op>>) -> Json<Value> {
    Json(json!({ "keys": [op.jwk] }))
}

async fn authorize(
    State(op): State<Arc<Op>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let param = |k: &str| q.get(k).cloned().unwrap_or_default();
    let Ok(mut target) = url::Url::parse(&param("redirect_uri")) else {
        return (StatusCode::BAD_REQUEST, "bad redirect_uri").into_response();
    };
    let code = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let grant = Grant {
        redirect_uri: param("redirect_uri"),
        challenge: param("code_challenge"),
        nonce: param("nonce"),
        sub: q
            .get("bench_sub")
            .cloned()
            .unwrap_or_else(|| "bench".into()),
    };
    op.codes
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(code.clone(), grant);
    target
        .query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", &param("state"));
    Redirect::to(target.as_str()).into_response()
}

async fn token(State(op): State<Arc<Op>>, headers: HeaderMap, body: Bytes) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    let authorized = headers
        .get(header::AUTHORIZATION)
        .is_some_and(|v| v == basic.as_str())
        || form.get("client_secret").map(String::as_str) == Some(CLIENT_SECRET);
    if !authorized {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    let code = form.get("code").cloned().unwrap_or_default();
    let grant = op
        .codes
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&code);
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    let Some(grant) = grant.filter(|g| {
        form.get("redirect_uri") == Some(&g.redirect_uri)
            && URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == g.challenge
    }) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_grant"})),
        )
            .into_response();
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let mut claims = user_claims(&grant.sub);
    for (name, value) in [
        ("iss", json!(op.issuer)),
        ("aud", json!(CLIENT_ID)),
        ("iat", json!(now)),
        ("exp", json!(now + 300)),
        ("nonce", json!(grant.nonce)),
    ] {
        claims[name] = value;
    }
    let mut jwt_header = Header::new(Algorithm::ES256);
    jwt_header.kid = Some("bench".into());
    let Ok(id_token) = jsonwebtoken::encode(&jwt_header, &claims, &op.key) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    Json(
        json!({"access_token": format!("at.{}", grant.sub), "token_type": "Bearer",
                "expires_in": 3600, "id_token": id_token}),
    )
    .into_response()
}

async fn userinfo(headers: HeaderMap) -> Response {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer at."));
    match bearer {
        Some(sub) => Json(user_claims(sub)).into_response(),
        None => StatusCode::UNAUTHORIZED.into_response(),
    }
}

fn user_claims(sub: &str) -> Value {
    json!({"sub": sub, "name": format!("Bench User {sub}"), "email": format!("{sub}@bench.example"),
           "email_verified": true, "preferred_username": sub})
}
