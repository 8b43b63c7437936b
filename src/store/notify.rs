//! Change notifications for session caches on other instances: on
//! PostgreSQL a NOTIFY on [`CHANNEL`], sent inside the writing transaction
//! (delivered at commit); on SQLite nothing (readers watch PRAGMA data_version).

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};
use uuid::Uuid;

/// The PostgreSQL channel session caches listen on.
pub const CHANNEL: &str = "doorman_sessions";

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

/// Tells other instances about `change` (PostgreSQL only).
pub async fn notify<C: ConnectionTrait>(c: &C, change: &Change) -> Result<(), DbErr> {
    if c.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let stmt = Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [CHANNEL.into(), change.payload().into()],
    );
    c.query_one_raw(stmt).await.map(drop)
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
