//! Both HTTP transports against the fake Bot API on 127.0.0.1: the default
//! `HyperTransport` and `ReqwestTransport` (feature `reqwest`) send the same
//! JSON calls, multipart uploads of known and unknown length, and download
//! the same files; the default one keeps a UTF-8 file name and says so when
//! a connection fails while a proxy variable is set.

use botapi::testing::FakeBotApi;
use botapi::{Client, Error, InputFile};

fn song(len: u32) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

/// A client of `fake` on the default transport, or on a `reqwest::Client`.
fn client(fake: &FakeBotApi, reqwest: bool) -> Client {
    let builder = fake.client_builder();
    let builder = if reqwest {
        // botapi's `rustls` feature builds reqwest without a provider.
        let _ = rustls::crypto::ring::default_provider().install_default();
        builder.http_client(reqwest::Client::builder().no_proxy().build().unwrap())
    } else {
        builder
    };
    builder.build().unwrap()
}

async fn same_calls(reqwest: bool) {
    let fake = FakeBotApi::start().await;
    let client = client(&fake, reqwest);
    let sent = client.send_message(42, "hello").await.unwrap();
    assert_eq!(sent.text.as_deref(), Some("hello"));
    let call = fake.next_call("sendMessage").await;
    assert!(call.content_type.starts_with("application/json"));

    // Unknown length: the body goes chunked; known length: announced.
    let unsized_song = song(200_000);
    let sized_song = song(70_001);
    for (input, data) in [
        (
            InputFile::reader("a.mp3", std::io::Cursor::new(unsized_song.clone())),
            &unsized_song,
        ),
        (
            InputFile::reader_sized(
                "b.mp3",
                std::io::Cursor::new(sized_song.clone()),
                sized_song.len() as u64,
            ),
            &sized_song,
        ),
    ] {
        let sent = client
            .send_audio(-100123_i64, input)
            .caption("listen")
            .await
            .unwrap();
        let call = fake.next_call("sendAudio").await;
        assert!(call.content_type.starts_with("multipart/form-data"));
        assert_eq!(call.params["caption"], "listen");
        assert_eq!(&call.file("audio").unwrap().data, data);

        let file = client.get_file(sent.audio.unwrap().file_id).await.unwrap();
        let mut back = Vec::new();
        client
            .download(&file.file_path.unwrap(), &mut back)
            .await
            .unwrap();
        assert_eq!(&back, data);
    }
}

#[tokio::test]
async fn the_default_transport_sends_uploads_and_downloads() {
    same_calls(false).await;
}

#[tokio::test]
async fn the_reqwest_transport_does_the_same() {
    same_calls(true).await;
}

#[tokio::test]
async fn a_file_name_keeps_its_letters_and_quotes() {
    let fake = FakeBotApi::start().await;
    let client = fake.client();
    for (name, seen) in [
        ("песня 1.mp3", "песня 1.mp3"),
        // As browsers send it: the quote escaped, not dropped.
        ("say \"hi\".mp3", "say %22hi%22.mp3"),
    ] {
        client
            .send_audio(1, InputFile::bytes(name, song(10)))
            .await
            .unwrap();
        let call = fake.next_call("sendAudio").await;
        assert_eq!(call.file("audio").unwrap().file_name.as_deref(), Some(seen));
    }
}

#[tokio::test]
async fn a_refused_connection_names_a_proxy_variable_it_did_not_follow() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder("1:secret")
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let refused = |err: Error| match err {
        Error::Transport {
            message, connect, ..
        } => {
            assert!(connect, "{message}");
            message
        }
        other => panic!("not a transport error: {other:?}"),
    };
    let plain = refused(client.get_me().await.unwrap_err());
    assert!(!plain.contains("PROXY"), "{plain}");
    // Only HTTPS_PROXY: no other test of this file sends over https, and
    // reqwest would follow HTTP_PROXY for theirs.
    std::env::set_var("HTTPS_PROXY", "http://127.0.0.1:9");
    let hinted = refused(client.get_me().await.unwrap_err());
    std::env::remove_var("HTTPS_PROXY");
    assert!(
        hinted.contains("HTTPS_PROXY is set") && hinted.contains("feature `reqwest`"),
        "{hinted}"
    );
    assert!(!hinted.contains("secret"), "{hinted}");
}
