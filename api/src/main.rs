//! The `ekyc` command: serve | worker | migrate | openapi | admin.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use ekyc::admin;
use ekyc::auth::email::Email;
use ekyc::auth::{Role, jwt};
use ekyc::config::Config;
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
    /// Print every configuration variable with its default, as `.env.example`.
    EnvExample,
    /// Print a new random 32-byte key (base64) for EKYC_PII_KEYS or EKYC_BLIND_INDEX_KEY.
    GenSecret,
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
            // The checks need the face models: better not to start than to fail every job.
            state.faces.engine().await.map_err(|e| anyhow::anyhow!("the worker cannot start: {e}"))?;
            let ctx = jobs::JobContext::from_state(&state);
            if once {
                let (outcomes, deliveries) = jobs::run_all_until_empty(&ctx, "worker-once").await?;
                tracing::info!(jobs = outcomes.len(), notifications = deliveries.len(), "ran ready work");
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
        Command::Admin { command: AdminCommand::GenSecret } => {
            let line = format!("{}\n", ekyc::pii::generate_secret_b64());
            std::io::Write::write_all(&mut std::io::stdout().lock(), line.as_bytes())?;
        }
        Command::Admin { command: AdminCommand::EnvExample } => {
            std::io::Write::write_all(&mut std::io::stdout().lock(), ekyc::config::env_example().as_bytes())?;
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
    let roles = match role {
        StaffRole::Reviewer => vec![Role::Reviewer],
        StaffRole::Admin => vec![Role::Admin],
    };
    let (password, generated) = if password_stdin {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        (s.trim_end_matches(['\r', '\n']).to_owned(), false)
    } else {
        (jwt::generate_key_b64()?.chars().filter(char::is_ascii_alphanumeric).take(20).collect::<String>(), true)
    };
    let hash = admin::hash_new_password(password.clone(), &email).await?;
    let mut conn = AsyncPgConnection::establish(config.database.url.expose()).await?;
    let msg = match admin::create_staff(&mut conn, &email, &roles, &hash).await? {
        admin::StaffOutcome::Updated(id) => format!("updated roles of existing account {id}; password unchanged\n"),
        admin::StaffOutcome::Created(id) if generated => {
            format!("created account {id}\ninitial password (shown once): {password}\n")
        }
        admin::StaffOutcome::Created(id) => format!("created account {id}\n"),
    };
    std::io::Write::write_all(&mut std::io::stdout().lock(), msg.as_bytes())?;
    Ok(())
}
