//! Deletes ended sessions (expired, idle or revoked) 30 days after they
//! ended, never before: until then a disabled user's cookie still finds its
//! session and keeps its 403.

use sea_orm::DatabaseConnection;

use crate::config::SessionConfig;
use crate::store;

/// How often ended sessions are deleted.
const CLEANUP_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);
/// Ended sessions are kept this long after they ended.
pub const KEEP_ENDED: time::Duration = time::Duration::days(30);

/// Deletes ended sessions once now and then every hour, in the background.
pub fn spawn(db: DatabaseConnection, config: &SessionConfig) -> tokio::task::JoinHandle<()> {
    let idle = time::Duration::try_from(config.idle_timeout).unwrap_or(time::Duration::days(7));
    tokio::spawn(async move {
        let mut every = tokio::time::interval(CLEANUP_EVERY);
        loop {
            every.tick().await;
            match store::delete_ended_sessions(&db, idle, KEEP_ENDED).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "ended sessions deleted"),
                Err(e) => tracing::warn!(error = %e, "session cleanup failed; will retry"),
            }
        }
    })
}
