//! `ndvt._ndvt`, the extension module under the `ndvt` Python package: XMSS keys, the durable signer,
//! verification, groups, aggregates and keystores, each parameter set named by the CLI's `--instance`
//! string or given as an `ndvt.Instance`.
//!
//! The module holds no logic of its own: it converts arguments and errors and calls the libraries' by-name
//! APIs (`ndvt_xmss::by_name`, `ndvt_aggregation::by_name`, `ndvt_keystore::by_name`), the same ones the C
//! ABI and the CLI call, so the three behave alike. Every call that hashes (sign, verify, keygen, prepare,
//! the keystore KDFs) releases the GIL. docs/BINDINGS.md describes the Python API.

mod errors;
mod groups;
mod instances;
mod keystore;
mod signer;
mod verify;

use pyo3::prelude::*;

/// ndvt: post-quantum XMSS signatures and native DVT for lean Ethereum (the extension module; import
/// `ndvt`, not this).
#[pymodule]
fn _ndvt(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    instances::register(m)?;
    verify::register(m)?;
    signer::register(m)?;
    groups::register(m)?;
    keystore::register(m)?;
    Ok(())
}
