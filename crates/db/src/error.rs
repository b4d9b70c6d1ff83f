use gmao_domain::FieldErrors;
use serde_json::Value;

/// What a repository or operation can answer besides success. The API maps each variant to a
/// status and an error code; nothing here knows about HTTP.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The object does not exist, or is outside what the caller may see (another tenant, a site
    /// outside their scope): both look the same from outside.
    #[error("not found")]
    NotFound,
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// The request is valid but conflicts with the current state (a taken code, a role in use).
    #[error("conflict: {code}")]
    Conflict { code: &'static str, details: Value },
    /// A rule about who may do what, beyond plain permissions (granting more than you have).
    #[error("forbidden: {code}")]
    Forbidden { code: &'static str, details: Value },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn conflict(code: &'static str, details: Value) -> Error {
        Error::Conflict { code, details }
    }

    pub fn forbidden(code: &'static str, details: Value) -> Error {
        Error::Forbidden { code, details }
    }

    pub fn invalid(field: &str, error: gmao_domain::FieldError) -> Error {
        Error::Invalid(FieldErrors::single(field, error))
    }

    /// Text PostgreSQL cannot store (a NUL character, in text or JSON): the caller's input, not
    /// a fault of ours. Inputs are checked before; this is the net under the checks.
    pub fn is_unstorable_text(&self) -> bool {
        match self {
            Error::Database(sqlx::Error::Database(e)) => {
                matches!(e.code().as_deref(), Some("22021" | "22P05"))
            }
            _ => false,
        }
    }

    /// The name of the violated constraint, when this is one.
    fn constraint(&self) -> Option<&str> {
        match self {
            Error::Database(sqlx::Error::Database(e)) => e.constraint(),
            _ => None,
        }
    }
}

impl From<FieldErrors> for Error {
    fn from(errors: FieldErrors) -> Self {
        Error::Invalid(errors)
    }
}

/// Turns a named constraint violation into a precise error, in one place per query
/// (`.on_constraint("sites_code_key", || Error::conflict("code_taken", …))`).
pub trait ConstraintExt<T> {
    fn on_constraint(self, name: &str, map: impl FnOnce() -> Error) -> Result<T>;
}

impl<T, E: Into<Error>> ConstraintExt<T> for std::result::Result<T, E> {
    fn on_constraint(self, name: &str, map: impl FnOnce() -> Error) -> Result<T> {
        self.map_err(Into::into).map_err(|error| {
            if error.constraint() == Some(name) {
                map()
            } else {
                error
            }
        })
    }
}
