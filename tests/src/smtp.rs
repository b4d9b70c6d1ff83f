//! A real SMTP server on loopback (mailin), that keeps what it receives: the mail tests send
//! through lettre to it, as production sends to a real server.

use std::io;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use mailin_embedded::{Handler, Response, Server, response};

/// A message as the server received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    /// The raw message (headers and body).
    pub data: String,
}

#[derive(Clone)]
struct Collector {
    received: Arc<Mutex<Vec<ReceivedMail>>>,
    current: Option<ReceivedMail>,
}

impl Handler for Collector {
    /// Addresses at `refused.test` do not exist: refused for good (550), as a real server
    /// refuses an unknown mailbox.
    fn rcpt(&mut self, to: &str) -> Response {
        if to.trim_end_matches('>').ends_with("@refused.test") {
            response::NO_MAILBOX
        } else {
            response::OK
        }
    }

    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = Some(ReceivedMail {
            from: from.to_owned(),
            to: to.to_vec(),
            data: String::new(),
        });
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        if let Some(current) = &mut self.current {
            current.data.push_str(&String::from_utf8_lossy(buf));
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if let Some(mail) = self.current.take()
            && let Ok(mut received) = self.received.lock()
        {
            received.push(mail);
        }
        response::OK
    }
}

/// The server, running on its own thread until the test process ends.
#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    received: Arc<Mutex<Vec<ReceivedMail>>>,
}

impl SmtpSink {
    /// On a free port.
    pub fn start() -> SmtpSink {
        SmtpSink::start_on(0)
    }

    /// On `port` (0: any free one), for a test that starts the server after a failed attempt.
    pub fn start_on(port: u16) -> SmtpSink {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .unwrap_or_else(|e| panic!("cannot listen on 127.0.0.1:{port}: {e}"));
        let port = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("{e}"))
            .port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let mut server = Server::new(Collector {
            received: Arc::clone(&received),
            current: None,
        });
        server
            .with_name("sink.test")
            .with_num_threads(4)
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        SmtpSink { port, received }
    }

    /// The URL gmao sends to.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Everything received for `address`.
    pub fn to(&self, address: &str) -> Vec<ReceivedMail> {
        self.received
            .lock()
            .map(|received| {
                received
                    .iter()
                    .filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(address)))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A port nobody listens on now (a server that is down).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"))
}
