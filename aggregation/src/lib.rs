//! m-of-n group signatures and aggregates for native DVT.
//!
//! This crate is reserved for the group layer (`Scheme`, `GroupSigner`, `GroupKey`, `GroupSignature`, the
//! concatenation aggregate and the succinct proof; see `DESIGN.md`). Nothing is implemented here yet: it
//! exports no items, so nothing can mistake it for a working group layer.
