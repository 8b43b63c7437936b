//! The command line: serve (default), migrate, check, users, sessions, events.

mod records;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::config::Config;
use crate::flow::{Engine, ProviderHttp};
use crate::live::Live;
use crate::startup::Application;
use crate::store;

mod roles;
mod shown;

use shown::{shown, shown_or_dash};

/// doorman: social sign-in for any web app.
#[derive(Debug, Parser)]
#[command(name = "doorman", version, about)]
pub struct Cli {
    /// The config file.
    #[arg(
        long,
        global = true,
        env = "DOORMAN_CONFIG",
        default_value = "config/doorman.toml"
    )]
    pub config: PathBuf,
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve HTTP (the default).
    Serve,
    /// Apply database migrations.
    Migrate,
    /// Validate the config and reach every OIDC provider's discovery document.
    Check,
    /// Manage users.
    Users {
        /// What to do with users.
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Manage sessions.
    Sessions {
        /// What to do with sessions.
        #[command(subcommand)]
        command: SessionsCommand,
    },
    /// Show the latest events, oldest first.
    Events {
        /// Only this user's.
        #[arg(long)]
        user: Option<Uuid>,
        /// How many.
        #[arg(long, default_value_t = 50)]
        limit: u64,
    },
}

/// `doorman users ...`
#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// List users.
    List,
    /// Show a user and its identities.
    Show {
        /// The user's id.
        id: Uuid,
    },
    /// Disable a user and end its sessions.
    Disable {
        /// The user's id.
        id: Uuid,
    },
    /// Enable a user (no session is revived).
    Enable {
        /// The user's id.
        id: Uuid,
    },
    /// Grant a role (takes effect on the next request).
    Grant {
        /// The user's id.
        id: Uuid,
        /// The role: `[a-z][a-z0-9_-]{0,63}`.
        role: String,
    },
    /// Revoke a role (takes effect on the next request).
    Revoke {
        /// The user's id.
        id: Uuid,
        /// The role.
        role: String,
    },
}

/// `doorman sessions ...`
#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    /// List a user's live sessions.
    List {
        /// The user's id.
        #[arg(long)]
        user: Uuid,
    },
    /// End every session of a user (--user), or one session (--id).
    Revoke {
        /// The user's id.
        #[arg(long, conflicts_with = "id", required_unless_present = "id")]
        user: Option<Uuid>,
        /// The session's id.
        #[arg(long)]
        id: Option<Uuid>,
    },
}

/// Runs a command; errors are printed with their causes.
pub async fn run(cli: Cli) -> ExitCode {
    match dispatch(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = Config::load(&cli.config)?;
    let log = crate::logging::init(&config.log);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let mut app = Application::build(config).await?;
            if let Some(log) = log {
                app = app.with_log_control(log);
            }
            tracing::info!(port = app.port(), "doorman is serving");
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            store::migrate(&connect(&config).await?).await?;
            println!("migrations applied");
        }
        Command::Check => return check(&config).await,
        Command::Users { command } => {
            let db = connect(&config).await?;
            users(&db, command).await?;
            settle(&db).await;
        }
        Command::Sessions { command } => {
            let db = connect(&config).await?;
            records::sessions(&db, config.session.idle_timeout, command).await?;
            settle(&db).await;
        }
        Command::Events { user, limit } => {
            records::events(&connect(&config).await?, user, limit).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn connect(config: &Config) -> anyhow::Result<DatabaseConnection> {
    let db = store::connect(&config.database)
        .await
        .context("cannot connect to the database")?;
    store::migrate(&db).await.context("migrations failed")?;
    Ok(db)
}

/// On PostgreSQL, session caches of running instances learn of a change by
/// LISTEN/NOTIFY, a few milliseconds after commit: wait that long before
/// returning, so the change holds for the very next request.
async fn settle(db: &DatabaseConnection) {
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
}

async fn check(config: &Config) -> anyhow::Result<ExitCode> {
    let registry = Live::build(config.clone())?.providers;
    let engine = Engine::new(ProviderHttp::new(&config.http)?);
    let mut failed = false;
    for provider in registry.iter().filter(|p| p.name != "dev") {
        match engine.check(provider).await {
            Ok(()) => println!("ok: provider {} ({})", provider.name, provider.preset),
            Err(e) => {
                failed = true;
                eprintln!("error: provider {}: {e}", provider.name);
            }
        }
    }
    if failed {
        return Ok(ExitCode::FAILURE);
    }
    println!("config ok");
    Ok(ExitCode::SUCCESS)
}

async fn users(db: &DatabaseConnection, command: UsersCommand) -> anyhow::Result<()> {
    match command {
        UsersCommand::List => {
            for u in store::list_users(db).await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    u.id,
                    shown_or_dash(u.email.as_deref()),
                    shown_or_dash(u.name.as_deref()),
                    if u.disabled { "disabled" } else { "enabled" }
                );
            }
        }
        UsersCommand::Show { id } => {
            let u = store::find_user(db, id).await.context("no such user")?;
            println!(
                "id: {}\nname: {}\nemail: {} (verified: {})\ndisabled: {}\ncreated: {}",
                u.id,
                shown_or_dash(u.name.as_deref()),
                shown_or_dash(u.email.as_deref()),
                u.email_verified,
                u.disabled,
                u.created_at
            );
            for i in store::user_identities(db, id).await? {
                println!(
                    "identity: {} {} {}",
                    i.provider,
                    shown(&i.subject),
                    shown_or_dash(i.username.as_deref())
                );
            }
            roles::show(db, id).await?;
        }
        UsersCommand::Grant { id, role } => roles::grant(db, id, &role).await?,
        UsersCommand::Revoke { id, role } => roles::revoke(db, id, &role).await?,
        UsersCommand::Disable { id } => {
            let ended = store::set_disabled(db, id, true)
                .await
                .context("no such user")?;
            println!("disabled user {id}; ended {ended} session(s)");
        }
        UsersCommand::Enable { id } => {
            store::set_disabled(db, id, false)
                .await
                .context("no such user")?;
            println!("enabled user {id}");
        }
    }
    Ok(())
}
