//! Hex arguments: optional `0x` prefix, exact lengths where the format fixes them.

use anyhow::{Context, bail};

/// Decodes hex with an optional `0x` prefix.
pub fn bytes(what: &str, s: &str) -> anyhow::Result<Vec<u8>> {
    hex::decode(s.strip_prefix("0x").unwrap_or(s)).with_context(|| format!("{what} is not valid hex"))
}

/// Decodes a 32-byte value (a message or a seed).
pub fn bytes32(what: &str, s: &str) -> anyhow::Result<[u8; 32]> {
    let b = bytes(what, s)?;
    match <[u8; 32]>::try_from(b.as_slice()) {
        Ok(a) => Ok(a),
        Err(_) => bail!("{what} must be 32 bytes, got {}", b.len()),
    }
}
