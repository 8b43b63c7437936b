//! What invalidates the session cache when another process writes.
//!
//! PostgreSQL: a LISTEN on the store's notification channel, with a
//! heartbeat (see listener.rs). SQLite: every writer, doorman's pool and the
//! CLI alike, inserts a row into `changes` in the transaction of its write.
//! Before a cached entry is trusted, a connection of the watch's own asks
//! SQLite's `PRAGMA data_version`, which moves when any other connection
//! committed, made on the calling thread. Only when it moved are the rows
//! added since the last check read and applied precisely (one session, one
//! user). That check takes SQLite's read locks (two fcntl calls); before
//! it, one unlocked read of the wal-index header (wal_index.rs) shows
//! whether anything at all was committed since the last complete check,
//! and when nothing was, the check is spared. doorman's own writes come back the
//! same way, as precise invalidations that the writer already applied: they
//! never empty the cache. An in-memory database has no other writer.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use sea_orm::{DatabaseConnection, DbBackend, DbErr};

use super::cache::SessionCache;
use super::listener;
use super::wal_index::WalIndex;
use crate::store::notify::Change;
use crate::store::Error;

/// More new changes than this at one check: the cache is flushed instead.
const MAX_CHANGES_PER_CHECK: usize = 1000;
/// A check waits this long for a lock SQLite holds (then 503).
const BUSY: Duration = Duration::from_secs(1);

/// The per-lookup freshness check (SQLite only).
pub enum Watch {
    /// Nothing to check per lookup: PostgreSQL notifications arrive by
    /// themselves, and no other process reaches an in-memory database.
    Notified,
    /// SQLite: a dedicated connection and the last change applied.
    Changes(Changes),
}

/// The SQLite freshness check's state.
pub struct Changes {
    checked: Mutex<Checked>,
    index: WalIndex,
}

struct Checked {
    conn: Connection,
    /// `PRAGMA data_version` at the last check.
    version: i64,
    /// The seq of the last change applied.
    seen: i64,
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
                let path = options.get_filename().to_owned();
                if !on_disk(&path) {
                    return Ok(Watch::Notified);
                }
                let (checked, index) = tokio::task::spawn_blocking(move || {
                    // Opened by the watch's connection first: it exists then.
                    Checked::open(&path).map(|checked| (checked, WalIndex::open(&path)))
                })
                .await
                .map_err(|e| Error::from(DbErr::Custom(e.to_string())))??;
                Ok(Watch::Changes(Changes {
                    checked: Mutex::new(checked),
                    index,
                }))
            }
        }
    }

    /// Before trusting the cache: applies the changes other writers made.
    pub fn check(&self, cache: &SessionCache) -> Result<(), Error> {
        let Watch::Changes(state) = self else {
            return Ok(());
        };
        // Read before the check: a commit after this read moves it again.
        let header = state.index.read();
        if state.index.unchanged(header.as_ref()) {
            return Ok(());
        }
        let mut checked = state.checked.lock().unwrap_or_else(PoisonError::into_inner);
        checked.apply_new(cache).map_err(sqlite_err)?;
        state.index.checked(header);
        Ok(())
    }
}

/// Whether `path` names a database file (not an in-memory database).
fn on_disk(path: &Path) -> bool {
    let name = path.to_string_lossy();
    !name.starts_with("file:sqlx-in-memory") && name != ":memory:" && path.is_file()
}

impl Checked {
    fn open(path: &Path) -> Result<Checked, Error> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(sqlite_err)?;
        conn.busy_timeout(BUSY).map_err(sqlite_err)?;
        let version = data_version(&conn).map_err(sqlite_err)?;
        let seen = last_seq(&conn).map_err(sqlite_err)?;
        Ok(Checked {
            conn,
            version,
            seen,
        })
    }

    /// Reads and applies what was committed elsewhere since the last check.
    fn apply_new(&mut self, cache: &SessionCache) -> rusqlite::Result<()> {
        // Read before the rows: a commit landing in between moves it again.
        let version = data_version(&self.conn)?;
        if version == self.version {
            return Ok(());
        }
        let rows = changes_after(&self.conn, self.seen)?;
        if let Some((last, _)) = rows.last() {
            let contiguous = rows.first().map(|(seq, _)| *seq) == Some(self.seen + 1);
            if contiguous && rows.len() < MAX_CHANGES_PER_CHECK {
                rows.iter().for_each(|(_, change)| apply(cache, change));
                self.seen = *last;
            } else {
                // Pruned or too many: what was missed is unknown.
                cache.invalidate_all();
                self.seen = last_seq(&self.conn)?;
            }
        }
        self.version = version;
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

fn data_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached("PRAGMA data_version")?
        .query_row([], |row| row.get(0))
}

fn changes_after(conn: &Connection, seen: i64) -> rusqlite::Result<Vec<(i64, String)>> {
    let mut statement =
        conn.prepare_cached("SELECT seq, change FROM changes WHERE seq > ? ORDER BY seq LIMIT ?")?;
    let limit = i64::try_from(MAX_CHANGES_PER_CHECK).unwrap_or(i64::MAX);
    let rows = statement.query_map((seen, limit), |row| Ok((row.get(0)?, row.get(1)?)))?;
    rows.collect()
}

fn last_seq(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT coalesce(max(seq), 0) FROM changes", [], |row| {
        row.get(0)
    })
}

/// A failed check: busy or unreadable, the cache cannot be trusted (503).
fn sqlite_err(e: rusqlite::Error) -> Error {
    Error::Unavailable(DbErr::Custom(format!("session cache check: {e}")))
}
