//! The login-state cookie: sealing a state into a cookie value (JSON,
//! AES-GCM) and opening it again, the work every sign-in does once each way.

use criterion::{criterion_group, criterion_main, Criterion};
use doorman::flow::LoginState;
use doorman::web::LoginCookie;
use std::hint::black_box;
use tower_cookies::Key;

fn state() -> LoginState {
    LoginState {
        provider: "github".into(),
        state: "q7Yq3vV0n4kq1bRrWm2o1Q3c8YJ9ZfM5uTgH6sLxPdE".into(),
        pkce_verifier: Some("Jm0XyE1cJ2mK8bV4nP7rT9wQ3sD6fH5gL1aZ0xC2vB8".into()),
        nonce: Some("u3Kd8sL1pQ9wE4rT6yU2iO7aS5dF0gH3jK8lZ1xC4vB".into()),
        next: "/dashboard?tab=settings".into(),
        oauth1_token_secret: None,
        created_at: 1_700_000_000,
        link_session: None,
    }
}

fn seal_and_open(c: &mut Criterion) {
    let cookie = LoginCookie::new(Key::from(&[42u8; 64]), false);
    let state = state();
    let sealed = cookie.seal(&state).expect("seals");
    assert_eq!(cookie.open(&sealed).as_ref(), Some(&state));
    let mut group = c.benchmark_group("login_state");
    group.bench_function("seal", |b| b.iter(|| cookie.seal(black_box(&state))));
    group.bench_function("open", |b| b.iter(|| cookie.open(black_box(&sealed))));
    group.finish();
}

criterion_group!(benches, seal_and_open);
criterion_main!(benches);
