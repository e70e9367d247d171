//! Settings, built once: defaults → TOML file → `XIANCHENG_*` environment → command-line
//! flags (clap reads the environment and the flags; the file sits under both). The result
//! is a plain struct passed down; nothing else in the system reads the environment.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "data";
pub const CONFIG_FILE: &str = "xiancheng.toml";

/// The optional TOML file (`--config`, or `xiancheng.toml` in the data directory).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    pub database_url: Option<String>,
    pub listen: Option<String>,
    pub log: Option<String>,
}

/// Effective settings.
#[derive(Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub listen: SocketAddr,
    pub log: String,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &xiancheng_store::connect::redact_url(&self.database_url),
            )
            .field("listen", &self.listen)
            .field("log", &self.log)
            .finish()
    }
}

/// What the command line (and, through clap, the environment) gave.
#[derive(Debug, Default)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub listen: Option<String>,
    pub log: Option<String>,
}

pub fn load(o: Overrides) -> Result<Settings> {
    let data_dir = o
        .data_dir
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
    let file_path = o
        .config
        .clone()
        .unwrap_or_else(|| data_dir.join(CONFIG_FILE));
    let file = read_file(&file_path, o.config.is_some())?;
    let database_url = o
        .database_url
        .or(file.database_url)
        .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("xiancheng.sqlite").display()));
    let listen_text = o
        .listen
        .or(file.listen)
        .unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
    let listen: SocketAddr = listen_text.parse().with_context(|| {
        format!("监听地址“{listen_text}”无效，应为 IP:端口，如 127.0.0.1:8080 (--listen / XIANCHENG_LISTEN)")
    })?;
    Ok(Settings {
        data_dir,
        database_url,
        listen,
        log: o
            .log
            .or(file.log)
            .unwrap_or_else(|| "info,sqlx=warn".to_owned()),
    })
}

fn read_file(path: &Path, required: bool) -> Result<FileSettings> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            toml::from_str(&text).with_context(|| format!("配置文件 {} 格式有误", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            Ok(FileSettings::default())
        }
        Err(e) => bail!("无法读取配置文件 {}：{e}", path.display()),
    }
}

/// The commented example printed by `xiancheng config default`.
pub const DEFAULT_FILE: &str = r#"# xiancheng configuration. Every setting can also be given as an environment variable
# (XIANCHENG_DATABASE_URL, XIANCHENG_LISTEN, XIANCHENG_LOG, XIANCHENG_DATA_DIR) or a flag;
# flags win over the environment, the environment over this file.
# The file is read from --config, or from xiancheng.toml in the data directory.

# Database. Default: a SQLite file in the data directory (sqlite://data/xiancheng.sqlite).
# PostgreSQL: postgres://USER:PASSWORD@HOST:5432/DATABASE
# database_url = "sqlite://data/xiancheng.sqlite"

# Address the web server listens on.
# listen = "127.0.0.1:8080"

# Log filter (tracing's EnvFilter syntax): error, warn, info, debug, or per module.
# log = "info,sqlx=warn"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_put_sqlite_in_the_data_dir() {
        let s = load(Overrides {
            data_dir: Some("/nonexistent-dir".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(s.database_url, "sqlite:///nonexistent-dir/xiancheng.sqlite");
        assert_eq!(s.listen.to_string(), DEFAULT_LISTEN);
    }

    #[test]
    fn flags_win_over_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "listen = \"127.0.0.1:9000\"\ndatabase_url = \"sqlite://x.db\"\n",
        )
        .unwrap();
        let s = load(Overrides {
            data_dir: Some(dir.path().into()),
            listen: Some("127.0.0.1:9100".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(s.listen.port(), 9100);
        assert_eq!(s.database_url, "sqlite://x.db");
    }

    #[test]
    fn refuses_bad_listen_address_and_unknown_keys() {
        let err = load(Overrides {
            data_dir: Some("/nonexistent-dir".into()),
            listen: Some("localhost".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert!(format!("{err:#}").contains("localhost"));
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "databse_url = \"x\"\n").unwrap();
        assert!(
            load(Overrides {
                data_dir: Some(dir.path().into()),
                ..Default::default()
            })
            .is_err()
        );
    }

    #[test]
    fn the_default_file_parses() {
        let parsed: FileSettings = toml::from_str(DEFAULT_FILE).unwrap();
        assert!(parsed.database_url.is_none());
    }
}
