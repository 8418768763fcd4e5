//! Shared helpers for every test that reads the interop vectors, included by path (`#[path]`) from the test
//! crates of `xmss`, `aggregation` and `benches`, so that there is one rule for where the vectors are.
//!
//! The vectors are read from the repository's own copy, `testdata/vectors`, so a clone with nothing beside it
//! passes its tests; `$NDVT_VECTORS` names another folder of the same layout (for example a newer shared set).
#![allow(dead_code, missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::ffi::OsString;
use std::path::PathBuf;

use serde_json::Value;

/// The variable that overrides the vectors folder.
pub const ENV: &str = "NDVT_VECTORS";

/// The public vector sets the repository carries, one folder each under [`in_repo`].
pub const SETS: [&str; 3] = ["leansig", "leanspec-test-keys", "leanvm-blake2s"];

/// The repository's workspace root: every crate that includes this file sits one folder below it.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The in-repository copy of the vectors.
pub fn in_repo() -> PathBuf {
    workspace_root().join("testdata/vectors")
}

/// The shared sets beside the checkout (`../shared/vectors`), which `testdata/vectors` copies byte for byte.
pub fn beside_repo() -> PathBuf {
    workspace_root().join("../shared/vectors")
}

/// The folder a test reads: `$NDVT_VECTORS` when set and not empty, else the in-repository copy.
pub fn dir() -> PathBuf {
    dir_from(std::env::var_os(ENV))
}

/// [`dir`] for a given value of `$NDVT_VECTORS`.
pub fn dir_from(env: Option<OsString>) -> PathBuf {
    env.filter(|d| !d.is_empty()).map_or_else(in_repo, PathBuf::from)
}

pub fn json(relative: &str) -> Value {
    let path = dir().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read vector file {}: {e} (default: testdata/vectors; {ENV} overrides it)",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("vector file {} is not JSON: {e}", path.display()))
}

pub fn bytes(v: &Value) -> Vec<u8> {
    let s = v.as_str().unwrap();
    hex::decode(s.strip_prefix("0x").unwrap_or(s)).unwrap()
}

pub fn message(v: &Value) -> [u8; 32] {
    bytes(v).try_into().unwrap()
}
