//! The Login Widget's data: HMAC-SHA-256 keyed with SHA-256 of the token.

use botapi::auth::{self, AuthError};
use botapi::ids::UserId;

use crate::independent::{login_widget_hash, query};
use crate::{assert_no_token, fresh, one_character_changes, SIGNED_AT, TOKEN};

/// Made with Python 3: `hmac.new(hashlib.sha256(token.encode()).digest(),
/// "\n".join(f"{k}={v}" for k, v in sorted(fields)).encode(),
/// hashlib.sha256).hexdigest()`.
const PYTHON_VECTOR: &str = "id=279000001&first_name=Ada&last_name=Test&username=ada_test&photo_url=https%3A%2F%2Ft.me%2Fi%2Fuserpic%2F320%2Fx.jpg&auth_date=1767225600&hash=a41c3b626d289e79c79b3d9f0d1c4d21051a5a0f9d1cce877c40785068f19402";

fn fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("id", "279000001"),
        ("first_name", "Ada"),
        ("last_name", "Test"),
        ("username", "ada_test"),
        ("photo_url", "https://t.me/i/userpic/320/x.jpg"),
        ("auth_date", "1767225600"),
    ]
}

fn signed(fields: &[(&str, &str)]) -> String {
    let hash = login_widget_hash(fields, TOKEN);
    let mut all = fields.to_vec();
    all.push(("hash", &hash));
    query(&all)
}

#[test]
fn the_python_vector_and_data_signed_here_validate() {
    assert_eq!(signed(&fields()), PYTHON_VECTOR);
    let user = auth::validate_login_widget(PYTHON_VECTOR, TOKEN, fresh(0)).expect("valid");
    assert_eq!(user.id, UserId(279_000_001));
    assert_eq!(user.first_name, "Ada");
    assert_eq!(user.last_name.as_deref(), Some("Test"));
    assert_eq!(user.username.as_deref(), Some("ada_test"));
    assert_eq!(
        user.photo_url.as_deref(),
        Some("https://t.me/i/userpic/320/x.jpg")
    );
    assert_eq!(user.auth_date, SIGNED_AT);
    assert!(user.extra.is_empty());
    // Only the fields a user has are sent and signed.
    let short = signed(&[
        ("id", "5"),
        ("first_name", "Bo"),
        ("auth_date", "1767225600"),
    ]);
    let user = auth::validate_login_widget(&short, TOKEN, fresh(0)).expect("valid");
    assert_eq!((user.id, user.last_name), (UserId(5), None));
}

#[test]
fn one_character_changed_fails() {
    let good = signed(&fields());
    for (at, changed) in one_character_changes(&good) {
        let e = auth::validate_login_widget(&changed, TOKEN, fresh(0))
            .expect_err(&format!("a change at byte {at} passed: {changed}"));
        assert_no_token(&e);
    }
}

#[test]
fn the_mini_app_key_is_not_the_widget_key() {
    // The same fields hashed the Mini App way do not pass as widget data,
    // and the other way round.
    let mini_app_hash = crate::independent::init_data_hash(&fields(), TOKEN);
    let mut all = fields();
    all.push(("hash", &mini_app_hash));
    let as_mini_app = query(&all);
    assert_eq!(
        auth::validate_login_widget(&as_mini_app, TOKEN, fresh(0)),
        Err(AuthError::HashMismatch)
    );
    assert!(auth::validate_init_data(&as_mini_app, TOKEN, fresh(0)).is_ok());
    assert_eq!(
        auth::validate_init_data(PYTHON_VECTOR, TOKEN, fresh(0)),
        Err(AuthError::HashMismatch)
    );
}

#[test]
fn json_from_the_callback() {
    let hash = login_widget_hash(&fields(), TOKEN);
    let json = format!(
        r#"{{"id":279000001,"first_name":"Ada","last_name":"Test","username":"ada_test","photo_url":"https://t.me/i/userpic/320/x.jpg","auth_date":1767225600,"hash":"{hash}"}}"#
    );
    let user = auth::validate_login_widget_json(&json, TOKEN, fresh(0)).expect("valid");
    assert_eq!(user.id, UserId(279_000_001));
    // Numbers as strings are the same text.
    let quoted = json.replace("279000001", "\"279000001\"");
    assert!(auth::validate_login_widget_json(&quoted, TOKEN, fresh(0)).is_ok());
    assert_eq!(
        auth::validate_login_widget_json(&json.replace("Ada", "Eve"), TOKEN, fresh(0)),
        Err(AuthError::HashMismatch)
    );
    assert!(matches!(
        auth::validate_login_widget_json(
            &json.replace("1767225600", "1767225600.0"),
            TOKEN,
            fresh(0)
        ),
        Err(AuthError::BadField { .. })
    ));
    for bad in ["[]", "", "{", "null"] {
        assert!(
            matches!(
                auth::validate_login_widget_json(bad, TOKEN, fresh(0)),
                Err(AuthError::Malformed(_))
            ),
            "{bad}"
        );
    }
    assert!(auth::validate_login_widget_json(r#"{"id":1,"id":2}"#, TOKEN, fresh(0)).is_err());
}

#[test]
fn age_and_missing_fields() {
    let good = signed(&fields());
    assert!(matches!(
        auth::validate_login_widget(&good, TOKEN, fresh(3601)),
        Err(AuthError::Expired { .. })
    ));
    assert_eq!(
        auth::validate_login_widget("id=1&auth_date=1", TOKEN, fresh(0)),
        Err(AuthError::MissingHash)
    );
    let no_id = signed(&[("first_name", "A"), ("auth_date", "1767225600")]);
    assert!(matches!(
        auth::validate_login_widget(&no_id, TOKEN, fresh(0)),
        Err(AuthError::BadField { field, .. }) if field == "id"
    ));
    let bad_id = signed(&[
        ("id", "x"),
        ("first_name", "A"),
        ("auth_date", "1767225600"),
    ]);
    assert!(matches!(
        auth::validate_login_widget(&bad_id, TOKEN, fresh(0)),
        Err(AuthError::BadField { field, .. }) if field == "id"
    ));
}
