//! The users store: sea-orm entities and verbs. SQLite is the embedded
//! default, PostgreSQL the scale-out database. No axum here.

pub mod clean;
pub mod entities;
mod errors;
mod events;
mod identities;
mod links;
mod logout;
pub mod notify;
mod provider_tokens;
mod refresh_tokens;
mod revocations;
mod roles;
mod sessions;
mod users;

use std::path::Path;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

pub use events::{latest_events, record_event, EventKind, NewEvent};
pub use identities::{upsert_identity, SignIn};
pub use links::{link_identity, unlink_identity, UnlinkRefusal};
pub use logout::{backchannel_logout, LogoutTarget};
pub use provider_tokens::{
    finish_token_refresh, provider_tokens, set_provider_tokens, take_token_lease, StoredTokens,
};
pub use refresh_tokens::{
    find_refresh_token, find_session_by_id, insert_refresh_token, rotate_refresh_token,
};
pub use revocations::{
    end_reused_session, list_live_sessions, revoke_all_sessions, revoke_other_sessions,
    revoke_session_by_id, sign_out, Ended,
};
pub use roles::{grant_role, is_valid_role, revoke_role, user_roles};
pub use sessions::{
    delete_ended_sessions, end_user_sessions, find_session, find_session_row, insert_session,
    revoke_session, revoke_user_sessions, touch_sessions, IdTokenColumns, NewSession, SessionRow,
};
pub use users::{find_user, list_users, set_disabled, user_identities};

pub use errors::{is_unavailable, Error};

use crate::config::DatabaseConfig;

/// Where a request came from: kept on sessions and events.
#[derive(Debug, Clone, Default)]
pub struct ClientMeta {
    /// Client IP.
    pub ip: Option<String>,
    /// User-Agent header (shortened).
    pub user_agent: Option<String>,
}

/// SQLite's page cache per connection, in KiB (as `PRAGMA cache_size` wants it: negative).
const SQLITE_CACHE_KIB: &str = "-256";
/// Prepared statements kept per SQLite connection (sqlx's default is 100):
/// more than a sign-in uses, fewer than every query doorman has.
const SQLITE_STATEMENTS: usize = 32;

/// Connects with the configured pool settings (SQLite: WAL, busy timeout,
/// foreign keys on; its folder is created).
pub async fn connect(config: &DatabaseConfig) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = sqlite_path(&config.url) {
        if let Some(dir) = Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", dir.display())))?;
        }
    }
    let mut options = ConnectOptions::new(config.url.clone());
    options
        .max_connections(config.max_connections)
        .acquire_timeout(config.acquire_timeout)
        .connect_timeout(config.acquire_timeout)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(std::time::Duration::from_secs(5))
                .foreign_keys(true)
                // Each pooled connection keeps its own page cache (2 MiB by
                // default); the session cache answers the hot path, and the
                // OS caches the file, so a small one per connection is enough.
                .pragma("cache_size", SQLITE_CACHE_KIB)
                .statement_cache_capacity(SQLITE_STATEMENTS)
        });
    Database::connect(options).await
}

/// Applies pending migrations.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Begins a transaction that will write. On SQLite it takes the write lock
/// at BEGIN (IMMEDIATE), so concurrent writers wait for busy_timeout instead
/// of failing with "database is locked" when a read upgrades to a write.
pub(crate) async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Whether the database answers a trivial query.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}

/// The file path of a `sqlite://PATH?...` URL (None for memory or other databases).
fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}
