//! A TCP proxy a test can cut, freeze and restore, to stop "the database"
//! while doorman runs without touching the shared server.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::AbortHandle;

use crate::databases::TempDatabase;
use crate::helpers::{spawn_app_with, Options, TestApp};

#[derive(Default)]
struct State {
    up: bool,
    connections: Vec<AbortHandle>,
}

/// Forwards 127.0.0.1:PORT to a target while up; refuses and cuts while
/// down; holds every byte (connections stay open) while frozen.
#[derive(Clone)]
pub struct TcpProxy {
    /// The proxy's address.
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    frozen: watch::Sender<bool>,
}

impl TcpProxy {
    /// Starts forwarding to `target`.
    pub async fn start(target: SocketAddr) -> TcpProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let proxy = TcpProxy {
            addr: listener.local_addr().unwrap(),
            state: Arc::new(Mutex::new(State {
                up: true,
                connections: Vec::new(),
            })),
            frozen: watch::channel(false).0,
        };
        let state = proxy.state.clone();
        let frozen = proxy.frozen.clone();
        tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                let mut guard = state.lock().unwrap();
                if !guard.up {
                    continue;
                }
                let frozen = frozen.subscribe();
                let task = tokio::spawn(async move {
                    if let Ok(outbound) = TcpStream::connect(target).await {
                        let (ri, wi) = inbound.into_split();
                        let (ro, wo) = outbound.into_split();
                        tokio::join!(relay(ri, wo, frozen.clone()), relay(ro, wi, frozen));
                    }
                });
                guard.connections.push(task.abort_handle());
            }
        });
        proxy
    }

    /// Cuts every connection and refuses new ones.
    pub fn down(&self) {
        let mut state = self.state.lock().unwrap();
        state.up = false;
        for c in state.connections.drain(..) {
            c.abort();
        }
    }

    /// Accepts connections again.
    pub fn up(&self) {
        self.state.lock().unwrap().up = true;
    }

    /// Stops relaying without closing anything (a dead network path).
    pub fn freeze(&self) {
        self.frozen.send_replace(true);
    }

    /// Relays again whatever was held.
    pub fn thaw(&self) {
        self.frozen.send_replace(false);
    }
}

/// Copies one direction, waiting whenever the proxy is frozen.
async fn relay(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, mut frozen: watch::Receiver<bool>) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        if frozen.wait_for(|f| !f).await.is_err() {
            return;
        }
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if frozen.wait_for(|f| !f).await.is_err() || to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

/// doorman on a fresh PostgreSQL database on `server`, reached through a proxy.
pub async fn spawn_app_behind_proxy(server: &str) -> (TempDatabase, TcpProxy, TestApp) {
    let db = TempDatabase::postgres(server).await;
    let mut target = url::Url::parse(&db.url).unwrap();
    let pg_addr = format!(
        "{}:{}",
        target.host_str().unwrap(),
        target.port().unwrap_or(5432)
    );
    let proxy = TcpProxy::start(pg_addr.parse().unwrap()).await;
    target.set_port(Some(proxy.addr.port())).unwrap();
    let app = spawn_app_with(Options {
        database_url: Some(target.to_string()),
        ..Options::default()
    })
    .await;
    (db, proxy, app)
}
