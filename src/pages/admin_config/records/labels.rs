//! The names the records page and its import panel show: columns, types, urgencies, categories,
//! channels, and where the import template is served.

use pingjia_domain::wire::{Catalog, Category, Channel, Urgency};

use crate::i18n::{Locale, td_string};
use crate::pages::admin_config::localized;

/// Where the import template is served (`public/`).
pub const TEMPLATE_PATH: &str = "/templates/service-records-import.csv";

/// An urgency's name.
pub(super) fn urgency_name(locale: Locale, urgency: Urgency) -> &'static str {
    match urgency {
        Urgency::High => td_string!(locale, config.urgency_high),
        Urgency::Normal => td_string!(locale, config.urgency_normal),
        Urgency::Low => td_string!(locale, config.urgency_low),
    }
}

/// A category's name.
pub(super) fn category_name(locale: Locale, category: Category) -> &'static str {
    match category {
        Category::Consultation => td_string!(locale, config.category_consultation),
        Category::Complaint => td_string!(locale, config.category_complaint),
        Category::Suggestion => td_string!(locale, config.category_suggestion),
        Category::Praise => td_string!(locale, config.category_praise),
    }
}

/// A channel's name.
pub(super) fn channel_name(locale: Locale, channel: Channel) -> &'static str {
    match channel {
        Channel::Online => td_string!(locale, config.channel_online),
        Channel::Offline => td_string!(locale, config.channel_offline),
    }
}

/// The name of an import column in the interface language.
pub(super) fn column_name(locale: Locale, column: &str) -> String {
    match column {
        "external_id" => td_string!(locale, config.external_id),
        "customer" => td_string!(locale, config.customer),
        "customer_no" => td_string!(locale, users.customer_no),
        "member_no" => td_string!(locale, users.member_no),
        "customer_phone" => td_string!(locale, users.phone),
        "customer_type" => td_string!(locale, users.customer_type),
        "customer_email" => td_string!(locale, users.email),
        "customer_name" => td_string!(locale, config.customer_name),
        "agent" => td_string!(locale, config.agent),
        "service_type" => td_string!(locale, config.service_type),
        "channel" => td_string!(locale, config.channel),
        "started_at" => td_string!(locale, config.started_at),
        "ended_at" => td_string!(locale, config.ended_at),
        "urgency" => td_string!(locale, config.urgency),
        "category" => td_string!(locale, config.category),
        "requested_at" => td_string!(locale, config.requested_at),
        "do_not_invite" => td_string!(locale, config.do_not_invite),
        other => return other.to_owned(),
    }
    .to_owned()
}

/// The service type's name from the catalogue, or its code.
pub(super) fn type_name(catalog: &Option<Catalog>, locale: Locale, code: &str) -> String {
    catalog
        .as_ref()
        .and_then(|c| c.service_types.iter().find(|t| t.code == code))
        .map_or(code.to_owned(), |t| {
            localized(locale, &t.name_zh, &t.name_en).to_owned()
        })
}
