//! `doorman users grant|revoke ID ROLE`, and the roles and groups that
//! `users show` lists.

use anyhow::{bail, Context};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::session::UserGroups;
use crate::store;

/// Grants `role` to user `id`.
pub async fn grant(db: &DatabaseConnection, id: Uuid, role: &str) -> anyhow::Result<()> {
    valid(role)?;
    let added = store::grant_role(db, id, role)
        .await
        .context("no such user")?;
    if added {
        println!("granted {role} to user {id}");
    } else {
        println!("user {id} already has {role}");
    }
    Ok(())
}

/// Revokes `role` from user `id`.
pub async fn revoke(db: &DatabaseConnection, id: Uuid, role: &str) -> anyhow::Result<()> {
    valid(role)?;
    let removed = store::revoke_role(db, id, role)
        .await
        .context("no such user")?;
    if removed {
        println!("revoked {role} from user {id}");
    } else {
        println!("user {id} does not have {role}");
    }
    Ok(())
}

/// Prints a user's roles and groups: every provider group stored, however
/// old (forward-auth leaves out the stale ones).
pub async fn show(db: &DatabaseConnection, id: Uuid) -> anyhow::Result<()> {
    let roles = store::user_roles(db, id).await?;
    let identities = store::user_identities(db, id).await?;
    println!("roles: {}", list(&roles));
    let max_age = i64::MAX;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let groups = UserGroups::build(roles, &identities, max_age, now);
    println!("groups: {}", list(&groups.view(now).groups));
    Ok(())
}

fn valid(role: &str) -> anyhow::Result<()> {
    if !store::is_valid_role(role) {
        bail!("`{role}` is not a valid role: use [a-z][a-z0-9_-]{{0,63}} (no colon)");
    }
    Ok(())
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "-".into()
    } else {
        items.join(", ")
    }
}
