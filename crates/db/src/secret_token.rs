//! Secret tokens handed to people (refresh tokens, mailed links): 256 random bits, shown once,
//! stored only as their SHA-256 (enough for random tokens: there is nothing to guess).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A new token: its clear form (to hand out) and its hash (to store).
pub fn generate() -> (String, Vec<u8>) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash(&token);
    (token, hash)
}

/// A new token prefixed with `prefix` bytes (an invitation names its company so), encoded
/// together; the hash covers the whole token.
pub fn generate_with_prefix(prefix: &[u8]) -> (String, Vec<u8>) {
    let mut bytes = prefix.to_vec();
    let mut random = [0u8; 32];
    rand::rng().fill_bytes(&mut random);
    bytes.extend_from_slice(&random);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash(&token);
    (token, hash)
}

/// The first `len` bytes a token was generated with, if it decodes and is long enough.
pub fn prefix(token: &str, len: usize) -> Option<Vec<u8>> {
    let bytes = URL_SAFE_NO_PAD.decode(token.trim()).ok()?;
    (bytes.len() == len + 32).then(|| bytes[..len].to_vec())
}

pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.trim().as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, hash_a) = generate();
        let (b, _) = generate();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash(&a), hash_a);
        assert_eq!(hash(&format!(" {a}\n")), hash_a);
    }

    #[test]
    fn a_prefix_comes_back_only_from_a_whole_token() {
        let (token, _) = generate_with_prefix(&[7; 16]);
        assert_eq!(prefix(&token, 16), Some(vec![7; 16]));
        assert_eq!(prefix(&token[..20], 16), None);
        assert_eq!(prefix("not base64 !", 16), None);
    }
}
