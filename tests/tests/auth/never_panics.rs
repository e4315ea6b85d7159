//! Arbitrary input gives an answer, never a panic: any string, strings made
//! of the characters signed data is made of, and valid data with random
//! bytes spliced in.

use botapi::auth::{self, PublicKey};
use proptest::prelude::*;

use crate::init_data::PYTHON_VECTOR;
use crate::{fresh, BOT_ID, TOKEN};

fn all_checks(input: &str) {
    let _ = auth::validate_init_data(input, TOKEN, fresh(0));
    let _ = auth::validate_init_data_signature(input, BOT_ID, &PublicKey::PRODUCTION, fresh(0));
    let _ = auth::parse_init_data(input);
    let _ = auth::validate_login_widget(input, TOKEN, fresh(0));
    let _ = auth::validate_login_widget_json(input, TOKEN, fresh(0));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_string(input in any::<String>()) {
        all_checks(&input);
    }

    #[test]
    fn query_like_strings(input in "[a-z_&=%0-9A-F+{}\":,\\[\\]\n-]{0,200}") {
        all_checks(&input);
    }

    #[test]
    fn valid_data_with_a_splice(at in 0usize..1000, junk in "[%&=+a-zA-Z0-9\u{80}-\u{10FFFF}]{0,4}") {
        let mut s = PYTHON_VECTOR.to_string();
        let at = (0..=at.min(s.len())).rev().find(|i| s.is_char_boundary(*i)).unwrap_or(0);
        s.insert_str(at, &junk);
        all_checks(&s);
        // Accepted only when it still says the same: a splice may spell a
        // character of the data another way (`%33` for `3` after a `%3`
        // spliced in front of it), which the hash does not see.
        if let Ok(data) = auth::validate_init_data(&s, TOKEN, fresh(0)) {
            prop_assert_eq!(Ok(data), auth::parse_init_data(PYTHON_VECTOR));
        }
    }
}

/// Found by `valid_data_with_a_splice`: `%3` spliced before the `3` of
/// `chat_instance=-3788…` spells the same value (`%33` is `3`), so the hash
/// still holds and the data is the same.
#[test]
fn a_splice_that_spells_the_same_data_is_accepted_as_that_data() {
    let s = PYTHON_VECTOR.replacen("chat_instance=-3", "chat_instance=-%33", 1);
    assert_ne!(s, PYTHON_VECTOR);
    assert_eq!(
        auth::validate_init_data(&s, TOKEN, fresh(0)),
        auth::parse_init_data(PYTHON_VECTOR)
    );
}
