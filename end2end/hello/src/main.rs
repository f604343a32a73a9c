//! The bare Leptos page the first-visit benchmark compares Pingjia's customer pages with: what
//! the framework alone costs, built with the same release profile and `wasm-opt` settings and
//! served by the same server (`make bench-e2e`).

use leptos::prelude::*;

fn main() {
    leptos::mount::mount_to_body(|| {
        let count = RwSignal::new(0);
        view! {
            <main>
                <h1>"Hello"</h1>
                <button on:click=move |_| count.update(|n| *n += 1)>
                    "Clicked " {count} " times"
                </button>
            </main>
        }
    });
}
