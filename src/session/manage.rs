//! What a user or an operator does to sessions: list a user's live ones,
//! revoke one, revoke all others, sign out. Each change is committed with
//! its event, announced to other instances, and dropped from this
//! instance's cache before the call returns.

use uuid::Uuid;

use super::{duration, hash_token, ClientMeta, Sessions};
use crate::store::{self, entities::sessions};

impl Sessions {
    /// The user's live sessions, most recently started first.
    pub async fn list(&self, user_id: Uuid) -> Result<Vec<sessions::Model>, store::Error> {
        let idle = duration(self.config.idle_timeout, 7);
        store::list_live_sessions(&self.db, user_id, idle).await
    }

    /// Ends session `id` (with `owner`, only that user's: else NotFound).
    pub async fn revoke(
        &self,
        id: Uuid,
        owner: Option<Uuid>,
        client: &ClientMeta,
    ) -> Result<(), store::Error> {
        let by = if owner.is_some() { "user" } else { "operator" };
        let ended = store::revoke_session_by_id(&self.db, id, owner, client, by).await?;
        self.cache.invalidate_session(&ended.token_hash);
        Ok(())
    }

    /// Ends every session of `user_id` but `keep`; returns how many.
    pub async fn revoke_others(
        &self,
        user_id: Uuid,
        keep: Uuid,
        client: &ClientMeta,
    ) -> Result<u64, store::Error> {
        let n = store::revoke_other_sessions(&self.db, user_id, keep, client).await?;
        self.cache.invalidate_user(user_id);
        Ok(n)
    }

    /// Ends session `id` after a refresh token reuse, recording it; whether
    /// it was live.
    pub async fn end_reused(&self, id: Uuid) -> Result<bool, store::Error> {
        let hash = store::end_reused_session(&self.db, id).await?;
        if let Some(hash) = &hash {
            self.cache.invalidate_session(hash);
        }
        Ok(hash.is_some())
    }

    /// Logout: ends the session of `token` and records `sign_out`.
    pub async fn sign_out(&self, token: &str, client: &ClientMeta) -> Result<(), store::Error> {
        let token_hash = hash_token(token);
        store::sign_out(&self.db, &token_hash, client).await?;
        self.cache.invalidate_session(&token_hash);
        Ok(())
    }
}

impl Sessions {
    /// Session `id` with its user, when it is live (not revoked, expired or
    /// idle) and its user enabled.
    pub async fn live_by_id(&self, id: Uuid) -> Result<Option<store::SessionRow>, store::Error> {
        let Some(row) = store::find_session_row(&self.db, id).await? else {
            return Ok(None);
        };
        let now = time::OffsetDateTime::now_utc();
        let idle = duration(self.config.idle_timeout, 7);
        let s = &row.session;
        let live = !row.user.disabled
            && s.revoked_at.is_none()
            && now < s.expires_at
            && now - s.last_seen_at < idle;
        Ok(live.then_some(row))
    }
}
