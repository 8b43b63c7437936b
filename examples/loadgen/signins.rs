//! Full sign-ins through doorman against the bench provider, many at once:
//! GET /auth/NAME -> 303 to the provider -> 303 to the callback -> 303 with
//! the session cookie. Only 127.0.0.1 is ever contacted.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Client, Response, StatusCode};

/// What a run measured.
pub struct Report {
    /// Sign-ins attempted.
    pub count: usize,
    /// Sign-ins that did not end in a session.
    pub failures: usize,
    /// Wall time of the whole run.
    pub elapsed: Duration,
    /// Latencies of the successful sign-ins, sorted.
    pub latencies: Vec<Duration>,
    /// The first few failures, for the log.
    pub first_errors: Vec<String>,
}

/// A client that never follows redirects (cookies are carried by hand).
pub fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(256)
        .build()
        .unwrap_or_default()
}

/// One whole sign-in of subject `sub`; returns the session cookie (`name=value`).
pub async fn sign_in(
    client: &Client,
    doorman: &str,
    provider: &str,
    sub: &str,
) -> Result<String, String> {
    let begin = get(client, &format!("{doorman}/auth/{provider}?next=/"), None).await?;
    let login = cookie(&begin, "login").ok_or("begin set no login-state cookie")?;
    let authorize = local(location(&begin)?)?;
    let answer = get(client, &format!("{authorize}&bench_sub={sub}"), None).await?;
    let callback = local(location(&answer)?)?;
    let done = get(client, &callback, Some(&login)).await?;
    if location(&done)? != "/" {
        return Err("the callback did not send the user on to /".into());
    }
    cookie(&done, "session").ok_or_else(|| "the callback set no session cookie".into())
}

/// `count` sign-ins of subjects `{prefix}-{i}`, `concurrency` at a time.
pub async fn run(
    doorman: &str,
    provider: &str,
    prefix: &str,
    count: usize,
    concurrency: usize,
) -> Report {
    let client = client();
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (client, next, errors) = (client.clone(), next.clone(), errors.clone());
        let (doorman, provider, prefix) =
            (doorman.to_owned(), provider.to_owned(), prefix.to_owned());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    return latencies;
                }
                let t = Instant::now();
                match sign_in(&client, &doorman, &provider, &format!("{prefix}-{i}")).await {
                    Ok(_) => latencies.push(t.elapsed()),
                    Err(e) => errors.lock().unwrap_or_else(|p| p.into_inner()).push(e),
                }
            }
        }));
    }
    let mut latencies = Vec::with_capacity(count);
    for w in workers {
        latencies.extend(w.await.unwrap_or_default());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let errors = errors.lock().unwrap_or_else(|p| p.into_inner()).clone();
    Report {
        count,
        failures: count - latencies.len(),
        elapsed,
        latencies,
        first_errors: errors.into_iter().take(5).collect(),
    }
}

impl Report {
    /// The latency below which `q` of the successful sign-ins finished, in ms.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.latencies.is_empty() {
            return 0.0;
        }
        let i = ((self.latencies.len() as f64 * q).ceil() as usize).clamp(1, self.latencies.len());
        self.latencies[i - 1].as_secs_f64() * 1000.0
    }
}

async fn get(client: &Client, url: &str, cookie: Option<&str>) -> Result<Response, String> {
    let mut request = client.get(url);
    if let Some(c) = cookie {
        request = request.header(COOKIE, c);
    }
    let response = request
        .send()
        .await
        .map_err(|e| format!("GET {url}: {e}"))?;
    if response.status() != StatusCode::SEE_OTHER {
        let status = response.status();
        let path = url.split('?').next().unwrap_or(url).to_owned();
        let body: String = response
            .text()
            .await
            .unwrap_or_default()
            .chars()
            .take(200)
            .collect();
        return Err(format!("GET {path}: {status}: {body}"));
    }
    Ok(response)
}

fn location(response: &Response) -> Result<String, String> {
    response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .ok_or_else(|| "a redirect without Location".into())
}

/// Refuses to follow a redirect anywhere but this machine.
fn local(url: String) -> Result<String, String> {
    if url.starts_with("http://127.0.0.1:") {
        Ok(url)
    } else {
        Err(format!(
            "refusing to follow a redirect off 127.0.0.1: {url}"
        ))
    }
}

/// The `name=value` of the first Set-Cookie whose name ends with `_{suffix}`.
fn cookie(response: &Response, suffix: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| {
            pair.split_once('=')
                .is_some_and(|(n, v)| n.ends_with(&format!("_{suffix}")) && !v.is_empty())
        })
        .map(str::to_owned)
}
