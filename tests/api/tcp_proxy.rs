//! A TCP proxy a test can cut and restore, to stop "the database" while
//! doorman runs without touching the shared server.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

#[derive(Default)]
struct State {
    up: bool,
    connections: Vec<AbortHandle>,
}

/// Forwards 127.0.0.1:PORT to a target while up; refuses and cuts while down.
#[derive(Clone)]
pub struct TcpProxy {
    /// The proxy's address.
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
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
        };
        let state = proxy.state.clone();
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let mut guard = state.lock().unwrap();
                if !guard.up {
                    continue;
                }
                let task = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
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
}
