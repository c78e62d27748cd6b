//! The `ekyc` command: serve | worker | migrate | openapi | admin.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use ekyc::auth::email::Email;
use ekyc::auth::{Role, jwt, password};
use ekyc::config::Config;
use ekyc::db::schema::users;
use ekyc::startup::{Application, build_state};
use ekyc::{db, jobs, openapi, telemetry};

#[derive(Parser)]
#[command(name = "ekyc", version, about = "Self-hostable identity verification")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP API (and the SPA when EKYC_WEB_DIR is set).
    Serve,
    /// Run background jobs until interrupted.
    Worker {
        /// Run the jobs that are ready, then exit.
        #[arg(long)]
        once: bool,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Write the OpenAPI document (YAML).
    Openapi {
        #[arg(long, default_value = "openapi.yaml")]
        output: PathBuf,
        /// Compare instead of writing; exit 1 when the file differs from the code.
        #[arg(long)]
        check: bool,
    },
    /// Administrative tasks.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum StaffRole {
    Reviewer,
    Admin,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a staff account, or give an existing account the role.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: StaffRole,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Print a new Ed25519 signing key for EKYC_JWT_SIGNING_KEYS (kid:key).
    GenJwtKey {
        #[arg(long, default_value = "k1")]
        kid: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ekyc: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ekyc: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn load_config() -> anyhow::Result<Config> {
    let config = Config::from_env()?;
    telemetry::init(config.log_format);
    Ok(config)
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve => {
            let config = load_config()?;
            let addr = config.bind_addr;
            let app = Application::build(config).await?;
            tracing::info!(%addr, port = app.port(), "serving");
            app.run_until_stopped().await?;
        }
        Command::Worker { once } => {
            let config = load_config()?;
            let state = build_state(config).await?;
            let ctx = jobs::JobContext { db: state.db.clone(), storage: state.storage.clone(), config: state.config.clone() };
            if once {
                let outcomes = jobs::run_until_empty(&ctx, "worker-once").await?;
                tracing::info!(count = outcomes.len(), "ran ready jobs");
            } else {
                let (tx, rx) = tokio::sync::watch::channel(false);
                tokio::spawn(async move {
                    let _ = tokio::signal::ctrl_c().await;
                    let _ = tx.send(true);
                });
                jobs::run_worker(ctx, rx).await?;
            }
        }
        Command::Migrate => {
            let config = load_config()?;
            let applied = db::run_migrations(config.database.url.expose()).await?;
            tracing::info!(count = applied.len(), "migrations applied");
        }
        Command::Openapi { output, check } => {
            let yaml = openapi::to_yaml()?;
            if check {
                let current = std::fs::read_to_string(&output).unwrap_or_default();
                if current != yaml {
                    eprintln!("{} is out of date: run `ekyc openapi` (or `make openapi`)", output.display());
                    return Ok(ExitCode::FAILURE);
                }
            } else {
                std::fs::write(&output, yaml).with_context(|| format!("writing {}", output.display()))?;
            }
        }
        Command::Admin { command: AdminCommand::GenJwtKey { kid } } => {
            let mut out = std::io::stdout().lock();
            std::io::Write::write_all(&mut out, format!("{kid}:{}\n", jwt::generate_key_b64()?).as_bytes())?;
        }
        Command::Admin { command: AdminCommand::CreateUser { email, role, password_stdin } } => {
            let config = load_config()?;
            create_user(&config, &email, role, password_stdin).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn create_user(config: &Config, email: &str, role: StaffRole, password_stdin: bool) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("--email: {}", e.message))?;
    let roles: Vec<Option<String>> = match role {
        StaffRole::Reviewer => vec![Some(Role::Reviewer.as_str().into())],
        StaffRole::Admin => vec![Some(Role::Admin.as_str().into()), Some(Role::Reviewer.as_str().into())],
    };
    let (password, generated) = if password_stdin {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        (s.trim_end_matches(['\r', '\n']).to_owned(), false)
    } else {
        (jwt::generate_key_b64()?.chars().filter(char::is_ascii_alphanumeric).take(20).collect::<String>(), true)
    };
    password::check_policy(&password, email.as_str()).map_err(|e| anyhow::anyhow!("password: {}", e.message))?;
    let hash = tokio::task::spawn_blocking(move || password::hash(&password).map(|h| (h, password))).await??;
    let mut conn = AsyncPgConnection::establish(config.database.url.expose()).await?;
    let existing: Option<uuid::Uuid> =
        users::table.filter(users::email.eq(email.as_str())).select(users::id).first(&mut conn).await.optional()?;
    let mut out = std::io::stdout().lock();
    if let Some(id) = existing {
        diesel::update(users::table.find(id)).set(users::roles.eq(&roles)).execute(&mut conn).await?;
        std::io::Write::write_all(&mut out, format!("updated roles of existing account {id}; password unchanged\n").as_bytes())?;
        return Ok(());
    }
    let id = uuid::Uuid::now_v7();
    diesel::insert_into(users::table)
        .values((users::id.eq(id), users::email.eq(email.as_str()), users::password_hash.eq(&hash.0), users::roles.eq(&roles)))
        .execute(&mut conn)
        .await?;
    let mut msg = format!("created account {id}\n");
    if generated {
        msg.push_str(&format!("initial password (shown once): {}\n", hash.1));
    }
    std::io::Write::write_all(&mut out, msg.as_bytes())?;
    Ok(())
}
