//! Whether anything was committed to a SQLite database in WAL mode, from
//! one read of its wal-index header (the `-shm` file), without a lock.
//!
//! Every commit, by any process, ends by rewriting the wal-index header
//! with its transaction counter (`iChange`) incremented: SQLite writes the
//! second copy, then the first (https://sqlite.org/walformat.html, "The
//! WAL-Index Header"). A header identical to the one read before a complete
//! freshness check therefore proves that nothing was committed since; any
//! other outcome (a different header, copies that disagree because a commit
//! is under way, an uninitialised or unknown header version, a failed read)
//! sends the caller to the full check. So this can only spare a check,
//! never skip one that was needed.
//!
//! The file is read with pread(2), which sees the page cache that SQLite's
//! shared mappings write to. It is opened once per watch and never closed:
//! closing any descriptor of a file releases every POSIX lock the process
//! holds on it, SQLite's own locks on the `-shm` file included.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

/// The size of one copy of the header (`struct WalIndexHdr`).
const HEADER: usize = 48;
/// The only wal-index version SQLite has written (3.7.0 onward).
const VERSION: u32 = 3_007_000;
/// Offset of `isInit` in the header.
const IS_INIT: usize = 12;

/// One copy of the wal-index header, as bytes.
pub type Header = [u8; HEADER];

/// A database's wal-index, and the header of the last complete check.
pub struct WalIndex {
    file: Option<&'static File>,
    checked: Mutex<Option<Header>>,
}

impl WalIndex {
    /// The wal-index of the database at `db` (`{db}-shm`, which an open
    /// connection in WAL mode has created). Without one, every check is full.
    pub fn open(db: &Path) -> WalIndex {
        let mut name = db.as_os_str().to_owned();
        name.push("-shm");
        let file = File::open(&name)
            .map_err(|e| tracing::warn!(error = %e, "no wal-index: every session check reads the database"))
            .ok()
            .map(|f| &*Box::leak(Box::new(f)));
        WalIndex {
            file,
            checked: Mutex::new(None),
        }
    }

    /// The header now, when it can be trusted (both copies agree, initialised,
    /// the known version).
    pub fn read(&self) -> Option<Header> {
        let mut both = [0u8; 2 * HEADER];
        self.file?.read_exact_at(&mut both, 0).ok()?;
        let (first, second) = both.split_at(HEADER);
        let version = u32::from_ne_bytes(first[..4].try_into().ok()?);
        if first != second || version != VERSION || first[IS_INIT] != 1 {
            return None;
        }
        first.try_into().ok()
    }

    /// Whether `now` is the header read before the last complete check.
    pub fn unchanged(&self, now: Option<&Header>) -> bool {
        let checked = self.checked.lock().unwrap_or_else(PoisonError::into_inner);
        now.is_some() && checked.as_ref() == now
    }

    /// Records the header read before a check that then completed.
    pub fn checked(&self, before: Option<Header>) {
        *self.checked.lock().unwrap_or_else(PoisonError::into_inner) = before;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    fn wal_db(dir: &Path) -> (std::path::PathBuf, Connection) {
        let path = dir.join("t.db");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "wal").unwrap();
        conn.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
        (path, conn)
    }

    #[test]
    fn the_header_moves_with_every_commit_of_another_connection_and_only_then() {
        let dir = tempfile::tempdir().unwrap();
        let (path, writer) = wal_db(dir.path());
        let index = WalIndex::open(&path);
        let before = index.read().expect("a readable header");
        assert_eq!(index.read(), Some(before), "no commit, same header");
        index.checked(Some(before));
        assert!(index.unchanged(index.read().as_ref()));

        let other = Connection::open(&path).unwrap();
        other.execute("INSERT INTO t VALUES (1)", []).unwrap();
        let after = index.read().expect("a readable header");
        assert_ne!(after, before);
        assert!(!index.unchanged(Some(&after)));

        // A read-only transaction commits nothing.
        let _: i64 = writer
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(index.read(), Some(after));
    }

    #[test]
    fn without_a_wal_index_nothing_is_ever_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let index = WalIndex::open(&dir.path().join("missing.db"));
        assert_eq!(index.read(), None);
        index.checked(None);
        assert!(!index.unchanged(None));
    }
}
