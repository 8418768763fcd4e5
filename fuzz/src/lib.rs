//! ndvt's fuzz checks. Every check is a plain `fn(&[u8])` that panics only when an invariant breaks, so the
//! same code runs under libFuzzer (the binaries in `fuzz_targets/`) and as ordinary stable tests replaying
//! the committed corpora (`aggregation/tests/fuzz_corpus.rs` includes `checks/` by path).

pub mod checks;
pub mod containers;
pub mod keystore;
pub mod gossip;
