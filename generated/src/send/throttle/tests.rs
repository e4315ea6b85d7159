//! The local throttle on tokio's paused clock: order in a chat, spacing,
//! round-robin between chats, 429 pauses of a chat and of the bot, paid
//! broadcasts, back-pressure, and sends that give up while they wait.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use super::{Chat, Gate, Rate, Target, Throttle};
use crate::error::{ApiError, Error};

fn gate(t: Throttle) -> Arc<Gate> {
    Gate::new(&t.margin(Duration::ZERO), "1").expect("valid settings")
}

fn to(chat: i64) -> Target {
    Target::new(Chat::Id(chat), false)
}

fn flood(retry_after: u64) -> Error {
    Error::Api(ApiError {
        method: "sendMessage",
        code: 429,
        description: "Too Many Requests".into(),
        retry_after: Some(retry_after),
        migrate_to_chat_id: None,
        kind: None,
    })
}

/// What the sends record: chat, index, when the turn came.
type Log = Arc<Mutex<Vec<(i64, usize, Instant)>>>;

/// Start one send per entry of `chats`, in order; each records (chat, its
/// index, when its turn came) and holds the turn for `hold`.
fn spawn_sends(
    g: &Arc<Gate>,
    chats: &[(i64, bool)],
    hold: Duration,
) -> (Log, Vec<tokio::task::JoinHandle<()>>) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let tasks = chats
        .iter()
        .enumerate()
        .map(|(i, &(chat, paid))| {
            let (g, log) = (g.clone(), log.clone());
            tokio::spawn(async move {
                let turn = g.acquire(Target::new(Chat::Id(chat), paid)).await;
                log.lock().unwrap().push((chat, i, Instant::now()));
                tokio::time::sleep(hold).await;
                drop(turn);
            })
        })
        .collect();
    (log, tasks)
}

/// `at` is `expected`, or at most a few timer ticks later.
fn near(at: Duration, expected: Duration) -> bool {
    at >= expected && at < expected + Duration::from_millis(10)
}

async fn join(tasks: Vec<tokio::task::JoinHandle<()>>) {
    for t in tasks {
        t.await.expect("send task");
    }
}

#[tokio::test(start_paused = true)]
async fn one_chat_in_order_one_per_second() {
    let g = gate(Throttle::default());
    let t0 = Instant::now();
    let (log, tasks) = spawn_sends(&g, &[(7, false); 5], Duration::from_millis(10));
    join(tasks).await;
    let log = log.lock().unwrap().clone();
    let order: Vec<usize> = log.iter().map(|e| e.1).collect();
    assert_eq!(order, [0, 1, 2, 3, 4]);
    // Each span counts from the previous reply, 10 ms after its turn.
    for (i, (_, _, at)) in log.iter().enumerate() {
        let at = at.duration_since(t0);
        let expected = Duration::from_millis(1010) * i as u32;
        assert!(near(at, expected), "send {i} at {at:?}");
    }
    let stats = g.stats();
    assert_eq!((stats.waiting, stats.sending), (0, 0));
}

#[tokio::test(start_paused = true)]
async fn a_send_waits_for_the_previous_one_to_finish() {
    let g = gate(Throttle::default().per_chat(Rate::per_second(100)));
    let t0 = Instant::now();
    let (log, tasks) = spawn_sends(&g, &[(7, false); 3], Duration::from_millis(300));
    join(tasks).await;
    let at: Vec<Duration> = log.lock().unwrap().iter().map(|e| e.2 - t0).collect();
    for (at, expected) in at.iter().zip([0, 300, 600]) {
        assert!(near(*at, Duration::from_millis(expected)), "{at:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn groups_have_their_own_limit() {
    let g = gate(Throttle::default().per_group(Rate::new(3, Duration::from_secs(10))));
    let t0 = Instant::now();
    let (log, tasks) = spawn_sends(&g, &[(-100, false); 4], Duration::ZERO);
    join(tasks).await;
    let at: Vec<u64> = log
        .lock()
        .unwrap()
        .iter()
        .map(|e| (e.2 - t0).as_secs())
        .collect();
    assert_eq!(at, [0, 1, 2, 10], "three per ten seconds, one per second");
}

#[tokio::test(start_paused = true)]
async fn chats_take_turns_under_the_bot_wide_limit() {
    let g = gate(
        Throttle::default()
            .per_chat(Rate::per_second(1000))
            .global(Rate::per_second(2)),
    );
    // One busy chat queues 20 sends, then four others one each.
    let mut sends = vec![(1, false); 20];
    sends.extend([(2, false), (3, false), (4, false), (5, false)]);
    let (log, tasks) = spawn_sends(&g, &sends, Duration::ZERO);
    join(tasks).await;
    let log = log.lock().unwrap().clone();
    let position = |chat| log.iter().position(|e| e.0 == chat).unwrap();
    // Round-robin: chat 1 and the others alternate, so each of them goes
    // within the first ten sends instead of after chat 1's twenty.
    for chat in 2..=5 {
        assert!(position(chat) < 10, "chat {chat} at {}", position(chat));
    }
    // At most two in any second.
    for (i, e) in log.iter().enumerate().skip(2) {
        assert!(e.2 - log[i - 2].2 >= Duration::from_secs(1), "{log:?}");
    }
    let chat1: Vec<usize> = log.iter().filter(|e| e.0 == 1).map(|e| e.1).collect();
    assert_eq!(chat1, (0..20).collect::<Vec<_>>(), "chat 1 in order");
}

#[tokio::test(start_paused = true)]
async fn a_429_pauses_its_chat_and_not_the_others() {
    let g = gate(Throttle::default());
    let t0 = Instant::now();
    let mut turn = g.acquire(to(1)).await;
    turn.learn(Err(&flood(3))).await;
    drop(turn);
    let (log, tasks) = spawn_sends(&g, &[(1, false), (2, false), (3, false)], Duration::ZERO);
    join(tasks).await;
    let log = log.lock().unwrap().clone();
    let at = |chat| log.iter().find(|e| e.0 == chat).unwrap().2 - t0;
    assert_eq!(at(2), Duration::ZERO);
    assert_eq!(at(3), Duration::ZERO);
    assert!(near(at(1), Duration::from_secs(3)), "{:?}", at(1));
    // The chat is slowed down: its next send waits two spans.
    let mut turn = g.acquire(to(1)).await;
    assert!(near(Instant::now() - t0, Duration::from_secs(5)));
    turn.learn(Ok(())).await;
}

#[tokio::test(start_paused = true)]
async fn floods_in_several_chats_pause_the_bot() {
    let g = gate(Throttle::default());
    let t0 = Instant::now();
    for chat in 1..=3 {
        let mut turn = g.acquire(to(chat)).await;
        turn.learn(Err(&flood(4))).await;
    }
    assert!(g.stats().paused);
    let turn = g.acquire(to(99)).await;
    assert!(near(Instant::now() - t0, Duration::from_secs(4)));
    drop(turn);
}

#[tokio::test(start_paused = true)]
async fn paid_broadcasts_pass_the_bot_wide_limit_only_when_asked() {
    let g = gate(
        Throttle::default()
            .global(Rate::per_second(5))
            .paid_broadcast(Rate::per_second(50)),
    );
    let t0 = Instant::now();
    let paid: Vec<(i64, bool)> = (1..=20).map(|c| (c, true)).collect();
    let (log, tasks) = spawn_sends(&g, &paid, Duration::ZERO);
    join(tasks).await;
    assert!(
        log.lock().unwrap().iter().all(|e| e.2 == t0),
        "20 paid at once"
    );
    let t1 = Instant::now();
    let free: Vec<(i64, bool)> = (101..=20 + 100).map(|c| (c, false)).collect();
    let (log, tasks) = spawn_sends(&g, &free, Duration::ZERO);
    join(tasks).await;
    let last = log.lock().unwrap().iter().map(|e| e.2).max().unwrap();
    assert!(
        last - t1 >= Duration::from_secs(3),
        "5 per second: {:?}",
        last - t1
    );
}

#[tokio::test(start_paused = true)]
async fn the_queue_is_bounded() {
    let g = gate(Throttle::default().queue_limit(3));
    let mut turn = g.acquire(to(1)).await;
    turn.learn(Err(&flood(10))).await;
    drop(turn);
    let (log, tasks) = spawn_sends(&g, &[(1, false); 8], Duration::ZERO);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(g.stats().waiting, 3, "the others wait for room");
    join(tasks).await;
    let order: Vec<usize> = log.lock().unwrap().iter().map(|e| e.1).collect();
    assert_eq!(order, (0..8).collect::<Vec<_>>(), "room is given in order");
}

#[tokio::test(start_paused = true)]
async fn sends_that_give_up_leave_the_queue() {
    let g = gate(Throttle::default());
    let _first = g.acquire(to(1)).await;
    // Waits behind the first; gives up after 100 ms.
    let gave_up = tokio::time::timeout(Duration::from_millis(100), g.acquire(to(1))).await;
    assert!(gave_up.is_err());
    assert_eq!(g.stats().waiting, 0);
    // The timer holder gives up: another waiting send must still be served.
    let g2 = gate(Throttle::default());
    let t0 = Instant::now();
    let first = g2.acquire(to(5)).await;
    drop(first);
    let holder = tokio::spawn({
        let g2 = g2.clone();
        async move { g2.acquire(to(5)).await }
    });
    let (log, tasks) = spawn_sends(&g2, &[(5, false)], Duration::ZERO);
    tokio::time::sleep(Duration::from_millis(10)).await;
    holder.abort();
    join(tasks).await;
    let at = log.lock().unwrap()[0].2 - t0;
    assert!(near(at, Duration::from_secs(1)), "{at:?}");
}

#[tokio::test(start_paused = true)]
async fn a_retry_keeps_its_place() {
    let g = gate(Throttle::default());
    let t0 = Instant::now();
    let mut turn = g.acquire(to(1)).await;
    let (log, tasks) = spawn_sends(&g, &[(1, false); 2], Duration::ZERO);
    tokio::task::yield_now().await;
    turn.learn(Err(&flood(2))).await;
    turn.again().await;
    let retried = Instant::now() - t0;
    drop(turn);
    join(tasks).await;
    assert!(near(retried, Duration::from_secs(2)), "{retried:?}");
    let later: Vec<Duration> = log.lock().unwrap().iter().map(|e| e.2 - t0).collect();
    assert!(later.iter().all(|at| *at > retried), "{later:?}");
}

#[tokio::test(start_paused = true)]
async fn idle_chats_are_forgotten() {
    let g = gate(Throttle::default());
    for chat in 0..super::gate::SWEEP_EVERY as i64 {
        drop(g.acquire(to(chat)).await);
    }
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert!(g.stats().chats > 1000);
    for chat in 0..super::gate::SWEEP_EVERY as i64 {
        drop(g.acquire(to(-chat - 1)).await);
    }
    assert!(
        g.stats().chats <= super::gate::SWEEP_EVERY as usize + 1,
        "{:?}",
        g.stats()
    );
}
