//! A small cache of whole county datasets for the read-heavy pages (dashboard, warnings,
//! workbench). Validity is checked against the audit trail's head: every change to a county's
//! data appends an audit entry in its own transaction, so an unchanged head means unchanged
//! data — also across several server processes sharing one PostgreSQL. One cheap query per
//! read instead of reloading thousands of rows.

use crate::connect::Store;
use crate::error::Result;
use sqlx::Row;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use xiancheng_core::dataset::CountyDataset;
use xiancheng_core::ids::CountyId;

/// How many counties are kept; a provincial server reads a few at a time, and a country's
/// worth would not fit in memory.
const CAPACITY: usize = 32;

#[derive(Debug, Default)]
pub(crate) struct DatasetCache {
    entries: Mutex<HashMap<CountyId, Entry>>,
}

#[derive(Debug)]
struct Entry {
    /// The audit head when the dataset was read.
    version: i64,
    last_used: u64,
    dataset: Arc<CountyDataset>,
}

impl DatasetCache {
    fn get(&self, county: CountyId, version: i64, tick: u64) -> Option<Arc<CountyDataset>> {
        let mut entries = self.entries.lock().ok()?;
        let entry = entries.get_mut(&county).filter(|e| e.version == version)?;
        entry.last_used = tick;
        Some(entry.dataset.clone())
    }

    fn put(&self, county: CountyId, version: i64, tick: u64, dataset: Arc<CountyDataset>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CAPACITY
                && !entries.contains_key(&county)
                && let Some(oldest) = entries
                    .iter()
                    .min_by_key(|(_, e)| e.last_used)
                    .map(|(k, _)| *k)
            {
                entries.remove(&oldest);
            }
            entries.insert(
                county,
                Entry {
                    version,
                    last_used: tick,
                    dataset,
                },
            );
        }
    }
}

impl Store {
    /// The whole county, as [`Store::county_dataset`] reads it, from the cache while nothing
    /// has changed since it was read.
    pub async fn county_dataset_cached(&self, county: CountyId) -> Result<Arc<CountyDataset>> {
        // Read the version before the data: a change in between only makes the cached copy
        // newer than its tag, and the next read reloads it.
        let version: i64 = sqlx::query("SELECT seq FROM audit_head WHERE name = 'head'")
            .fetch_one(&self.pool)
            .await?
            .try_get("seq")?;
        let tick = self.now().0 as u64;
        if let Some(hit) = self.cache.get(county, version, tick) {
            return Ok(hit);
        }
        let dataset = Arc::new(self.county_dataset(county).await?);
        self.cache.put(county, version, tick, dataset.clone());
        Ok(dataset)
    }
}
