//! sea-orm entities, written by hand to match migrations/.

pub mod events;
pub mod identities;
pub mod logout_jtis;
pub mod refresh_tokens;
pub mod sessions;
pub mod user_roles;
pub mod users;
