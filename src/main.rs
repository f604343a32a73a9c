fn main() {
    console_error_panic_hook::set_once();
    pingjia::api::preload_config();
    leptos::mount::mount_to_body(pingjia::App);
}
