//! Local roles: grant, revoke, list. A change tells every instance (the
//! same notification as disable), so it applies on the next request.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use super::entities::{user_roles, users};
use super::events::{record_event, EventKind, NewEvent};
use super::notify::{notify, Change};
use super::{now, Error};

/// Whether `role` is a valid role name: `[a-z][a-z0-9_-]{0,63}`.
pub fn is_valid_role(role: &str) -> bool {
    let mut chars = role.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && role.len() <= 64
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// Grants `role` to a user; returns false when it already had it.
pub async fn grant_role(db: &DatabaseConnection, user_id: Uuid, role: &str) -> Result<bool, Error> {
    let txn = super::begin_write(db).await?;
    users::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let existing = user_roles::Entity::find_by_id((user_id, role.to_owned()))
        .one(&txn)
        .await?;
    if existing.is_some() {
        return Ok(false);
    }
    user_roles::ActiveModel {
        user_id: Set(user_id),
        role: Set(role.to_owned()),
        created_at: Set(now()),
    }
    .insert(&txn)
    .await?;
    record_event(&txn, role_event(EventKind::RoleGranted, user_id, role)).await?;
    notify(&txn, &Change::User(user_id)).await?;
    txn.commit().await?;
    Ok(true)
}

/// Revokes `role`; returns false when the user did not have it.
pub async fn revoke_role(
    db: &DatabaseConnection,
    user_id: Uuid,
    role: &str,
) -> Result<bool, Error> {
    let txn = super::begin_write(db).await?;
    users::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let deleted = user_roles::Entity::delete_by_id((user_id, role.to_owned()))
        .exec(&txn)
        .await?
        .rows_affected;
    if deleted > 0 {
        record_event(&txn, role_event(EventKind::RoleRevoked, user_id, role)).await?;
        notify(&txn, &Change::User(user_id)).await?;
    }
    txn.commit().await?;
    Ok(deleted > 0)
}

fn role_event(kind: EventKind, user_id: Uuid, role: &str) -> NewEvent {
    NewEvent::new(kind, Some(user_id)).detail(serde_json::json!({ "role": role }))
}

/// A user's roles, by name.
pub async fn user_roles<C: ConnectionTrait>(db: &C, user_id: Uuid) -> Result<Vec<String>, Error> {
    Ok(user_roles::Entity::find()
        .filter(user_roles::Column::UserId.eq(user_id))
        .order_by_asc(user_roles::Column::Role)
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.role)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::is_valid_role;

    #[test]
    fn role_names_are_lowercase_words_without_colons() {
        for ok in ["admin", "a", "release-managers", "ops_2"] {
            assert!(is_valid_role(ok), "{ok}");
        }
        let long = "a".repeat(65);
        for bad in ["", "Admin", "2fa", "github:acme", "a b", long.as_str()] {
            assert!(!is_valid_role(bad), "{bad}");
        }
    }
}
