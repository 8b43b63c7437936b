//! Test databases: a SQLite file per test, or, when DOORMAN_TEST_BACKEND is
//! `postgres`, a PostgreSQL schema per test on DOORMAN_TEST_POSTGRES (set as
//! the connection's search_path), dropped when the test ends.

use std::path::Path;

use sea_orm::{ConnectionTrait, Database};

/// The PostgreSQL server for tests, when DOORMAN_TEST_POSTGRES is set.
pub fn postgres_url() -> Option<String> {
    std::env::var("DOORMAN_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty())
}

/// Whether this run puts every spawned app on PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var("DOORMAN_TEST_BACKEND").as_deref() == Ok("postgres")
}

/// Prints why a PostgreSQL-only test is skipped, and returns the URL otherwise.
pub fn postgres_or_skip(test: &str) -> Option<String> {
    let url = postgres_url();
    if url.is_none() {
        eprintln!("skipped {test}: DOORMAN_TEST_POSTGRES is not set");
    }
    url
}

/// A database that exists for one test.
pub struct TempDatabase {
    /// The URL doorman connects to.
    pub url: String,
    drop_with: Option<(String, String)>,
}

impl TempDatabase {
    /// SQLite under `dir`, or a fresh PostgreSQL database when the run is on PostgreSQL.
    pub async fn create(dir: &Path) -> TempDatabase {
        if on_postgres() {
            let server = postgres_url().expect("DOORMAN_TEST_POSTGRES must be set");
            return Self::postgres(&server).await;
        }
        TempDatabase {
            url: format!("sqlite://{}/doorman.db?mode=rwc", dir.display()),
            drop_with: None,
        }
    }

    /// A database that outlives this test (not dropped).
    pub fn existing(url: String) -> TempDatabase {
        TempDatabase {
            url,
            drop_with: None,
        }
    }

    /// A fresh schema on the PostgreSQL database at `server`.
    pub async fn postgres(server: &str) -> TempDatabase {
        let name = format!("doorman_t_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(server)
            .await
            .expect("PostgreSQL is reachable");
        admin
            .execute_unprepared(&format!("CREATE SCHEMA \"{name}\""))
            .await
            .expect("CREATE SCHEMA");
        admin.close().await.ok();
        let mut url = url::Url::parse(server).expect("DOORMAN_TEST_POSTGRES is a URL");
        url.query_pairs_mut()
            .append_pair("options[search_path]", &name)
            .append_pair("options[synchronous_commit]", "off");
        TempDatabase {
            url: url.to_string(),
            drop_with: Some((server.to_owned(), name)),
        }
    }
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        let Some((server, name)) = self.drop_with.take() else {
            return;
        };
        // Drop runs inside the test's runtime: clean up on a thread of its own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                if let Ok(admin) = Database::connect(&server).await {
                    let sql = format!("DROP SCHEMA IF EXISTS \"{name}\" CASCADE");
                    let _ = admin.execute_unprepared(&sql).await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}
