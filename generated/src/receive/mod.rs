//! Receiving and walking: the long-polling [`Poller`](crate::Poller), the
//! webhook receiver (cargo feature `webhook`), pages of offset/limit methods
//! ([`Pages`](crate::Pages)), and the adapter that turns either walker into a
//! `futures_core::Stream`.

pub(crate) mod pages;
pub(crate) mod polling;
#[cfg(feature = "redis")]
pub mod queue;
pub(crate) mod stream;
#[cfg(feature = "webhook")]
pub mod webhook;
