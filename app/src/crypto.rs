//! Encryption at rest for the few values a stolen database must not reveal (TOTP seeds
//! now, SSNs with the client record): XChaCha20-Poly1305 with a key from configuration,
//! never from the database.
//!
//! A sealed value is `v1.` + base64url(24-byte random nonce ‖ ciphertext ‖ tag). The
//! associated data names the column and row it belongs to, so a ciphertext copied into
//! another row or column does not open.

use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

const PREFIX: &str = "v1.";
const NONCE_LEN: usize = 24;
pub const KEY_LEN: usize = 32;

/// The associated data an SSN is sealed with: bound to its client, so a ciphertext
/// copied to another client's row does not open.
pub fn ssn_context(personal_id: &str) -> String {
    format!("clients.ssn:{personal_id}")
}

/// The data key. `Debug` never prints it. While a key rotation is under way it also
/// holds the key being replaced, which still opens what is not yet sealed again.
#[derive(Clone)]
pub struct DataKey {
    key: [u8; KEY_LEN],
    previous: Option<[u8; KEY_LEN]>,
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("the data key must be {KEY_LEN} bytes, base64-encoded (e.g. `openssl rand -base64 32`)")]
    BadKey,
    #[error("a sealed value is damaged or was sealed with another data key")]
    CannotOpen,
}

impl DataKey {
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        DataKey {
            key: bytes,
            previous: None,
        }
    }

    /// This key, also opening what `previous` sealed (during a key rotation).
    pub fn with_previous(self, previous: &DataKey) -> Self {
        DataKey {
            previous: Some(previous.key),
            ..self
        }
    }

    /// A new random key.
    pub fn generate() -> Self {
        use rand::RngCore as _;
        let mut bytes = [0u8; KEY_LEN];
        rand::rng().fill_bytes(&mut bytes);
        DataKey::from_bytes(bytes)
    }

    /// Reads a key written as base64 (standard or URL-safe, padding optional).
    pub fn from_base64(text: &str) -> Result<Self, CryptoError> {
        let text = text.trim();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text)
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')))
            .map_err(|_| CryptoError::BadKey)?;
        let bytes: [u8; KEY_LEN] = bytes.try_into().map_err(|_| CryptoError::BadKey)?;
        Ok(DataKey::from_bytes(bytes))
    }

    /// A check of this key to keep beside the data it seals (in the database): a hash
    /// of a fixed label and the key, which tells whether a key is the same without
    /// revealing it.
    pub fn check(&self) -> String {
        use sha2::Digest as _;
        let mut hash = sha2::Sha256::new();
        hash.update(b"hearth data key check v1\0");
        hash.update(self.key);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(hash.finalize())
    }

    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.key)
    }

    /// Encrypts `plaintext`, bound to `context` (e.g. `users.totp_secret:<user_id>`).
    pub fn seal(&self, plaintext: &[u8], context: &str) -> String {
        use rand::RngCore as _;
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let cipher = XChaCha20Poly1305::new((&self.key).into());
        // Encryption with a valid key and in-memory buffers cannot fail.
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .unwrap_or_default();
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        format!(
            "{PREFIX}{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(out)
        )
    }

    /// Decrypts a value sealed by [`DataKey::seal`] with the same `context` (by this
    /// key, or by the key it replaces during a rotation).
    pub fn open(&self, sealed: &str, context: &str) -> Result<Vec<u8>, CryptoError> {
        open_with(&self.key, sealed, context).or_else(|err| match &self.previous {
            Some(previous) => open_with(previous, sealed, context),
            None => Err(err),
        })
    }
}

fn open_with(key: &[u8; KEY_LEN], sealed: &str, context: &str) -> Result<Vec<u8>, CryptoError> {
    let body = sealed.strip_prefix(PREFIX).ok_or(CryptoError::CannotOpen)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| CryptoError::CannotOpen)?;
    if bytes.len() < NONCE_LEN {
        return Err(CryptoError::CannotOpen);
    }
    let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
    XChaCha20Poly1305::new(key.into())
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: context.as_bytes(),
            },
        )
        .map_err(|_| CryptoError::CannotOpen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_the_same_key_and_context() {
        let key = DataKey::generate();
        let sealed = key.seal(b"123-45-6789", "clients.ssn:abc");
        assert!(sealed.starts_with("v1."));
        assert!(!sealed.contains("6789"));
        assert_eq!(key.open(&sealed, "clients.ssn:abc").unwrap(), b"123-45-6789");
        assert_eq!(key.open(&sealed, "clients.ssn:xyz"), Err(CryptoError::CannotOpen));
        assert_eq!(
            DataKey::generate().open(&sealed, "clients.ssn:abc"),
            Err(CryptoError::CannotOpen)
        );
        let mut damaged = sealed.clone();
        damaged.pop();
        assert_eq!(
            key.open(&damaged, "clients.ssn:abc"),
            Err(CryptoError::CannotOpen)
        );
        // Two seals of the same value differ (random nonce).
        assert_ne!(sealed, key.seal(b"123-45-6789", "clients.ssn:abc"));
    }

    #[test]
    fn keys_round_trip_through_base64_and_bad_keys_are_refused() {
        let key = DataKey::generate();
        let again = DataKey::from_base64(&key.to_base64()).unwrap();
        let sealed = key.seal(b"x", "c");
        assert_eq!(again.open(&sealed, "c").unwrap(), b"x");
        assert_eq!(DataKey::from_base64("c2hvcnQ=").unwrap_err(), CryptoError::BadKey);
        assert_eq!(
            DataKey::from_base64("not base64!").unwrap_err(),
            CryptoError::BadKey
        );
        assert_eq!(format!("{key:?}"), "DataKey(…)");
    }

    #[test]
    fn during_a_rotation_the_new_key_seals_and_both_open() {
        let (old, new) = (DataKey::generate(), DataKey::generate());
        let by_old = old.seal(b"old", "c");
        let rotating = new.clone().with_previous(&old);
        assert_eq!(rotating.open(&by_old, "c").unwrap(), b"old");
        let by_rotating = rotating.seal(b"new", "c");
        assert_eq!(new.open(&by_rotating, "c").unwrap(), b"new");
        assert_eq!(old.open(&by_rotating, "c"), Err(CryptoError::CannotOpen));
        assert_eq!(rotating.check(), new.check());
        assert_eq!(rotating.open(&by_old, "other"), Err(CryptoError::CannotOpen));
    }
}
