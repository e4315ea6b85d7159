//! Importer on PaulSonOfLars-shaped input (`methods`/`types` maps; the
//! format is told apart by shape, the name only appears in errors).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        botapi_fuzz::import_text("api.json", text);
    }
});
