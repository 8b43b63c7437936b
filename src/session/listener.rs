//! PostgreSQL: the session cache's change feed, a LISTEN on the store's
//! channel, and the proof that it is alive. Every HEARTBEAT this instance
//! sends itself a notification stamped with the time it was sent; its
//! arrival proves that every change committed before that time has been
//! received, so the cache is trusted until TRUST_FOR after it was sent.
//! A dead network path (no RST, or a proxy that answers TCP keepalives)
//! stops the pings: after TRUST_FOR lookups go to the database, and the
//! listener is replaced. The cache is not trusted before the first ping of
//! a new subscription arrives, and is flushed then.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sea_orm::sqlx::postgres::{PgListener, PgPool};

use super::cache::SessionCache;
use super::watch::apply;
use crate::store::notify::CHANNEL;

/// How often the listener's liveness is proven.
const HEARTBEAT: Duration = Duration::from_secs(2);
/// How long a proof of life is worth.
pub const TRUST_FOR: Duration = Duration::from_secs(10);
/// How long connecting and subscribing may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Applies notifications forever; while the feed is down the cache is bypassed.
pub async fn listen(pool: PgPool, cache: Arc<SessionCache>) {
    let me = format!("p:{}:", uuid::Uuid::new_v4().simple());
    let epoch = Instant::now();
    loop {
        cache.distrust();
        let Some(mut listener) = subscribe(&pool).await else {
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        };
        tracing::debug!("listening for session changes");
        let pings = tokio::spawn(heartbeat(pool.clone(), me.clone(), epoch));
        receive(&mut listener, &cache, &me, epoch).await;
        pings.abort();
        tracing::warn!(
            "session change feed lost; reading sessions from the database until it is back"
        );
    }
}

async fn subscribe(pool: &PgPool) -> Option<PgListener> {
    let attempt = async {
        let mut listener = PgListener::connect_with(pool).await?;
        listener.listen(CHANNEL).await?;
        Ok::<_, sea_orm::sqlx::Error>(listener)
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, attempt).await {
        Ok(Ok(listener)) => Some(listener),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "session change feed unavailable; retrying");
            None
        }
        Err(_) => {
            tracing::warn!("session change feed: subscribing timed out; retrying");
            None
        }
    }
}

/// Applies notifications until the connection fails or goes silent.
async fn receive(listener: &mut PgListener, cache: &SessionCache, me: &str, epoch: Instant) {
    let mut last_proof = Instant::now();
    loop {
        let deadline = tokio::time::Instant::from_std(last_proof + TRUST_FOR);
        let received = match tokio::time::timeout_at(deadline, listener.try_recv()).await {
            Ok(Ok(Some(n))) => n,
            // Ok(None), an error or silence: notifications may have been missed.
            _ => return,
        };
        let payload = received.payload();
        if let Some(sent) = payload.strip_prefix(me) {
            if let Ok(ms) = sent.parse::<u64>() {
                let sent_at = epoch + Duration::from_millis(ms);
                last_proof = last_proof.max(sent_at);
                cache.trust_until(sent_at + TRUST_FOR);
            }
        } else if !payload.starts_with("p:") {
            tracing::debug!(change = payload, "session change from the database");
            apply(cache, payload);
        }
    }
}

/// Sends this instance a stamped notification every HEARTBEAT.
async fn heartbeat(pool: PgPool, me: String, epoch: Instant) {
    let mut every = tokio::time::interval(HEARTBEAT);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let sent = epoch.elapsed().as_millis();
        let ping = sea_orm::sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(format!("{me}{sent}"))
            .execute(&pool);
        if let Ok(Err(e)) = tokio::time::timeout(HEARTBEAT, ping).await {
            tracing::debug!(error = %e, "session change feed heartbeat failed");
        }
    }
}
