//! The TCP side: accept loop with an allow-list and a connection limit, one
//! task per peer running the peer state machine, graceful shutdown.
//!
//! Peer state machine (RFC 6733 §5.6, as a server): a new connection must
//! start with CER; a CER that offers the credit-control application (4, or
//! relay) gets CEA 2001 and opens the peer, any other gets CEA 5010 and the
//! connection closes. An open peer may send DWR (answered DWA 2001), DPR
//! (answered DPA 2001, then closed) and CCR. A message before CER gets 3010
//! and the connection closes; bytes that are not Diameter close the
//! connection; neither affects any other peer.

use crate::app::GyApp;
use crate::peers::AllowList;
use keepsim_diameter::dictionary::{command, result_code};
use keepsim_diameter::gy::{LocalPeer, advertises_credit_control, cea, dpa, dwa, error_answer};
use keepsim_diameter::{Message, frame_len};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc, watch};

/// Server settings.
#[derive(Debug, Clone)]
pub struct GyConfig {
    /// Diameter identity.
    pub local: LocalPeer,
    /// Who may connect.
    pub peers: AllowList,
    /// Connections at most.
    pub max_connections: usize,
    /// Largest message accepted, bytes.
    pub max_message_len: u32,
}

/// Serves Gy on `listener` until `shutdown` becomes true.
pub async fn serve(listener: TcpListener, config: GyConfig, app: Arc<GyApp>, mut shutdown: watch::Receiver<bool>) {
    let limit = Arc::new(Semaphore::new(config.max_connections.max(1)));
    let config = Arc::new(config);
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = shutdown.changed() => break,
        };
        let (stream, addr) = match accepted {
            Ok(x) => x,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        if !config.peers.allows(addr.ip()) {
            tracing::warn!(peer = %addr, "Diameter peer not on the allow-list: closed");
            drop(stream);
            continue;
        }
        let Ok(permit) = limit.clone().try_acquire_owned() else {
            tracing::warn!(peer = %addr, "connection limit reached: closed");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (config, app, shutdown) = (config.clone(), app.clone(), shutdown.clone());
        tokio::spawn(async move {
            if let Err(e) = peer(stream, addr, config, app, shutdown).await {
                tracing::info!(peer = %addr, reason = %e, "Diameter connection closed");
            }
            drop(permit);
        });
    }
}

#[derive(PartialEq, Eq)]
enum State {
    WaitCer,
    Open,
}

async fn peer(
    stream: TcpStream,
    addr: SocketAddr,
    config: Arc<GyConfig>,
    app: Arc<GyApp>,
    mut shutdown: watch::Receiver<bool>,
) -> Result<(), String> {
    let (mut rd, mut wr) = stream.into_split();
    // Answers go through one writer so concurrently processed CCRs never interleave bytes.
    let (tx, mut rx) = mpsc::channel::<Option<Vec<u8>>>(1024);
    let writer = tokio::spawn(async move {
        // Answers that are ready together leave in one write (one system call, fewer segments).
        let mut out: Vec<u8> = Vec::with_capacity(16 * 1024);
        'write: while let Some(item) = rx.recv().await {
            let mut next = Some(item);
            while let Some(item) = next.take() {
                match item {
                    Some(bytes) => out.extend_from_slice(&bytes),
                    None => {
                        let _ = wr.write_all(&out).await;
                        break 'write;
                    }
                }
                if out.len() < 64 * 1024 {
                    next = rx.try_recv().ok();
                }
            }
            if wr.write_all(&out).await.is_err() {
                break;
            }
            out.clear();
        }
        let _ = wr.shutdown().await;
    });
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let mut state = State::WaitCer;
    let local = &config.local;
    let result = loop {
        // Take every complete message out of the buffer.
        let mut close = false;
        // Messages are decoded in place; the consumed bytes leave the buffer once per read.
        let mut at = 0;
        loop {
            let len = match frame_len(&buf[at..], config.max_message_len) {
                Ok(Some(n)) if buf.len() - at >= n => n,
                Ok(_) => break,
                Err(e) => return finish(tx, writer, Err(format!("not Diameter: {e}"))).await,
            };
            let bytes = &buf[at..at + len];
            at += len;
            let msg = match Message::decode(bytes, config.max_message_len) {
                Ok(m) => m,
                Err(e) => {
                    // The header was sound (framing passed): answer the request if we can tell what it was.
                    tracing::info!(peer = %addr, error = %e, "undecodable message");
                    if let Ok(header) = keepsim_diameter::Header::decode(bytes)
                        && header.flags.request
                    {
                        let req = Message { header, avps: Vec::new() };
                        let answer = error_answer(
                            &req,
                            &local.origin_host,
                            &local.origin_realm,
                            e.result_code(),
                            None,
                            Some(&e.to_string()),
                        );
                        let _ = tx.send(Some(answer.encode())).await;
                        continue;
                    }
                    return finish(tx, writer, Err(format!("undecodable: {e}"))).await;
                }
            };
            if !msg.is_request() {
                continue; // answers to requests we never send
            }
            match (msg.header.command_code, &state) {
                (command::CAPABILITIES_EXCHANGE, _) => {
                    if advertises_credit_control(&msg) {
                        state = State::Open;
                        let _ = tx.send(Some(cea(&msg, local, result_code::SUCCESS).encode())).await;
                    } else {
                        let _ = tx.send(Some(cea(&msg, local, result_code::NO_COMMON_APPLICATION).encode())).await;
                        close = true;
                        break;
                    }
                }
                (_, State::WaitCer) => {
                    let answer = error_answer(
                        &msg,
                        &local.origin_host,
                        &local.origin_realm,
                        result_code::UNKNOWN_PEER,
                        None,
                        Some("send CER first"),
                    );
                    let _ = tx.send(Some(answer.encode())).await;
                    close = true;
                    break;
                }
                (command::DEVICE_WATCHDOG, State::Open) => {
                    let _ = tx.send(Some(dwa(&msg, local, result_code::SUCCESS).encode())).await;
                }
                (command::DISCONNECT_PEER, State::Open) => {
                    let _ = tx.send(Some(dpa(&msg, local, result_code::SUCCESS).encode())).await;
                    close = true;
                    break;
                }
                (command::CREDIT_CONTROL, State::Open) => {
                    let (app, tx) = (app.clone(), tx.clone());
                    tokio::spawn(async move {
                        let answer = app.handle(&msg).await;
                        let _ = tx.send(Some(answer.encode())).await;
                    });
                }
                (_, State::Open) => {
                    let answer = error_answer(
                        &msg,
                        &local.origin_host,
                        &local.origin_realm,
                        result_code::COMMAND_UNSUPPORTED,
                        None,
                        Some("unsupported command"),
                    );
                    let _ = tx.send(Some(answer.encode())).await;
                }
            }
        }
        buf.drain(..at);
        if close {
            break Ok(());
        }
        let mut chunk = [0u8; 16 * 1024];
        let n = tokio::select! {
            r = rd.read(&mut chunk) => r.map_err(|e| e.to_string()),
            _ = shutdown.changed() => break Ok(()),
        };
        match n {
            Ok(0) => break Ok(()),
            Ok(n) => {
                if buf.len() + n > config.max_message_len as usize * 4 {
                    break Err("peer sends faster than it is answered".to_string());
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            Err(e) => break Err(e),
        }
    };
    finish(tx, writer, result).await
}

async fn finish(
    tx: mpsc::Sender<Option<Vec<u8>>>,
    writer: tokio::task::JoinHandle<()>,
    result: Result<(), String>,
) -> Result<(), String> {
    // In-flight CCR tasks hold their own senders; the writer ends when they are done.
    let _ = tx.send(None).await;
    drop(tx);
    let _ = writer.await;
    result
}
