//! Data that ships with xiancheng: the national framework reference data
//! (`data/national.json`: the Opinions' parts and items with their verification status,
//! the five functional types, the NDRC 2020 taxonomy) and the illustrative Panshan County
//! dataset (`data/panshan.json` plus the generated monthly reports).
//!
//! Everything in the demo county is illustrative (示例数据). Its countable facts follow the
//! seed document (9 chapters, 32 articles, 6 areas, 25 tasks, 3 safeguards, 19 categories,
//! 53 projects); names, amounts and reports are invented and marked as such wherever shown.

pub mod panshan;
pub mod synthetic;

use xiancheng_core::model::NationalFramework;

/// The national framework as shipped. The JSON is checked by a test; a broken file is a
/// build defect, so this panics with the parse error rather than returning it.
pub fn national_framework() -> NationalFramework {
    serde_json::from_str(include_str!("../data/national.json"))
        .expect("data/national.json is valid (checked by tests)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use xiancheng_core::enums::ItemRole;

    #[test]
    fn national_framework_has_9_parts_and_39_items_numbered_continuously() {
        let fw = national_framework();
        assert_eq!(fw.parts.len(), 9);
        assert_eq!(fw.items.len(), 39);
        for (i, item) in fw.items.iter().enumerate() {
            assert_eq!(item.number, i as i32 + 1);
            assert!(fw.parts.iter().any(|p| p.number == item.part));
        }
        let per_part: Vec<usize> = (1..=9)
            .map(|p| fw.items.iter().filter(|i| i.part == p).count())
            .collect();
        assert_eq!(per_part, [3, 5, 5, 7, 5, 5, 3, 3, 3]);
        assert_eq!(
            fw.items.iter().filter(|i| i.role == ItemRole::Task).count(),
            28
        );
        assert_eq!(fw.functional_types.len(), 5);
        assert_eq!(
            fw.ndrc_groups.iter().map(|g| g.areas.len()).sum::<usize>(),
            17
        );
    }
}
