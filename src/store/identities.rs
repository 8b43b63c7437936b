//! Sign-in upserts: the (provider, subject) pair decides, never the email.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, Set, SqlErr,
};
use uuid::Uuid;

use super::entities::{identities, users};
use super::notify::{notify, Change};
use super::{now, Error};
use crate::providers::Profile;

/// The user and identity a sign-in resolved to.
#[derive(Debug, Clone)]
pub struct SignIn {
    /// The user (profile fields freshly copied).
    pub user: users::Model,
    /// The identity signed in with.
    pub identity: identities::Model,
    /// Whether this sign-in created the user.
    pub created: bool,
}

/// Creates or updates the identity of `profile` and its user in one
/// transaction. A first sign-in that loses a race on the unique
/// (provider, subject) index is retried as a sign-in of the winner's user.
///
/// `groups` replaces the identity's groups (with the time they were fetched);
/// None clears them (the provider's groups are not wanted).
pub async fn upsert_identity(
    db: &DatabaseConnection,
    profile: &Profile,
    groups: Option<&[String]>,
) -> Result<SignIn, Error> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match try_upsert(db, profile, groups).await {
            Err(Error::Internal(e))
                if attempt < 3
                    && matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
            {
                continue
            }
            other => return other,
        }
    }
}

async fn try_upsert(
    db: &DatabaseConnection,
    profile: &Profile,
    groups: Option<&[String]>,
) -> Result<SignIn, Error> {
    let profile = &super::clean::profile(profile);
    let txn = super::begin_write(db).await?;
    let existing = identities::Entity::find()
        .filter(identities::Column::Provider.eq(&profile.provider))
        .filter(identities::Column::Subject.eq(&profile.subject))
        .one(&txn)
        .await?;
    let sign_in = match existing {
        Some(identity) => update(&txn, identity, profile, groups).await?,
        None => create(&txn, profile, groups).await?,
    };
    txn.commit().await?;
    Ok(sign_in)
}

async fn update(
    txn: &DatabaseTransaction,
    identity: identities::Model,
    profile: &Profile,
    groups: Option<&[String]>,
) -> Result<SignIn, Error> {
    let user = users::Entity::find_by_id(identity.user_id)
        .one(txn)
        .await?
        .ok_or(Error::NotFound)?;
    if user.disabled {
        return Err(Error::Disabled);
    }
    let mut identity: identities::ActiveModel = identity.into();
    copy_to_identity(&mut identity, profile, groups);
    let identity = identity.update(txn).await?;
    let mut user: users::ActiveModel = user.into();
    copy_to_user(&mut user, profile);
    let user = user.update(txn).await?;
    notify(txn, &Change::User(user.id)).await?;
    Ok(SignIn {
        user,
        identity,
        created: false,
    })
}

async fn create(
    txn: &DatabaseTransaction,
    profile: &Profile,
    groups: Option<&[String]>,
) -> Result<SignIn, Error> {
    let at = now();
    let mut user = users::ActiveModel {
        id: Set(Uuid::now_v7()),
        disabled: Set(false),
        created_at: Set(at),
        ..Default::default()
    };
    copy_to_user(&mut user, profile);
    let user = user.insert(txn).await?;
    let mut identity = identities::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.id),
        provider: Set(profile.provider.clone()),
        subject: Set(profile.subject.clone()),
        created_at: Set(at),
        ..Default::default()
    };
    copy_to_identity(&mut identity, profile, groups);
    let identity = identity.insert(txn).await?;
    Ok(SignIn {
        user,
        identity,
        created: true,
    })
}

fn copy_to_user(user: &mut users::ActiveModel, profile: &Profile) {
    let at = now();
    // A profile without a name keeps the one known (Apple sends it only once).
    if profile.name.is_some() {
        user.name = Set(profile.name.clone());
    }
    user.email = Set(profile.email.clone());
    user.email_verified = Set(profile.email_verified);
    user.avatar_url = Set(profile.avatar_url.clone());
    user.updated_at = Set(at);
    user.last_login_at = Set(Some(at));
}

pub(super) fn copy_to_identity(
    identity: &mut identities::ActiveModel,
    profile: &Profile,
    groups: Option<&[String]>,
) {
    identity.groups = Set(groups.map(|g| serde_json::json!(g)));
    identity.groups_fetched_at = Set(groups.map(|_| now()));
    identity.username = Set(profile.username.clone());
    identity.email = Set(profile.email.clone());
    identity.email_verified = Set(profile.email_verified);
    identity.profile = Set(profile.raw.clone());
    identity.updated_at = Set(now());
}
