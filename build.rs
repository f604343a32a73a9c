//! Generates the `i18n` module (Locale, use_i18n, t!, td_string!, …) from
//! `[package.metadata.leptos-i18n]` and `locales/*.json` into `$OUT_DIR/i18n.rs`, which
//! `src/generated_i18n.rs` includes.
//!
//! It is what leptos_i18n's `load_locales!` generates, with interpolation into strings
//! (`td_string!(locale, key, name = value)`) turned on, which the macro cannot do. The build
//! crate leptos_i18n recommends instead builds ICU data export crates this app does not use;
//! these two are the very parser and code generator the macro runs.

use std::path::PathBuf;

use leptos_i18n_parser::parse_locales::cfg_file::ConfigFile;
use leptos_i18n_parser::parse_locales::options::{Config, ParseOptions};
use leptos_i18n_parser::parse_locales::parse_locales;

fn main() {
    println!("cargo::rerun-if-changed=Cargo.toml");
    println!("cargo::rerun-if-changed=locales");
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let mut manifest_dir = manifest_dir;
    let cfg_file = ConfigFile::new(&mut manifest_dir).expect("[package.metadata.leptos-i18n]");
    let mut cfg: Config = cfg_file.into();
    cfg.options = ParseOptions::default().interpolate_display(true);
    let parsed = parse_locales(Some(manifest_dir), cfg).expect("the locale files parse");
    let code = leptos_i18n_codegen::gen_code(&parsed, None, false, None, true)
        .expect("the i18n module generates");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("i18n.rs");
    std::fs::write(out, code.to_string()).expect("OUT_DIR is writable");
}
