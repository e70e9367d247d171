use std::collections::BTreeSet;
use std::path::Path;
use xiancheng_store::migrate::{POSTGRES, SQLITE, checksum, known_version};

fn files(backend: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".sql"))
        .collect()
}

#[test]
fn both_backends_have_the_same_migration_versions_and_names() {
    let sqlite = files("sqlite");
    let postgres = files("postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "migrations/sqlite and migrations/postgres must pair up"
    );
}

#[test]
fn every_migration_file_is_embedded_in_order() {
    for (backend, embedded) in [("sqlite", SQLITE), ("postgres", POSTGRES)] {
        let names: BTreeSet<String> = embedded
            .iter()
            .map(|m| format!("{:04}_{}.sql", m.version, m.name))
            .collect();
        assert_eq!(
            names,
            files(backend),
            "{backend}: a migration file is not listed in migrate.rs"
        );
        assert!(embedded.windows(2).all(|w| w[0].version < w[1].version));
    }
    assert_eq!(
        SQLITE.iter().map(|m| m.version).collect::<Vec<_>>(),
        POSTGRES.iter().map(|m| m.version).collect::<Vec<_>>()
    );
    assert_eq!(known_version(), SQLITE.last().unwrap().version);
}

#[test]
fn checksum_notices_an_edit() {
    assert_ne!(
        checksum("CREATE TABLE a (x BIGINT);"),
        checksum("CREATE TABLE a (x TEXT);")
    );
}
