//! Serving the app over HTTP/1.1, as `axum::serve` does, with one difference: a header line
//! the parser refuses (a control character in its value, say `Idempotency-Key: abc\x01def`)
//! is dropped instead of failing the whole request with a bare 400 and no body. The request
//! then reaches the app without that header, which answers as it does for a missing one: a
//! problem naming the header (a missing `Idempotency-Key` is a 400 problem, a missing session
//! cookie a 401, a missing `Content-Type` a 415). Browsers drop such lines the same way.

use std::future::Future;
use std::pin::pin;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

/// Serves `app` on `listener` until `shutdown` completes, then lets the open connections
/// finish their requests. Each request carries the peer address as `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    // Dropped at shutdown: the connections see it closed and finish gracefully.
    let (stop_tx, stop_rx) = watch::channel(());
    // Every connection holds a receiver; when all are gone, the last connection has closed.
    let (closed_tx, closed_rx) = watch::channel(());
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait, as axum::serve does.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = app.clone().map_request(move |request: Request<Incoming>| {
            let mut request = request.map(Body::new);
            request.extensions_mut().insert(ConnectInfo(peer));
            request
        });
        let service = TowerToHyperService::new(service);
        let mut stop = stop_rx.clone();
        stop.mark_unchanged();
        let closed = closed_rx.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.ignore_invalid_headers(true);
            let connection = builder
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            let mut connection = pin!(connection);
            let finished = tokio::select! {
                result = connection.as_mut() => Some(result),
                _ = stop.changed() => None,
            };
            let result = match finished {
                Some(result) => result,
                None => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(e) = result {
                tracing::trace!(error = %e, %peer, "connection failed");
            }
            drop(closed);
        });
    }
    drop(stop_tx);
    drop(closed_rx);
    closed_tx.closed().await;
    Ok(())
}
