// The migrations are embedded by `sqlx::migrate!`, which sees a changed file but not a new
// one: build again when either folder changes (sqlx's own advice, `sqlx migrate build-script`).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=migrations/postgres");
}
