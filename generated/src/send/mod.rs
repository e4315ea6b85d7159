//! Sending requests: the [`Client`](crate::Client) and its builder, the
//! [`Request`](crate::Request) contract generated methods implement, the
//! HTTP [`transport`](crate::transport), retries, the [`throttle`](crate::throttle), multipart uploads and
//! [`InputFile`](crate::InputFile), file downloads, and the blocking client.

#[cfg(feature = "blocking")]
pub mod blocking;
pub(crate) mod client;
mod download;
pub(crate) mod input_file;
pub(crate) mod local;
pub(crate) mod multipart;
pub(crate) mod request;
pub(crate) mod retry;
pub mod throttle;
pub mod transport;
