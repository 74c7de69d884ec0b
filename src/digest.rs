//! SHA-256, the digest every stage names things by: a document's bytes (`source.sha256`, exact
//! duplicates), its clean text (the record `id`, same-text duplicates), and output files.

use crate::source::hex_bytes;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A SHA-256 digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Sha256Digest(pub [u8; 32]);

impl Sha256Digest {
    /// Lowercase hex.
    pub fn hex(&self) -> String {
        hex_bytes(&self.0)
    }

    /// Reads 64 hex digits back.
    pub fn from_hex(hex: &str) -> Option<Sha256Digest> {
        if hex.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(Sha256Digest(out))
    }
}

/// The SHA-256 of some bytes.
pub fn sha256(bytes: &[u8]) -> Sha256Digest {
    Sha256Digest(Sha256::digest(bytes).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_input_and_back() {
        let digest = sha256(b"abc");
        assert_eq!(
            digest.hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(Sha256Digest::from_hex(&digest.hex()), Some(digest));
        assert_eq!(Sha256Digest::from_hex("ab"), None);
    }
}
