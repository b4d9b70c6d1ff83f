//! Field-level validation errors, collected so that a form learns every problem at once.

use std::collections::BTreeMap;

/// One rejected field: a stable machine code (`invalid_slug`, `too_long`, ...) and the values
/// a message needs (`{"max": 40}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub code: &'static str,
    pub params: serde_json::Value,
}

impl FieldError {
    pub fn new(code: &'static str) -> Self {
        Self {
            code,
            params: serde_json::Value::Object(Default::default()),
        }
    }

    pub fn with(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        if let serde_json::Value::Object(map) = &mut self.params {
            map.insert(key.to_owned(), value.into());
        }
        self
    }
}

/// Errors keyed by field name (the JSON name the client sent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<String, FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &str, error: FieldError) -> Self {
        let mut errors = Self::new();
        errors.add(field, error);
        errors
    }

    /// Records the first error of a field; later ones for the same field are dropped, since a
    /// person fixes one thing at a time.
    pub fn add(&mut self, field: &str, error: FieldError) {
        self.0.entry(field.to_owned()).or_insert(error);
    }

    /// Keeps the value when `result` is valid, records the error otherwise.
    pub fn check<T>(&mut self, field: &str, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, error);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &FieldError)> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `Ok(())` when nothing was recorded.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_first_error_per_field() {
        let mut errors = FieldErrors::new();
        errors.add("name", FieldError::new("required"));
        errors.add("name", FieldError::new("too_long"));
        errors.add("code", FieldError::new("invalid_code"));
        assert_eq!(errors.len(), 2);
        let codes: Vec<_> = errors.iter().map(|(f, e)| (f.as_str(), e.code)).collect();
        assert_eq!(codes, vec![("code", "invalid_code"), ("name", "required")]);
    }

    #[test]
    fn check_returns_value_or_records() {
        let mut errors = FieldErrors::new();
        assert_eq!(errors.check("a", Ok::<_, FieldError>(3)), Some(3));
        assert_eq!(errors.check::<i32>("b", Err(FieldError::new("bad"))), None);
        assert!(errors.into_result().is_err());
    }
}
