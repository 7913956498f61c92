//! The browser entry point: hydrates the server-rendered page. Nothing else lives here.
//! Pages are lazy routes (their code in chunks of their own): `hydrate_lazy` loads the
//! chunk of the page on screen before it hydrates.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
