//! What invalidates the session cache when another process writes.
//!
//! PostgreSQL: a LISTEN on the store's notification channel, with a
//! heartbeat (see listener.rs). SQLite: every writer, doorman's pool and the
//! CLI alike, inserts a row into `changes` in the transaction of its write;
//! before a cached entry is trusted, the rows added since the last check are
//! read and applied precisely (one session, one user). doorman's own writes
//! come back the same way, as precise invalidations that the writer already
//! applied: they never empty the cache. Concurrent lookups share checks: one
//! that began after a lookup arrived answers for it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use sea_orm::sqlx::sqlite::SqliteConnection;
use sea_orm::sqlx::ConnectOptions;
use sea_orm::{DatabaseConnection, DbBackend};
use tokio::sync::Mutex;

use super::cache::SessionCache;
use super::listener;
use crate::store::notify::Change;
use crate::store::Error;

/// More new changes than this at one check: the cache is flushed instead.
const MAX_CHANGES_PER_CHECK: i64 = 1000;

/// The per-lookup freshness check (SQLite only).
pub enum Watch {
    /// Nothing to check per lookup (PostgreSQL notifications arrive by themselves).
    Notified,
    /// SQLite: a dedicated connection and the last change applied.
    Changes(Changes),
}

/// The SQLite freshness check's state.
pub struct Changes {
    /// How many checks have begun; a check's ticket is this count once it began.
    begun: AtomicU64,
    checked: Mutex<Checked>,
}

struct Checked {
    conn: SqliteConnection,
    /// The seq of the last change applied.
    seen: i64,
    /// The ticket of the latest check that completed.
    done: u64,
}

impl Watch {
    /// Starts watching `db` for changes that affect `cache`.
    pub async fn start(db: &DatabaseConnection, cache: Arc<SessionCache>) -> Result<Watch, Error> {
        match db.get_database_backend() {
            DbBackend::Postgres => {
                let pool = db.get_postgres_connection_pool().clone();
                tokio::spawn(listener::listen(pool, cache));
                Ok(Watch::Notified)
            }
            _ => {
                let options = db.get_sqlite_connection_pool().connect_options();
                let mut conn = options.connect().await.map_err(sqlx_err)?;
                let seen = last_seq(&mut conn).await?;
                Ok(Watch::Changes(Changes {
                    begun: AtomicU64::new(0),
                    checked: Mutex::new(Checked {
                        conn,
                        seen,
                        done: 0,
                    }),
                }))
            }
        }
    }

    /// Before trusting the cache: applies the changes other writers made.
    pub async fn check(&self, cache: &SessionCache) -> Result<(), Error> {
        let Watch::Changes(state) = self else {
            return Ok(());
        };
        // A check whose ticket is above this count began after this lookup
        // arrived, so it saw every commit that finished before.
        let arrived = state.begun.load(Ordering::SeqCst);
        let mut checked = state.checked.lock().await;
        if checked.done > arrived {
            return Ok(());
        }
        let ticket = state.begun.fetch_add(1, Ordering::SeqCst) + 1;
        let seen = checked.seen;
        let rows = changes_after(&mut checked.conn, seen).await?;
        if let Some((last, _)) = rows.last() {
            let contiguous = rows.first().map(|(seq, _)| *seq) == Some(seen + 1);
            if contiguous && rows.len() < MAX_CHANGES_PER_CHECK as usize {
                rows.iter().for_each(|(_, change)| apply(cache, change));
                checked.seen = *last;
            } else {
                // Pruned or too many: what was missed is unknown.
                cache.invalidate_all();
                checked.seen = last_seq(&mut checked.conn).await?;
            }
        }
        checked.done = ticket;
        Ok(())
    }
}

/// Applies one change payload to the cache (anything unknown flushes it).
pub fn apply(cache: &SessionCache, payload: &str) {
    match Change::parse(payload) {
        Some(Change::Session(hash)) => cache.invalidate_session(&hash),
        Some(Change::User(id)) => cache.invalidate_user(id),
        None => cache.invalidate_all(),
    }
}

async fn changes_after(
    conn: &mut SqliteConnection,
    seen: i64,
) -> Result<Vec<(i64, String)>, Error> {
    sea_orm::sqlx::query_as("SELECT seq, change FROM changes WHERE seq > ? ORDER BY seq LIMIT ?")
        .bind(seen)
        .bind(MAX_CHANGES_PER_CHECK)
        .fetch_all(conn)
        .await
        .map_err(sqlx_err)
}

async fn last_seq(conn: &mut SqliteConnection) -> Result<i64, Error> {
    sea_orm::sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM changes")
        .fetch_one(conn)
        .await
        .map_err(sqlx_err)
}

fn sqlx_err(e: sea_orm::sqlx::Error) -> Error {
    Error::from(sea_orm::DbErr::Query(sea_orm::RuntimeErr::SqlxError(
        Arc::new(e),
    )))
}
