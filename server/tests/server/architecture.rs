//! The house rules of `docs/architecture.md`, checked over the sources of the three crates
//! (`cargo test -p pingjia-server --test server architecture`):
//! - no import cycle between the files of a crate;
//! - on the server, nothing outside `api/` imports `crate::api` (the crate root mounts it), and
//!   `db/` imports no other layer, `services/` no handler;
//! - in the app, no component imports a page, and no page imports another page (a folder of
//!   `src/pages/` is one page, with its sub-views);
//! - no source file over 800 lines;
//! - on the server, transactions begin only through `db::begin_write` (`BEGIN IMMEDIATE`);
//! - no two wire types share an OpenAPI schema name (utoipa would keep one of them and
//!   describe the other's fields with it).
//!
//! Imports are read from the text: `use` trees (with `self`, `super`, `crate` and the file's own
//! child modules) and paths written inline (`crate::format::percent(…)`); each is resolved to the
//! file of the longest module prefix that exists. A file's `#[cfg(test)]` module at its end does
//! not count: a test may look anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The longest a source file may be.
const MAX_LINES: usize = 800;

/// The one allowed cycle: the axum state (`http/state.rs`) holds the pool, the settings cache
/// and the workers' handles, so it names a few modules and most modules name it. Imports of
/// it are left out of the cycle search.
const HUB: &str = "http::state";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// One crate's source files, each by its module path (`["api", "qa", "plans"]`), with its code.
struct Crate {
    name: &'static str,
    files: BTreeMap<Vec<String>, PathBuf>,
    code: BTreeMap<Vec<String>, String>,
}

impl Crate {
    fn read(name: &'static str, src: &str) -> Crate {
        let root = workspace().join(src);
        let (mut files, mut code) = (BTreeMap::new(), BTreeMap::new());
        for file in rust_files(&root) {
            let relative = file.strip_prefix(&root).unwrap();
            let mut module: Vec<String> = relative
                .with_extension("")
                .components()
                .map(|part| part.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                module.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                module.pop();
            }
            code.insert(module.clone(), code_of(&fs::read_to_string(&file).unwrap()));
            files.insert(module, file);
        }
        Crate { name, files, code }
    }

    /// The file that defines `path`: the nearest enclosing module's file, or, where that module
    /// only re-exports the item (`pub use plans::*`), the child module's file that defines it.
    fn file_of<'a>(&'a self, path: &[String]) -> Option<&'a Vec<String>> {
        let (len, module) = (0..=path.len()).rev().find_map(|len| {
            self.files
                .get_key_value(&path[..len])
                .map(|(key, _)| (len, key))
        })?;
        let Some(item) = path.get(len) else {
            return Some(module);
        };
        if defines(&self.code[module], item) {
            return Some(module);
        }
        let child = self.files.keys().find(|child| {
            child.len() == module.len() + 1
                && child.starts_with(module)
                && defines(&self.code[*child], item)
        });
        Some(child.unwrap_or(module))
    }

    /// Every file's imports, as the module files they resolve to (itself left out).
    fn imports(&self) -> BTreeMap<&Vec<String>, BTreeSet<&Vec<String>>> {
        self.code
            .iter()
            .map(|(module, code)| {
                let targets = paths_in(code)
                    .into_iter()
                    .filter_map(|(path, reexport)| {
                        let path = self.resolve(module, &path)?;
                        // A module's index (`pub use plans::*`) is its public face, not a use.
                        (!(reexport && path.starts_with(module))).then_some(path)
                    })
                    .filter_map(|path| self.file_of(&path))
                    .filter(|target| *target != module)
                    .collect();
                (module, targets)
            })
            .collect()
    }

    /// `path` as written in the file of `module`, made absolute; `None` for other crates.
    fn resolve(&self, module: &[String], path: &[String]) -> Option<Vec<String>> {
        let (first, rest) = path.split_first()?;
        match first.as_str() {
            "crate" => Some(rest.to_vec()),
            "self" => Some([module, rest].concat()),
            "super" => {
                // `super` of a `mod.rs`/`x.rs` module is its parent; chains climb further.
                let mut base = module.to_vec();
                let mut rest = path;
                while rest.first().map(String::as_str) == Some("super") {
                    base.pop()?;
                    rest = &rest[1..];
                }
                Some([base.as_slice(), rest].concat())
            }
            child => {
                // A child module declared by this file (`mod cli;` … `use cli::Cli;`).
                let declared = format!("mod {child};");
                self.code[module]
                    .contains(&declared)
                    .then(|| [module, path].concat())
            }
        }
    }
}

/// Whether a file's code defines `item` (a function, type, constant, module or macro).
fn defines(code: &str, item: &str) -> bool {
    const KINDS: [&str; 10] = [
        "fn",
        "struct",
        "enum",
        "type",
        "trait",
        "const",
        "static",
        "mod",
        "union",
        "macro_rules!",
    ];
    KINDS.iter().any(|kind| {
        let written = format!("{kind} {item}");
        code.match_indices(&written).any(|(at, _)| {
            let after = code[at + written.len()..].chars().next();
            let before = code[..at].chars().next_back();
            after.is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
                && before.is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
        })
    })
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The code of a file: comments, string literals and the trailing test module left out.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    let mut code = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let skipped = if rest.starts_with("//") {
            rest.find('\n').unwrap_or(rest.len())
        } else if rest.starts_with("/*") {
            rest.find("*/").map_or(rest.len(), |end| end + 2)
        } else if let Some(hashes) = raw_string_start(rest) {
            let close = format!("\"{}", "#".repeat(hashes));
            let body = 2 + hashes;
            rest[body..]
                .find(&close)
                .map_or(rest.len(), |end| body + end + close.len())
        } else if c == '"' {
            string_end(rest)
        } else if c == '\'' {
            char_literal_end(rest).unwrap_or(1)
        } else {
            code.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        };
        if rest.starts_with("//") {
            code.push('\n');
        } else {
            code.push_str(" \"\" ");
        }
        rest = &rest[skipped..];
    }
    code
}

/// `r"…"` or `r#"…"#` starts here: how many `#`.
fn raw_string_start(text: &str) -> Option<usize> {
    let after = text.strip_prefix('r')?;
    let hashes = after.len() - after.trim_start_matches('#').len();
    after[hashes..].starts_with('"').then_some(hashes)
}

/// The length of the string literal at the start of `text`.
fn string_end(text: &str) -> usize {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return i + 1,
            _ => escaped = false,
        }
    }
    text.len()
}

/// The length of the char literal at the start of `text` (`'a'`, `'\n'`), `None` for a lifetime.
fn char_literal_end(text: &str) -> Option<usize> {
    let mut chars = text.char_indices().skip(1);
    let (_, first) = chars.next()?;
    if first == '\\' {
        return text[2..].find('\'').map(|end| end + 3);
    }
    let (at, second) = chars.next()?;
    (second == '\'').then_some(at + 1)
}

/// The module paths a piece of code names: each `use` tree expanded (marked when it is a
/// public re-export), and every path written inline from `crate`, `self` or `super`.
fn paths_in(code: &str) -> Vec<(Vec<String>, bool)> {
    let mut found = Vec::new();
    let mut inline = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = find_use(rest) {
        inline.push_str(&rest[..at - 4]);
        // `pub use`, `pub(crate) use`, `pub(super) use`.
        let before = rest[..at - 4].trim_end();
        let visibility = before.rsplit(char::is_whitespace).next().unwrap_or("");
        let reexport = visibility == "pub" || visibility.starts_with("pub(");
        let tree = &rest[at..];
        let end = tree.find(';').unwrap_or(tree.len());
        let mut paths = Vec::new();
        expand(&tree[..end], &[], &mut paths);
        found.extend(paths.into_iter().map(|path| (path, reexport)));
        rest = &tree[end..];
    }
    inline.push_str(rest);
    let mut paths = Vec::new();
    let tokens: Vec<&str> = inline
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .filter(|token| token.contains("::"))
        .collect();
    for token in tokens {
        let segments: Vec<String> = token
            .split("::")
            .filter(|segment| !segment.is_empty())
            .map(str::to_owned)
            .collect();
        if matches!(
            segments.first().map(String::as_str),
            Some("crate" | "self" | "super")
        ) {
            paths.push(segments);
        }
    }
    found.extend(paths.into_iter().map(|path| (path, false)));
    found
}

/// Where the next `use` declaration's tree starts.
fn find_use(code: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = code[from..].find("use ") {
        let start = from + at;
        let before = code[..start].chars().next_back();
        if before.is_none_or(|c| c.is_whitespace() || c == ')' || c == ';' || c == '}') {
            return Some(start + 4);
        }
        from = start + 4;
    }
    None
}

/// Expands a `use` tree (`a::{b, c::{d as e, self}}`) into its paths.
fn expand(tree: &str, prefix: &[String], paths: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    match tree.find('{') {
        None => {
            let mut path = prefix.to_vec();
            let head = tree.split(" as ").next().unwrap_or("").trim();
            path.extend(
                head.split("::")
                    .map(str::trim)
                    .filter(|s| !s.is_empty() && *s != "self" && *s != "*")
                    .map(str::to_owned),
            );
            if !path.is_empty() {
                paths.push(path);
            }
        }
        Some(open) => {
            let mut path = prefix.to_vec();
            path.extend(
                tree[..open]
                    .split("::")
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
            );
            let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(&inner[start..i], &path, paths);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            expand(&inner[start..], &path, paths);
        }
    }
}

/// The strongly connected groups of more than one file (Tarjan's algorithm).
fn cycles<'a>(
    graph: &BTreeMap<&'a Vec<String>, BTreeSet<&'a Vec<String>>>,
) -> Vec<Vec<&'a Vec<String>>> {
    struct Walk<'a, 'g> {
        graph: &'g BTreeMap<&'a Vec<String>, BTreeSet<&'a Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on_stack: BTreeSet<&'a Vec<String>>,
        groups: Vec<Vec<&'a Vec<String>>>,
    }
    impl<'a> Walk<'a, '_> {
        fn visit(&mut self, node: &'a Vec<String>) {
            let n = self.index.len();
            self.index.insert(node, n);
            self.low.insert(node, n);
            self.stack.push(node);
            self.on_stack.insert(node);
            for &next in self.graph.get(node).into_iter().flatten() {
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node, low);
                } else if self.on_stack.contains(next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut group = Vec::new();
                while let Some(member) = self.stack.pop() {
                    self.on_stack.remove(member);
                    group.push(member);
                    if member == node {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.groups.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        groups: Vec::new(),
    };
    for &node in graph.keys() {
        if !walk.index.contains_key(node) {
            walk.visit(node);
        }
    }
    walk.groups
}

fn crates() -> [Crate; 3] {
    [
        Crate::read("app", "src"),
        Crate::read("server", "server/src"),
        Crate::read("domain", "domain/src"),
    ]
}

fn shown(module: &[String]) -> String {
    if module.is_empty() {
        "crate root".into()
    } else {
        module.join("::")
    }
}

#[test]
fn no_import_cycle_between_files() {
    let mut found = Vec::new();
    for krate in crates() {
        let mut imports = krate.imports();
        for targets in imports.values_mut() {
            targets.retain(|target| target.join("::") != HUB);
        }
        for group in cycles(&imports) {
            let names: Vec<String> = group.iter().map(|m| shown(m)).collect();
            found.push(format!("{}: {}", krate.name, names.join(" ↔ ")));
        }
    }
    assert!(found.is_empty(), "import cycles:\n{}", found.join("\n"));
}

#[test]
fn only_the_api_and_the_crate_root_import_the_api() {
    let server = Crate::read("server", "server/src");
    let mut found = Vec::new();
    for (module, targets) in server.imports() {
        if module.is_empty() || module.first().map(String::as_str) == Some("api") {
            continue;
        }
        for target in targets {
            if target.first().map(String::as_str) == Some("api") {
                found.push(format!("{} imports {}", shown(module), shown(target)));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn server_layers_import_downwards() {
    // What each layer must not import: `db` sits on the domain and the error type, `services`
    // on `db` (and the state hub of `http`), `api` on both.
    let below: [(&str, &[&str]); 2] = [
        ("db", &["http", "services", "api", "demo"]),
        ("services", &["api", "demo"]),
    ];
    let server = Crate::read("server", "server/src");
    let mut found = Vec::new();
    for (module, targets) in server.imports() {
        let layer = module.first().map(String::as_str);
        let Some((_, banned)) = below.iter().find(|(name, _)| Some(*name) == layer) else {
            continue;
        };
        for target in targets {
            if banned.contains(&target.first().map_or("", String::as_str)) {
                found.push(format!("{} imports {}", shown(module), shown(target)));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn transactions_begin_through_begin_write() {
    // A deferred transaction that reads before it writes fails at once with "database is
    // locked" when another connection writes; `db::begin_write` takes the lock first.
    let server = Crate::read("server", "server/src");
    let mut found = Vec::new();
    for (module, code) in &server.code {
        // `db::copy` writes PostgreSQL only (the copy from an SQLite file into it).
        if module.as_slice() == ["db"] || module.as_slice() == ["db", "copy"] {
            continue;
        }
        for written in [".begin()", ".begin_with(", ".try_begin"] {
            if code.contains(written) {
                found.push(format!("{} calls {written}", shown(module)));
            }
        }
    }
    assert!(
        found.is_empty(),
        "begin transactions with db::begin_write:\n{}",
        found.join("\n")
    );
}

#[test]
fn queries_run_through_db_sql() {
    // One set of queries for SQLite and PostgreSQL (issue 23): a query written with sqlx's own
    // `query` or `QueryBuilder` is tied to one database; `db::sql`'s run on the pool's.
    // Only SQLite's migration check (`pragma_foreign_key_check`) is SQLite's alone, and
    // `db::copy`, which reads an SQLite file and writes a PostgreSQL database, each in its own
    // SQL (`migrate-sqlite-to-postgres`).
    let server = Crate::read("server", "server/src");
    let mut found = Vec::new();
    for (module, code) in &server.code {
        if module.starts_with(&["db".to_owned(), "sql".to_owned()])
            || module.as_slice() == ["db", "copy"]
        {
            continue;
        }
        for written in ["sqlx::query", "sqlx::QueryBuilder", "sqlx::raw_sql"] {
            let allowed = usize::from(module.as_slice() == ["db"] && written == "sqlx::query");
            if code.matches(written).count() > allowed {
                found.push(format!("{} calls {written}", shown(module)));
            }
        }
    }
    assert!(
        found.is_empty(),
        "run queries with db::sql:\n{}",
        found.join("\n")
    );
}

#[test]
fn pages_import_no_other_page_and_components_no_page() {
    let app = Crate::read("app", "src");
    let mut found = Vec::new();
    for (module, targets) in app.imports() {
        let area = module.first().map(String::as_str);
        let page = (area == Some("pages")).then(|| module.get(1)).flatten();
        for target in targets {
            if target.first().map(String::as_str) != Some("pages") {
                continue;
            }
            let wrong = match (area, page) {
                (Some("components"), _) => true,
                (Some("pages"), Some(page)) => target.get(1) != Some(page),
                _ => false,
            };
            if wrong {
                found.push(format!("{} imports {}", shown(module), shown(target)));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn no_source_file_over_800_lines() {
    let root = workspace();
    let mut long = Vec::new();
    for dir in ["src", "tests", "server/src", "server/tests", "domain/src"] {
        for file in rust_files(&root.join(dir)) {
            let lines = fs::read_to_string(&file).unwrap().lines().count();
            if lines > MAX_LINES {
                long.push(format!(
                    "{} has {lines} lines",
                    file.strip_prefix(&root).unwrap().display()
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}

/// The OpenAPI schema names a file's code gives its types: each type deriving `ToSchema`
/// (its own name, or the one `schema(as = …)` gives it) and each `closed_list!` enum.
fn schema_names(code: &str) -> Vec<String> {
    fn next_type_name(code: &str) -> Option<String> {
        let at = ["struct ", "enum "]
            .iter()
            .filter_map(|kind| code.find(kind).map(|at| at + kind.len()))
            .min()?;
        let name: String = code[at..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
            .collect();
        Some(name)
    }
    let mut names = Vec::new();
    for (at, _) in code.match_indices("ToSchema") {
        let attribute_start = code[..at].rfind("#[").unwrap_or(0);
        let attribute = &code[attribute_start..at];
        if !attribute.contains("derive(") || attribute.contains(']') {
            continue;
        }
        let rest = &code[at..];
        let item = rest
            .find("struct ")
            .into_iter()
            .chain(rest.find("enum "))
            .min();
        let renamed = rest
            .find("schema(as = ")
            .filter(|r| item.is_some_and(|i| *r < i));
        let name = match renamed {
            Some(r) => rest[r + "schema(as = ".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect(),
            None => match next_type_name(rest) {
                Some(name) => name,
                None => continue,
            },
        };
        names.push(name);
    }
    for (at, _) in code.match_indices("closed_list! {") {
        if let Some(name) = next_type_name(&code[at..]) {
            names.push(name);
        }
    }
    names.retain(|name| !name.is_empty() && !name.starts_with('$'));
    names.sort();
    names.dedup();
    names
}

#[test]
fn no_two_wire_types_share_an_openapi_schema_name() {
    let root = workspace();
    let mut owners: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for dir in ["domain/src", "server/src"] {
        for file in rust_files(&root.join(dir)) {
            let code = code_of(&fs::read_to_string(&file).unwrap());
            for name in schema_names(&code) {
                owners
                    .entry(name)
                    .or_default()
                    .push(file.strip_prefix(&root).unwrap().display().to_string());
            }
        }
    }
    assert!(owners.contains_key("DeliveryChannel") && owners.contains_key("Channel"));
    let shared: Vec<String> = owners
        .iter()
        .filter(|(_, files)| files.len() > 1)
        .map(|(name, files)| format!("{name}: {}", files.join(", ")))
        .collect();
    assert!(
        shared.is_empty(),
        "schema names given to more than one type (rename one, or `schema(as = …)`):\n{}",
        shared.join("\n")
    );
}

#[test]
fn the_schema_name_reader_sees_derives_renames_and_closed_lists() {
    let code = "#[derive(Debug, Serialize)]\n#[cfg_attr(feature = , derive(utoipa::ToSchema))]\npub struct A { x: u8 }\n\
        #[cfg_attr(feature = , derive(utoipa::ToSchema), schema(as = Renamed))]\npub enum B { X }\n\
        closed_list! {\n    pub enum C { X =  ( ,  ) }\n}\n\
        #[derive(Debug)]\npub struct D;\n";
    assert_eq!(schema_names(code), ["A", "C", "Renamed"]);
}

#[test]
fn the_import_reader_sees_trees_inline_paths_and_child_modules() {
    let mut paths = Vec::new();
    expand("crate::a::{b, c::{d as e, self}, f::*}", &[], &mut paths);
    let joined: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        joined,
        [
            "crate::a::b",
            "crate::a::c::d",
            "crate::a::c",
            "crate::a::f"
        ]
    );

    let code =
        code_of("// crate::x::y\nlet s = \"crate::z\"; let c = '\"'; crate::format::percent(1);\n");
    let inline: Vec<String> = paths_in(&code).iter().map(|(p, _)| p.join("::")).collect();
    assert_eq!(inline, ["crate::format::percent"]);

    let index = paths_in("pub use plans::*;\npub(crate) use report::Row;\nuse super::x;");
    let reexports: Vec<bool> = index.iter().map(|(_, reexport)| *reexport).collect();
    assert_eq!(reexports, [true, true, false]);

    let (a, b) = (vec!["a".to_string()], vec!["b".to_string()]);
    let graph = BTreeMap::from([(&a, BTreeSet::from([&b])), (&b, BTreeSet::from([&a]))]);
    assert_eq!(cycles(&graph).len(), 1);
}
