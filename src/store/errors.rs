//! store::Error and the split of database failures by what the caller does
//! about them: an unreachable, busy or timed-out database is retried later
//! (503); a constraint or decoding failure is a bug (500, logged as an error).

use std::borrow::Cow;

use sea_orm::sqlx;
use sea_orm::{DbErr, RuntimeErr};

/// What can go wrong in the store, split by what the caller does about it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database could not be reached, was busy or did not answer in time: retry later (503).
    #[error("database unavailable")]
    Unavailable(#[source] DbErr),
    /// The database refused or returned something doorman cannot read: a bug (500).
    #[error("database error")]
    Internal(#[source] DbErr),
    /// The user is disabled (403).
    #[error("user is disabled")]
    Disabled,
    /// No such row.
    #[error("not found")]
    NotFound,
    /// The identity belongs to another user (409).
    #[error("this identity belongs to another user")]
    IdentityTaken,
    /// An unlink the rules forbid (409).
    #[error("this identity cannot be unlinked: {0:?}")]
    UnlinkRefused(super::UnlinkRefusal),
}

impl Error {
    /// A database call that did not finish in time.
    pub fn timeout() -> Error {
        Error::Unavailable(DbErr::Custom("the database did not answer in time".into()))
    }
}

impl From<DbErr> for Error {
    fn from(e: DbErr) -> Self {
        if is_unavailable(&e) {
            Error::Unavailable(e)
        } else {
            Error::Internal(e)
        }
    }
}

/// Whether `e` says the database is out of reach rather than that doorman erred.
pub fn is_unavailable(e: &DbErr) -> bool {
    match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(s)) | DbErr::Query(RuntimeErr::SqlxError(s)) => {
            sqlx_unavailable(s)
        }
        _ => false,
    }
}

fn sqlx_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::BeginFailed => true,
        sqlx::Error::Database(db) => transient_code(db.code()),
        _ => false,
    }
}

/// SQLite busy/locked/I/O errors and PostgreSQL's connection, resource,
/// shutdown and serialization classes are transient; everything else
/// (constraints, types, syntax) is not.
fn transient_code(code: Option<Cow<'_, str>>) -> bool {
    let Some(code) = code else { return false };
    let code = code.as_ref();
    // SQLSTATEs (PostgreSQL) are five characters; SQLite's codes are shorter numbers.
    if code.len() == 5 {
        return ["08", "53", "57", "58", "40"]
            .iter()
            .any(|class| code.starts_with(class));
    }
    if let Ok(n) = code.parse::<u32>() {
        // SQLite primary result codes: BUSY 5, LOCKED 6, IOERR 10, FULL 13, CANTOPEN 14.
        return matches!(n & 0xff, 5 | 6 | 10 | 13 | 14);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_codes_are_told_from_bugs() {
        assert!(transient_code(Some("5".into())));
        assert!(transient_code(Some("517".into())));
        assert!(transient_code(Some("08006".into())));
        assert!(transient_code(Some("57P01".into())));
        assert!(!transient_code(Some("23505".into())));
        assert!(!transient_code(Some("2067".into())));
        assert!(!transient_code(None));
        assert!(!is_unavailable(&DbErr::Type("bad".into())));
    }
}
