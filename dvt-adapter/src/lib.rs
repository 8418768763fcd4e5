//! Native-DVT rules for lean consensus and a devnet simulator.
//!
//! This crate is reserved for the lean consensus adapter (registry, roles, threshold accounting, slashing
//! evidence, rotation, primary election, simulator; see `DESIGN.md`). Nothing is implemented here yet: it
//! exports no items, so nothing can mistake it for a working adapter.
