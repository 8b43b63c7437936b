//! Sessions for the many-sessions scenarios, written straight into
//! doorman's database (as many sign-ins would leave them, without spending
//! minutes on the dance): COUNT sessions spread over COUNT/10 users; the
//! tokens go to a file, one a line, for wrk's Lua script.

use std::io::Write;

use doorman::session::{hash_token, new_token};
use doorman::store::entities::{identities, sessions, users};
use sea_orm::{ActiveValue::Set, EntityTrait, TransactionTrait};
use time::OffsetDateTime;
use uuid::Uuid;

/// Inserts `count` sessions into the database at `url`; writes their tokens to `out`.
pub async fn run(url: &str, count: usize, out: &str) -> Result<(), String> {
    let config = doorman::config::DatabaseConfig {
        url: url.to_owned(),
        ..Default::default()
    };
    let db = doorman::store::connect(&config)
        .await
        .map_err(|e| e.to_string())?;
    doorman::store::migrate(&db)
        .await
        .map_err(|e| e.to_string())?;
    let mut file = std::io::BufWriter::new(std::fs::File::create(out).map_err(|e| e.to_string())?);
    let now = OffsetDateTime::now_utc();
    let users_count = count.div_ceil(10).max(1);
    let run = &Uuid::new_v4().simple().to_string()[..8];
    for chunk in (0..users_count).collect::<Vec<_>>().chunks(500) {
        let txn = db.begin().await.map_err(|e| e.to_string())?;
        let mut user_rows = Vec::new();
        let mut identity_rows = Vec::new();
        let mut session_rows = Vec::new();
        for &u in chunk {
            let user_id = Uuid::now_v7();
            let identity_id = Uuid::now_v7();
            user_rows.push(users::ActiveModel {
                id: Set(user_id),
                name: Set(Some(format!("Seeded user {u}"))),
                email: Set(Some(format!("seeded-{u}@bench.example"))),
                email_verified: Set(true),
                disabled: Set(false),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            });
            identity_rows.push(identities::ActiveModel {
                id: Set(identity_id),
                user_id: Set(user_id),
                provider: Set("bench".into()),
                subject: Set(format!("seeded-{run}-{u}")),
                username: Set(Some(format!("seeded{u}"))),
                email_verified: Set(true),
                profile: Set(serde_json::json!({})),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            });
            for _ in 0..10.min(count - u * 10) {
                let token = new_token();
                writeln!(file, "{token}").map_err(|e| e.to_string())?;
                session_rows.push(sessions::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    token_hash: Set(hash_token(&token)),
                    user_id: Set(user_id),
                    identity_id: Set(identity_id),
                    created_at: Set(now),
                    last_seen_at: Set(now),
                    expires_at: Set(now + time::Duration::days(30)),
                    ..Default::default()
                });
            }
        }
        users::Entity::insert_many(user_rows)
            .exec(&txn)
            .await
            .map_err(|e| e.to_string())?;
        identities::Entity::insert_many(identity_rows)
            .exec(&txn)
            .await
            .map_err(|e| e.to_string())?;
        for rows in session_rows.chunks(1000) {
            sessions::Entity::insert_many(rows.to_vec())
                .exec(&txn)
                .await
                .map_err(|e| e.to_string())?;
        }
        txn.commit().await.map_err(|e| e.to_string())?;
    }
    file.flush().map_err(|e| e.to_string())
}
