//! The xiancheng binary: the command line, configuration and logging, and the start-up of
//! the web server. The only crate that reads configuration and the environment, and the
//! only place errors are printed.

/// Prints a line to standard output; when the reader has gone away (`| head`), exits
/// quietly instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

mod admin;
mod commands;
mod config;
mod generate;

use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// 县城城镇化建设工作方案管理系统 — run a county-town urbanization work plan.
#[derive(Debug, Parser)]
#[command(name = "xiancheng", version, about, long_about = None)]
struct Cli {
    #[command(flatten)]
    common: Common,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct Common {
    /// Database URL: sqlite://PATH or postgres://USER:PASSWORD@HOST/DB [default: a SQLite file in the data directory]
    #[arg(
        long,
        env = "XIANCHENG_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    database_url: Option<String>,
    /// Data directory (SQLite file, configuration file) [default: ./data]
    #[arg(long, env = "XIANCHENG_DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,
    /// Configuration file [default: xiancheng.toml in the data directory]
    #[arg(long, env = "XIANCHENG_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Log filter, e.g. info, debug, xiancheng_web=debug
    #[arg(long, env = "XIANCHENG_LOG", global = true)]
    log: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start the web server (migrates the database first)
    Serve {
        /// Address to listen on [default: 127.0.0.1:8080]
        #[arg(long, env = "XIANCHENG_LISTEN")]
        listen: Option<String>,
        /// Load the illustrative demo county (盘山县) when the database has no county yet
        #[arg(long)]
        demo: bool,
    },
    /// Create or upgrade the database schema
    Migrate,
    /// The illustrative demo county
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// Whole-database operations
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Configuration
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// User accounts
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The audit trail
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The monthly dispatch
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// The county's reporting calendar and warning thresholds
    Settings {
        #[command(subcommand)]
        command: SettingsCommand,
    },
    /// Early warnings of a county for a period
    Warnings {
        /// The reference month, YYYY-MM
        #[arg(long)]
        period: String,
        /// Division code of the county [default: the only county]
        #[arg(long)]
        county: Option<String>,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Roll-ups of progress and investment
    Rollup {
        /// category, area, task, department, channel, township, stage or county
        #[arg(long)]
        by: String,
        /// The reference month, YYYY-MM
        #[arg(long)]
        period: String,
        #[arg(long)]
        county: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create an account; the password comes from XIANCHENG_PASSWORD or standard input
    Add {
        #[arg(long)]
        username: String,
        /// admin, plan_office, reporter, leader or viewer
        #[arg(long)]
        role: String,
        #[arg(long)]
        display_name: Option<String>,
        /// Division code of the county (plan_office, reporter, leader)
        #[arg(long)]
        county: Option<String>,
        /// Department name or short name (reporter)
        #[arg(long)]
        department: Option<String>,
        /// City or province code a viewer sees
        #[arg(long)]
        scope: Option<String>,
    },
    /// List accounts
    List,
    /// Disable an account
    Disable { username: String },
}

#[derive(Debug, Subcommand)]
enum SettingsCommand {
    /// Print the settings as JSON (defaults until changed)
    Show {
        #[arg(long)]
        county: Option<String>,
    },
    /// Replace the settings from a JSON file shaped like `settings show` prints
    Set {
        #[arg(long)]
        file: PathBuf,
        #[arg(long)]
        county: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check that no audit entry was edited or removed behind the application's back
    Verify,
}

#[derive(Debug, Subcommand)]
enum ReportCommand {
    /// Who has not reported for a period
    Status {
        #[arg(long)]
        period: String,
        #[arg(long)]
        county: Option<String>,
        /// The day against which lateness is counted, YYYY-MM-DD [default: today]
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum DemoCommand {
    /// Load the illustrative Panshan County dataset (示例数据); loading twice changes nothing
    Load,
    /// Write a deterministic synthetic country of N counties (示例数据); counties already
    /// stored are skipped
    Generate {
        /// How many counties
        #[arg(long)]
        counties: u32,
        /// Seed of the generator: the same seed gives the same country
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Debug, Subcommand)]
enum DbCommand {
    /// Copy every record from one database into another, empty one, and verify the copy
    Copy {
        /// Source database URL
        #[arg(long)]
        from: String,
        /// Target database URL (must hold no county yet)
        #[arg(long)]
        to: String,
    },
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Print a commented example configuration file
    Default,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let listen = match &cli.command {
        Command::Serve { listen, .. } => listen.clone(),
        _ => None,
    };
    let settings = match config::load(config::Overrides {
        config: cli.common.config,
        data_dir: cli.common.data_dir,
        database_url: cli.common.database_url,
        listen,
        log: cli.common.log,
    }) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("错误：{e:#}");
            return ExitCode::from(2);
        }
    };
    init_tracing(&settings.log);
    match run(cli.command, settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}

fn run(command: Command, settings: config::Settings) -> Result<()> {
    if let Command::Config {
        command: ConfigCommand::Default,
    } = command
    {
        say!("{}", config::DEFAULT_FILE.trim_end());
        return Ok(());
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        match command {
            Command::Serve { demo, .. } => commands::serve(&settings, demo).await,
            Command::Migrate => commands::migrate(&settings).await,
            Command::Demo {
                command: DemoCommand::Load,
            } => commands::demo_load(&settings).await.map(|_| ()),
            Command::Demo {
                command: DemoCommand::Generate { counties, seed },
            } => generate::generate(&settings, counties, seed).await,
            Command::Db {
                command: DbCommand::Copy { from, to },
            } => commands::db_copy(&from, &to).await,
            Command::Config { .. } => Ok(()),
            Command::User { command } => match command {
                UserCommand::Add {
                    username,
                    role,
                    display_name,
                    county,
                    department,
                    scope,
                } => {
                    let password_env = std::env::var("XIANCHENG_PASSWORD").ok();
                    admin::user_add(
                        &settings,
                        admin::UserAdd {
                            username,
                            role,
                            display_name,
                            county,
                            department,
                            scope,
                            password_env,
                        },
                    )
                    .await
                }
                UserCommand::List => admin::user_list(&settings).await,
                UserCommand::Disable { username } => {
                    admin::user_disable(&settings, &username).await
                }
            },
            Command::Audit {
                command: AuditCommand::Verify,
            } => admin::audit_verify(&settings).await,
            Command::Settings {
                command: SettingsCommand::Show { county },
            } => admin::settings_show(&settings, county.as_deref()).await,
            Command::Settings {
                command: SettingsCommand::Set { file, county },
            } => admin::settings_set(&settings, county.as_deref(), &file).await,
            Command::Report {
                command:
                    ReportCommand::Status {
                        period,
                        county,
                        as_of,
                        json,
                    },
            } => {
                admin::report_status(
                    &settings,
                    county.as_deref(),
                    &period,
                    as_of.as_deref(),
                    json,
                )
                .await
            }
            Command::Warnings {
                period,
                county,
                json,
            } => admin::warnings(&settings, county.as_deref(), &period, json).await,
            Command::Rollup {
                by,
                period,
                county,
                json,
            } => admin::rollup_cmd(&settings, county.as_deref(), &by, &period, json).await,
        }
    })
}
