//! An echo bot for several processes: one receiver stores the updates
//! Telegram pushes in Redis, and any number of workers take them from there
//! and answer, sharing the flood limits through the same Redis.
//!
//! ```sh
//! cargo run -p botapi --features redis --example queue_bot -- receiver
//! cargo run -p botapi --features redis --example queue_bot -- worker w1
//! cargo run -p botapi --features redis --example queue_bot -- worker w2
//! # or all in one process: a receiver and three workers
//! cargo run -p botapi --features redis --example queue_bot -- all 3
//! ```
//!
//! Environment:
//! - `BOT_TOKEN` (and optionally `BOT_API_URL`), as for `Client::from_env`;
//! - `REDIS_URL`, default `redis://127.0.0.1:6379`;
//! - `WEBHOOK_SECRET`: 1 to 256 characters of `A-Z a-z 0-9 _ -` (register
//!   the webhook with it, see the `webhook_bot` example);
//! - `WEBHOOK_BIND`: where the receiver listens, default `0.0.0.0:8080`.
//!
//! Kill a worker at any time: after `claim_after` (5 s here) the others
//! take over the updates it had not finished, in order per chat.

use std::time::Duration;

use botapi::queue::{RedisQueue, Worker};
use botapi::throttle::{RedisLimits, Throttle};
use botapi::types::UpdateKind;
use botapi::webhook::Webhook;
use botapi::Client;

type Failure = Box<dyn std::error::Error + Send + Sync>;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| default.to_string())
}

async fn receiver(queue: RedisQueue) -> Result<(), Failure> {
    let secret = std::env::var("WEBHOOK_SECRET").map_err(|_| "WEBHOOK_SECRET is not set")?;
    let webhook = Webhook::new(secret)?;
    let server = webhook
        .bind_into(&queue, env_or("WEBHOOK_BIND", "0.0.0.0:8080"))
        .await?;
    println!("receiver on {}", server.local_addr());
    std::future::pending::<()>().await;
    Ok(())
}

async fn work(client: Client, mut worker: Worker) -> Result<(), Failure> {
    println!("worker {} started", worker.name());
    loop {
        // `next` acknowledges the previous update: it has been handled.
        let delivery = match worker.next().await {
            Ok(delivery) => delivery,
            Err(e) => {
                eprintln!("worker {}: {e}; trying again", worker.name());
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if let UpdateKind::Message(m) = &delivery.update.kind {
            if let Some(text) = &m.text {
                // The throttle holds this back as long as the limits ask.
                if let Err(e) = client.send_message(m.chat.id, text.clone()).await {
                    eprintln!("worker {}: {e}", worker.name());
                }
            }
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let redis = env_or("REDIS_URL", "redis://127.0.0.1:6379");
    let queue = RedisQueue::builder(&redis, "queue-bot")
        .claim_after(Duration::from_secs(5))
        .build()?;
    let client = Client::builder_from_env()?
        .throttle(Throttle::default().shared(RedisLimits::new(&redis)))
        .build()?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("receiver") => receiver(queue).await,
        Some("worker") => {
            let name = args.get(1).cloned().unwrap_or_else(|| "worker".into());
            work(client, queue.worker(name).await?).await
        }
        Some("all") => {
            let n: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(3);
            for i in 0..n {
                let worker = queue.worker(format!("worker-{i}")).await?;
                tokio::spawn(work(client.clone(), worker));
            }
            receiver(queue).await
        }
        _ => Err("usage: queue_bot receiver | worker NAME | all [WORKERS]".into()),
    }
}
