//! `doorman sessions ...` and `doorman events ...`: what operators read and
//! end from the command line. Client-controlled text is printed with
//! control characters escaped.

use anyhow::Context;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::SessionsCommand;
use crate::store::{self, ClientMeta};

/// Runs a `sessions` subcommand.
pub async fn sessions(
    db: &DatabaseConnection,
    idle: std::time::Duration,
    command: SessionsCommand,
) -> anyhow::Result<()> {
    match command {
        SessionsCommand::List { user } => {
            let idle = time::Duration::try_from(idle).unwrap_or(time::Duration::days(7));
            for s in store::list_live_sessions(db, user, idle).await? {
                println!(
                    "{}\tcreated {}\tlast seen {}\t{}\t{}",
                    s.id,
                    s.created_at,
                    s.last_seen_at,
                    printable(s.ip.as_deref().unwrap_or("-")),
                    printable(s.user_agent.as_deref().unwrap_or("-")),
                );
            }
        }
        SessionsCommand::Revoke { id: Some(id), .. } => {
            store::revoke_session_by_id(db, id, None, &ClientMeta::default(), "operator")
                .await
                .context("no such session")?;
            println!("ended session {id}");
        }
        SessionsCommand::Revoke {
            user: Some(user), ..
        } => {
            let ended = store::revoke_all_sessions(db, user).await?;
            println!("ended {ended} session(s) of user {user}");
        }
        SessionsCommand::Revoke { .. } => anyhow::bail!("give --user ID or --id SESSION_ID"),
    }
    Ok(())
}

/// Prints the latest `limit` events (of one user, or all), oldest first.
pub async fn events(db: &DatabaseConnection, user: Option<Uuid>, limit: u64) -> anyhow::Result<()> {
    let mut events = store::latest_events(db, user, limit).await?;
    events.reverse();
    for e in events {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            e.created_at,
            e.kind,
            e.user_id.map_or("-".into(), |u| u.to_string()),
            printable(e.provider.as_deref().unwrap_or("-")),
            printable(e.ip.as_deref().unwrap_or("-")),
            printable(&e.detail.to_string()),
        );
    }
    Ok(())
}

/// `text` with control characters escaped (`\n`, `\u{1b}`), so a stored
/// value cannot drive the operator's terminal.
pub fn printable(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("a\u{1b}[2Jb\n"), "a\\u{1b}[2Jb\\n");
        assert_eq!(printable("Firefox/120 é"), "Firefox/120 é");
    }
}
