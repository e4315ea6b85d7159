//! Importer on aiogram-butcher-shaped input (`api` + `items`; the format is
//! told apart by shape, the name only appears in errors).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        botapi_fuzz::import_text("schema.json", text);
    }
});
