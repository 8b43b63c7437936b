//! What invalidates the session cache when another process writes: on
//! PostgreSQL a LISTEN on the store's notification channel; on SQLite a
//! check of `PRAGMA data_version` (which changes whenever another
//! connection commits) before a cached entry is trusted. Concurrent lookups
//! share checks: one that began after a lookup arrived answers for it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sea_orm::sqlx::sqlite::SqliteConnection;
use sea_orm::sqlx::ConnectOptions;
use sea_orm::{DatabaseConnection, DbBackend, DbErr};
use tokio::sync::Mutex;

use super::cache::SessionCache;
use crate::store::notify::{Change, CHANNEL};

/// The per-lookup freshness check (SQLite only).
pub enum Watch {
    /// Nothing to check per lookup (PostgreSQL notifications arrive by themselves).
    Notified,
    /// SQLite: a dedicated connection and the data_version last seen.
    DataVersion(DataVersion),
}

/// The SQLite freshness check's state.
pub struct DataVersion {
    /// How many checks have begun; a check's ticket is this count once it began.
    begun: AtomicU64,
    checked: Mutex<Checked>,
}

struct Checked {
    conn: SqliteConnection,
    /// The data_version last read.
    seen: i64,
    /// The ticket of the latest check that completed (cache invalidated if needed).
    done: u64,
}

impl Watch {
    /// Starts watching `db` for changes that affect `cache`.
    pub async fn start(db: &DatabaseConnection, cache: Arc<SessionCache>) -> Result<Watch, DbErr> {
        match db.get_database_backend() {
            DbBackend::Postgres => {
                let pool = db.get_postgres_connection_pool().clone();
                tokio::spawn(listen(pool, cache));
                Ok(Watch::Notified)
            }
            _ => {
                let options = db.get_sqlite_connection_pool().connect_options();
                let mut conn = options.connect().await.map_err(sqlx_err)?;
                let seen = data_version(&mut conn).await?;
                Ok(Watch::DataVersion(DataVersion {
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

    /// Before trusting the cache: drops it if another connection committed.
    pub async fn check(&self, cache: &SessionCache) -> Result<(), DbErr> {
        let Watch::DataVersion(state) = self else {
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
        let now = data_version(&mut checked.conn).await?;
        if now != checked.seen {
            cache.invalidate_all();
            checked.seen = now;
        }
        checked.done = ticket;
        Ok(())
    }
}

async fn data_version(conn: &mut SqliteConnection) -> Result<i64, DbErr> {
    sea_orm::sqlx::query_scalar("PRAGMA data_version")
        .fetch_one(conn)
        .await
        .map_err(sqlx_err)
}

fn sqlx_err(e: sea_orm::sqlx::Error) -> DbErr {
    DbErr::Custom(e.to_string())
}

/// Applies notifications; while the listener is down the cache is bypassed.
async fn listen(pool: sea_orm::sqlx::PgPool, cache: Arc<SessionCache>) {
    loop {
        cache.set_trusted(false);
        let listener = match sea_orm::sqlx::postgres::PgListener::connect_with(&pool).await {
            Ok(mut l) => l.listen(CHANNEL).await.map(|_| l),
            Err(e) => Err(e),
        };
        let mut listener = match listener {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "session change feed unavailable; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        cache.set_trusted(true);
        tracing::debug!("listening for session changes");
        // Ok(None) or an error: the connection was lost and notifications may
        // have been missed, so the outer loop distrusts the cache and reconnects.
        while let Ok(Some(n)) = listener.try_recv().await {
            let change = Change::parse(n.payload());
            tracing::debug!(change = ?change, "session change from the database");
            match change {
                Some(Change::Session(hash)) => cache.invalidate_session(&hash),
                Some(Change::User(id)) => cache.invalidate_user(id),
                None => cache.invalidate_all(),
            }
        }
    }
}
