//! last_seen_at, off the request path: a lookup that finds a session unused
//! for a minute marks it in memory (one compare-and-swap wins per minute);
//! a background task writes every marked session in one transaction per
//! interval, so the database sees at most one batched write a minute
//! whatever the number of sessions or requests.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::store;

/// How often marked sessions are written (and so the resolution of last_seen_at).
pub const TOUCH_EVERY: Duration = Duration::from_secs(60);

/// Sessions used since the last write.
#[derive(Default)]
pub struct Touched(Mutex<HashSet<Uuid>>);

impl Touched {
    /// Marks a session as used.
    pub fn mark(&self, id: Uuid) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(id);
    }

    fn take(&self) -> Vec<Uuid> {
        let mut set = self.0.lock().unwrap_or_else(|e| e.into_inner());
        std::mem::take(&mut *set).into_iter().collect()
    }

    /// Writes every marked session's last use now.
    pub async fn flush(&self, db: &DatabaseConnection) {
        let ids = self.take();
        if ids.is_empty() {
            return;
        }
        let at = time::OffsetDateTime::now_utc();
        if let Err(e) = store::touch_sessions(db, &ids, at).await {
            tracing::warn!(error = %e, sessions = ids.len(), "could not record sessions' last use");
        }
    }
}

/// Flushes `touched` every [`TOUCH_EVERY`] until it is dropped.
pub fn spawn_writer(db: DatabaseConnection, touched: Weak<Touched>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(TOUCH_EVERY);
        every.tick().await;
        loop {
            every.tick().await;
            let Some(touched) = touched.upgrade() else {
                return;
            };
            touched.flush(&db).await;
        }
    });
}

/// A shared set of used sessions.
pub fn new() -> Arc<Touched> {
    Arc::new(Touched::default())
}
