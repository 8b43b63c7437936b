//! doorman's database migrations: one file per migration, never edited once landed.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_users;
mod m20261123_000002_create_identities;
mod m20261123_000003_create_sessions;
mod m20261201_000001_add_identity_groups;
mod m20261201_000002_create_user_roles;
mod m20261202_000001_create_changes;
mod m20261203_000001_create_refresh_tokens;
mod m20261204_000001_create_events;
mod m20261205_000001_identity_provider_tokens;
mod m20261205_000002_session_id_token;
mod m20261205_000003_create_logout_jtis;

/// Every migration, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_users::Migration),
            Box::new(m20261123_000002_create_identities::Migration),
            Box::new(m20261123_000003_create_sessions::Migration),
            Box::new(m20261201_000001_add_identity_groups::Migration),
            Box::new(m20261201_000002_create_user_roles::Migration),
            Box::new(m20261202_000001_create_changes::Migration),
            Box::new(m20261203_000001_create_refresh_tokens::Migration),
            Box::new(m20261205_000001_identity_provider_tokens::Migration),
            Box::new(m20261205_000002_session_id_token::Migration),
            Box::new(m20261205_000003_create_logout_jtis::Migration),
            Box::new(m20261204_000001_create_events::Migration),
        ]
    }
}
