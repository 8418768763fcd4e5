//! Shared helpers for the interop tests: locating and reading `../shared/vectors`.
#![allow(dead_code, missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use serde_json::Value;

/// The vectors folder: `$NDVT_VECTORS`, else `shared/vectors` beside the repository checkout.
pub fn dir() -> PathBuf {
    if let Some(d) = std::env::var_os("NDVT_VECTORS") {
        return PathBuf::from(d);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors")
}

pub fn json(relative: &str) -> Value {
    let path = dir().join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read vector file {}: {e} (set NDVT_VECTORS)", path.display()));
    serde_json::from_str(&text).unwrap()
}

pub fn bytes(v: &Value) -> Vec<u8> {
    let s = v.as_str().unwrap();
    hex::decode(s.strip_prefix("0x").unwrap_or(s)).unwrap()
}

pub fn message(v: &Value) -> [u8; 32] {
    bytes(v).try_into().unwrap()
}
