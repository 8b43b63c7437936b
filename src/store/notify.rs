//! Change notifications for session caches: on PostgreSQL a NOTIFY on
//! [`CHANNEL`], sent inside the writing transaction (delivered at commit);
//! on SQLite a row in the `changes` table, inserted in the writing
//! transaction, which every instance reads before it trusts its cache.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};
use uuid::Uuid;

/// The PostgreSQL channel session caches listen on.
pub const CHANNEL: &str = "doorman_sessions";

/// Changes kept this long in the SQLite `changes` table.
const KEEP_CHANGES_SECS: i64 = 3600;

/// What changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// One session ended (its token hash).
    Session(String),
    /// A user's sessions or standing changed.
    User(Uuid),
}

impl Change {
    /// The notification payload.
    pub fn payload(&self) -> String {
        match self {
            Change::Session(hash) => format!("s:{hash}"),
            Change::User(id) => format!("u:{id}"),
        }
    }

    /// Reads a payload; anything else is None (receivers then drop everything).
    pub fn parse(payload: &str) -> Option<Change> {
        if let Some(hash) = payload.strip_prefix("s:") {
            return Some(Change::Session(hash.to_owned()));
        }
        payload
            .strip_prefix("u:")
            .and_then(|id| id.parse().ok())
            .map(Change::User)
    }
}

/// Tells every instance (other processes included) about `change`, as part
/// of the transaction `c` is in.
pub async fn notify<C: ConnectionTrait>(c: &C, change: &Change) -> Result<(), DbErr> {
    let backend = c.get_database_backend();
    let stmt = match backend {
        DbBackend::Postgres => Statement::from_sql_and_values(
            backend,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), change.payload().into()],
        ),
        _ => Statement::from_sql_and_values(
            backend,
            "INSERT INTO changes (change, created_at) VALUES (?, ?)",
            [change.payload().into(), super::now().into()],
        ),
    };
    c.execute_raw(stmt).await.map(drop)
}

/// Deletes SQLite changes older than an hour, always keeping the newest
/// (instances that fall that far behind flush their whole cache).
pub async fn prune_changes<C: ConnectionTrait>(c: &C) -> Result<u64, DbErr> {
    if c.get_database_backend() == DbBackend::Postgres {
        return Ok(0);
    }
    let cutoff = super::now() - time::Duration::seconds(KEEP_CHANGES_SECS);
    let stmt = Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "DELETE FROM changes WHERE created_at < ? AND seq < (SELECT max(seq) FROM changes)",
        [cutoff.into()],
    );
    Ok(c.execute_raw(stmt).await?.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip() {
        let id = Uuid::now_v7();
        for change in [Change::Session("ab12".into()), Change::User(id)] {
            assert_eq!(Change::parse(&change.payload()), Some(change));
        }
        assert_eq!(Change::parse("x:1"), None);
    }
}
