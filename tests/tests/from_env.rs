//! `Client::from_env`: BOT_TOKEN is required, BOT_API_URL optional. One test
//! in its own binary, since it changes the process environment.

use botapi::Client;

#[test]
fn reads_token_and_server_from_the_environment() {
    std::env::remove_var("BOT_TOKEN");
    std::env::remove_var("BOT_API_URL");
    let err = Client::from_env().unwrap_err();
    assert!(err.to_string().contains("BOT_TOKEN"), "{err}");

    std::env::set_var("BOT_TOKEN", "1:secret-from-env");
    assert_eq!(
        Client::from_env().unwrap().base_url(),
        botapi::DEFAULT_BASE_URL
    );
    std::env::set_var("BOT_API_URL", "http://127.0.0.1:8081/");
    let c = Client::from_env().unwrap();
    assert_eq!(c.base_url(), "http://127.0.0.1:8081");
    assert!(!format!("{c:?}").contains("secret-from-env"));
}
