//! The mails gmao sends.
//!
//! - [`letters`]: what each message says, in French and English (the recipient's language);
//! - [`layout`]: one layout for all of them, as HTML and as plain text, with the company's name
//!   and a footer saying why the mail was sent;
//! - [`transport`]: SMTP (lettre, rustls), or `.eml` files under the data directory when no
//!   server is configured (the embedded default), so that nothing is lost and a developer can
//!   follow a link.
//!
//! Messages are not sent from here directly by the API: they are written to a durable outbox
//! in the transaction of the change that causes them, and delivered by a background job
//! (`gmao_db::outbox`, `gmao_workers::mail`).

pub mod layout;
pub mod letters;
pub mod transport;

pub use layout::{Action, FigureLine, Letter, Rendered, Tone, render, render_with_figures};
pub use transport::{Delivery, MailSettings, Mailer, Outgoing, SendError};
