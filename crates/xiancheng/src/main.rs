//! The xiancheng binary: the command line, configuration and logging, and the start-up of
//! the web server. The only crate that reads configuration and the environment, and the
//! only place errors are printed.

mod commands;
mod config;

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
}

#[derive(Debug, Subcommand)]
enum DemoCommand {
    /// Load the illustrative Panshan County dataset (示例数据); loading twice changes nothing
    Load,
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
        print!("{}", config::DEFAULT_FILE);
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
            Command::Db {
                command: DbCommand::Copy { from, to },
            } => commands::db_copy(&from, &to).await,
            Command::Config { .. } => Ok(()),
        }
    })
}
