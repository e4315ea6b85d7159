//! A real 55 MB file uploaded to the mock server over HTTP: the bytes arrive
//! intact while the test process's peak memory stays far below the file
//! size (the file is streamed from disk, never read whole). Its own test
//! binary, so that no other test's allocations blur the measurement.

use std::io::Write;

use botapi::{Client, InputFile};
use botapi_tests::{fnv1a, MockBotApi, Reply, FNV_START};

const SIZE: u64 = 55 * 1024 * 1024;

/// Peak resident memory of this process so far, in bytes (Linux).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Write `SIZE` bytes of varied content in 1 MiB chunks; return their hash.
fn write_big_file(path: &std::path::Path) -> u64 {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut hash = FNV_START;
    let mut chunk = vec![0u8; 1024 * 1024];
    let mut x = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..SIZE / chunk.len() as u64 {
        for b in chunk.iter_mut() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
        hash = fnv1a(hash, &chunk);
        file.write_all(&chunk).unwrap();
    }
    file.flush().unwrap();
    hash
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_55_mb_file_is_streamed_not_buffered() {
    let Some(_) = peak_rss() else {
        println!("skipped: /proc/self/status is not available here, so peak memory cannot be read");
        return;
    };
    let dir = std::env::temp_dir().join(format!("botapi-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.mp3");
    let hash = write_big_file(&path);
    let server = MockBotApi::start().await;
    let message =
        serde_json::json!({"message_id": 1, "date": 1, "chat": {"id": 7, "type": "private"}});
    server.reply(Reply::ok(message.clone()));
    server.reply(Reply::ok(message));

    // Telegram's public server takes 50 MB at most: refused before upload.
    let public = Client::builder("1:x")
        .base_url(server.url())
        .build()
        .unwrap();
    let err = public
        .send_audio(7, InputFile::path(&path))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("sendAudio.audio: upload must be at most 52428800 bytes"),
        "{err}"
    );
    assert!(server.requests().is_empty());

    // A self-hosted server takes it; peak memory is read around the upload.
    let local = Client::builder("1:x")
        .base_url(server.url())
        .upload_limits(false)
        .build()
        .unwrap();
    let before = peak_rss().unwrap();
    local
        .send_audio(7, InputFile::path(&path))
        .performer("P")
        .await
        .unwrap();
    let after = peak_rss().unwrap();
    std::fs::remove_dir_all(&dir).ok();

    let requests = server.requests();
    let part = requests[0].part("audio").expect("an audio part");
    assert_eq!(part.file_name.as_deref(), Some("big.mp3"));
    assert_eq!(part.len, SIZE, "every byte arrived");
    assert_eq!(part.checksum, hash, "and in order");
    assert_eq!(requests[0].part("performer").unwrap().text(), "P");
    let grown = after.saturating_sub(before);
    println!(
        "peak RSS {} MiB before the upload, {} MiB after (+{} MiB for a {} MiB file)",
        before >> 20,
        after >> 20,
        grown >> 20,
        SIZE >> 20
    );
    assert!(
        grown < SIZE / 4,
        "peak memory grew by {grown} bytes for a {SIZE}-byte upload"
    );
}
