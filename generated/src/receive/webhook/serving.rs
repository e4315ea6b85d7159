//! A router served on a listener in a background task, stopped gracefully
//! by `shutdown` or at once when dropped: what both webhook servers run.

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::WebhookError;

/// The background task serving a router.
#[derive(Debug)]
pub(super) struct Serving {
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl Serving {
    /// Serve `router` on `listener` in a new task.
    pub(super) fn spawn(listener: TcpListener, router: Router) -> Serving {
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await
        });
        Serving {
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Stop accepting requests, let those under way finish and wait.
    pub(super) async fn shutdown(mut self) -> Result<(), WebhookError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => match task.await {
                Ok(result) => result.map_err(WebhookError::Io),
                Err(join) => Err(WebhookError::Io(std::io::Error::other(join))),
            },
            None => Ok(()),
        }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}
