//! The catalogue's edits in memory, shared by the page and its dialogs.

use pingjia_domain::wire::{Catalog, Dimension, ServiceType, TypeDimension};

/// Adds a dimension at the end of a type's picked dimensions (required); `false` when it is
/// already there.
pub fn add_dimension(picked: &mut Vec<TypeDimension>, code: &str) -> bool {
    if code.is_empty() || picked.iter().any(|d| d.code == code) {
        return false;
    }
    picked.push(TypeDimension {
        code: code.to_owned(),
        optional: false,
    });
    true
}

pub(super) fn replace_dimension(catalog: &mut Catalog, saved: Dimension) {
    match catalog.dimensions.iter_mut().find(|d| d.code == saved.code) {
        Some(d) => *d = saved,
        None => catalog.dimensions.push(saved),
    }
}

pub(super) fn replace_type(catalog: &mut Catalog, saved: ServiceType) {
    match catalog
        .service_types
        .iter_mut()
        .find(|t| t.code == saved.code)
    {
        Some(t) => *t = saved,
        None => catalog.service_types.push(saved),
    }
}
