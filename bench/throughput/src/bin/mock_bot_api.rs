//! A minimal Bot API server for the client throughput benchmark.
//!
//! Answers every `POST /bot<token>/sendMessage` (any letter case, as Telegram) with the same valid reply
//! (a `Message` every contender decodes) after reading the request body;
//! anything else gets Telegram's 404 envelope. HTTP/1.1 with keep-alive,
//! `TCP_NODELAY` on every connection.
//!
//!     mock-bot-api [--addr 127.0.0.1:0] [--threads 1]
//!
//! Prints `listening on ADDR` once bound, then serves until killed.
//! `--threads 1` (the default) runs a current-thread runtime; more starts a
//! multi-thread one with that many workers.

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// What Telegram answers to a sendMessage into a private chat.
const SENT: &[u8] = br#"{"ok":true,"result":{"message_id":4242,"from":{"id":7000000001,"is_bot":true,"first_name":"Bench Bot","username":"bench_bot"},"chat":{"id":123456789,"first_name":"Alice","last_name":"Example","username":"alice_example","type":"private"},"date":1764000000,"text":"broadcast message","entities":[{"offset":0,"length":9,"type":"bold"}]}}"#;
const NOT_FOUND: &[u8] = br#"{"ok":false,"error_code":404,"description":"Not Found"}"#;

async fn handle(req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let known = req.method() == Method::POST && {
        let path = req.uri().path();
        // Telegram matches method names case-insensitively (teloxide-core
        // sends `SendMessage`).
        path.starts_with("/bot")
            && path
                .rsplit_once('/')
                .is_some_and(|(_, m)| m.eq_ignore_ascii_case("sendMessage"))
    };
    // Read the whole body, as a real server does before answering (and so
    // that the connection can carry the next request).
    let body_ok = match req.into_body().collect().await {
        Ok(body) => !body.to_bytes().is_empty(),
        Err(_) => false,
    };
    let (status, body) = if known && body_ok {
        (StatusCode::OK, SENT)
    } else {
        (StatusCode::NOT_FOUND, NOT_FOUND)
    };
    let mut resp = Response::new(Full::new(Bytes::from_static(body)));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(resp)
}

async fn serve(addr: SocketAddr) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    let mut out = std::io::stdout();
    writeln!(out, "listening on {}", listener.local_addr()?)?;
    out.flush()?;
    loop {
        let (stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?;
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), hyper::service::service_fn(handle))
                .await;
        });
    }
}

fn main() -> std::io::Result<()> {
    let mut addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let mut threads = 1usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--addr" => addr = value().parse().expect("--addr HOST:PORT"),
            "--threads" => threads = value().parse().expect("--threads N"),
            _ => panic!("unknown argument {a}; usage: mock-bot-api [--addr A] [--threads N]"),
        }
    }
    let rt = if threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .enable_all()
            .build()?
    };
    rt.block_on(serve(addr))
}
