//! The rows of the template editor as signals: a dimension with its items and rubric texts,
//! the ids that tell rows apart, and the move of a row up or down.

use leptos::prelude::*;
use pingjia_domain::qa::{NewTemplateDimension, NewTemplateItem, RubricLevel};

/// One item of the editor.
#[derive(Debug, Clone, Copy)]
pub(super) struct ItemRow {
    pub(super) uid: u64,
    pub(super) name_zh: RwSignal<String>,
    pub(super) name_en: RwSignal<String>,
    pub(super) standard_zh: RwSignal<String>,
    pub(super) standard_en: RwSignal<String>,
}

/// One dimension of the editor.
#[derive(Debug, Clone, Copy)]
pub(super) struct DimensionRow {
    pub(super) uid: u64,
    pub(super) name_zh: RwSignal<String>,
    pub(super) name_en: RwSignal<String>,
    pub(super) levels_zh: [RwSignal<String>; 5],
    pub(super) levels_en: [RwSignal<String>; 5],
    pub(super) items: RwSignal<Vec<ItemRow>>,
}

/// Hands out ids that tell rows apart while they move.
#[derive(Debug, Clone, Copy)]
pub(super) struct Uids(pub(super) StoredValue<u64>);

impl Uids {
    pub(super) fn next(self) -> u64 {
        self.0.update_value(|n| *n += 1);
        self.0.get_value()
    }
}

impl ItemRow {
    pub(super) fn new(uids: Uids, item: &NewTemplateItem) -> ItemRow {
        ItemRow {
            uid: uids.next(),
            name_zh: RwSignal::new(item.name_zh.clone()),
            name_en: RwSignal::new(item.name_en.clone()),
            standard_zh: RwSignal::new(item.standard_zh.clone()),
            standard_en: RwSignal::new(item.standard_en.clone()),
        }
    }

    pub(super) fn value(self) -> NewTemplateItem {
        NewTemplateItem {
            name_zh: self.name_zh.get_untracked(),
            name_en: self.name_en.get_untracked(),
            standard_zh: self.standard_zh.get_untracked(),
            standard_en: self.standard_en.get_untracked(),
        }
    }
}

impl DimensionRow {
    pub(super) fn new(uids: Uids, d: &NewTemplateDimension) -> DimensionRow {
        let level = |score: u8, zh: bool| {
            let text = d
                .levels
                .iter()
                .find(|l| l.score == score)
                .map(|l| {
                    if zh {
                        l.text_zh.clone()
                    } else {
                        l.text_en.clone()
                    }
                })
                .unwrap_or_default();
            RwSignal::new(text)
        };
        DimensionRow {
            uid: uids.next(),
            name_zh: RwSignal::new(d.name_zh.clone()),
            name_en: RwSignal::new(d.name_en.clone()),
            levels_zh: [1, 2, 3, 4, 5].map(|s| level(s, true)),
            levels_en: [1, 2, 3, 4, 5].map(|s| level(s, false)),
            items: RwSignal::new(d.items.iter().map(|i| ItemRow::new(uids, i)).collect()),
        }
    }

    pub(super) fn value(self) -> NewTemplateDimension {
        let levels = (0..5)
            .filter_map(|k| {
                let text_zh = self.levels_zh[k].get_untracked();
                let text_en = self.levels_en[k].get_untracked();
                (!text_zh.trim().is_empty() || !text_en.trim().is_empty()).then(|| RubricLevel {
                    score: u8::try_from(k + 1).unwrap_or(5),
                    text_zh,
                    text_en,
                })
            })
            .collect();
        NewTemplateDimension {
            name_zh: self.name_zh.get_untracked(),
            name_en: self.name_en.get_untracked(),
            levels,
            items: self
                .items
                .get_untracked()
                .into_iter()
                .map(ItemRow::value)
                .collect(),
        }
    }
}

/// Moves element `index` of `list` one place up (`up`) or down.
pub(super) fn shift<T>(list: &mut [T], index: usize, up: bool) {
    if up && index > 0 && index < list.len() {
        list.swap(index, index - 1);
    } else if !up && index + 1 < list.len() {
        list.swap(index, index + 1);
    }
}
