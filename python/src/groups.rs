//! Groups and aggregates: m-of-n group keys (with the threshold linter's findings), member shares,
//! combining and verifying group signatures, and building and verifying concatenation aggregates.
//!
//! Registry entries and contributions carry a kind, `"single"` (one key) or `"group"` (an m-of-n group),
//! exactly as the C ABI's `kind` 0 and 1.

use ndvt_aggregation::by_name::{self, ContributionBytes, ParticipantBytes};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::PyBytes;

use crate::errors::{group_error, invalid_argument};
use crate::instances::instance_arg;

/// A group key the threshold linter accepted, with its findings.
#[pyclass(module = "ndvt", frozen, get_all)]
pub(crate) struct Group {
    /// The encoded group key (what `combine`, `verify_group` and aggregate registries take).
    key: Py<PyBytes>,
    /// The group id (32 bytes): binds the parameter set, m, n and the ordered member keys.
    group_id: Py<PyBytes>,
    /// Members that may be offline while the group still reaches m (n - m).
    liveness_margin: u8,
    /// Members that may equivocate before two conflicting messages can both reach m (2m - n - 1); negative
    /// when two disjoint quorums exist (accepted only with allow_disjoint_quorums).
    safety_margin: i16,
    /// The linter's warnings, one sentence each.
    warnings: Vec<String>,
}

#[pymethods]
impl Group {
    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "ndvt.Group(group_id={}, liveness_margin={}, safety_margin={}, warnings={})",
            hex(self.group_id.as_bytes(py)),
            self.liveness_margin,
            self.safety_margin,
            self.warnings.len()
        )
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a kind string names a group (`"group"`) or a single key (`"single"`).
fn is_group(kind: &str, what: &str) -> PyResult<bool> {
    match kind {
        "single" => Ok(false),
        "group" => Ok(true),
        other => Err(invalid_argument(format!("{what}: kind {other:?}, expected \"single\" or \"group\""))),
    }
}

/// Builds the `threshold`-of-n group of `members` (encoded public keys, in roster order) and runs the
/// threshold linter, which refuses 2m <= n (`ndvt.LinterError`) unless `allow_disjoint_quorums`.
#[pyfunction]
#[pyo3(signature = (instance, threshold, members, *, allow_disjoint_quorums=false))]
fn create_group(
    py: Python<'_>,
    instance: &Bound<'_, PyAny>,
    threshold: u8,
    members: Vec<PyBackedBytes>,
    allow_disjoint_quorums: bool,
) -> PyResult<Group> {
    let id = instance_arg(instance)?;
    let (key, findings) = py
        .detach(|| {
            let members: Vec<&[u8]> = members.iter().map(|m| &m[..]).collect();
            by_name::create_group(id, threshold, &members, allow_disjoint_quorums)
        })
        .map_err(group_error)?;
    Ok(Group {
        key: PyBytes::new(py, &key).unbind(),
        group_id: PyBytes::new(py, &findings.group_id).unbind(),
        liveness_margin: findings.report.liveness_margin,
        safety_margin: findings.report.safety_margin,
        warnings: findings.report.warnings,
    })
}

/// A member's share for `combine`: its public key and the signature it made (through its own `Signer`) on
/// the 32-byte `message` at `epoch`.
#[pyfunction]
fn group_share<'py>(
    py: Python<'py>,
    instance: &Bound<'_, PyAny>,
    public_key: PyBackedBytes,
    epoch: u64,
    message: PyBackedBytes,
    signature: PyBackedBytes,
) -> PyResult<Bound<'py, PyBytes>> {
    let id = instance_arg(instance)?;
    let share = by_name::share(id, &public_key, epoch, &message, &signature).map_err(group_error)?;
    Ok(PyBytes::new(py, &share))
}

/// Combines shares into the group signature for the (epoch, message) of the first share. Invalid,
/// duplicate or foreign shares are skipped; fewer than m valid distinct ones is `ndvt.BelowThresholdError`.
#[pyfunction]
fn combine<'py>(
    py: Python<'py>,
    instance: &Bound<'_, PyAny>,
    group_key: PyBackedBytes,
    shares: Vec<PyBackedBytes>,
) -> PyResult<Bound<'py, PyBytes>> {
    let id = instance_arg(instance)?;
    let signature = py
        .detach(|| {
            let shares: Vec<&[u8]> = shares.iter().map(|s| &s[..]).collect();
            by_name::combine(id, &group_key, &shares)
        })
        .map_err(group_error)?;
    Ok(PyBytes::new(py, &signature))
}

/// Whether `signature` is a valid group signature on the 32-byte `message` at `epoch` under `group_key`.
/// False for any decoding failure, as `verify`.
#[pyfunction]
fn verify_group(
    py: Python<'_>,
    instance: &Bound<'_, PyAny>,
    group_key: PyBackedBytes,
    epoch: u64,
    message: PyBackedBytes,
    signature: PyBackedBytes,
) -> PyResult<bool> {
    let id = instance_arg(instance)?;
    Ok(py.detach(|| by_name::verify_group(id, &group_key, epoch, &message, &signature).is_ok()))
}

/// Builds the concatenation aggregate for (`epoch`, 32-byte `message`) over a registry of `registry_len`
/// entries. `contributions` is a sequence of `(registry_index, kind, signature)` with kind `"single"` (a
/// key's signature) or `"group"` (a group signature from `combine`). Contributions are checked for shape
/// only; `verify_aggregate` checks every signature.
#[pyfunction]
fn aggregate<'py>(
    py: Python<'py>,
    instance: &Bound<'_, PyAny>,
    registry_len: usize,
    epoch: u64,
    message: PyBackedBytes,
    contributions: Vec<(usize, PyBackedStr, PyBackedBytes)>,
) -> PyResult<Bound<'py, PyBytes>> {
    let id = instance_arg(instance)?;
    let mut parsed = Vec::with_capacity(contributions.len());
    for (i, (participant, kind, signature)) in contributions.iter().enumerate() {
        let contribution = if is_group(kind, &format!("contributions[{i}]"))? {
            ContributionBytes::Group(signature)
        } else {
            ContributionBytes::Single(signature)
        };
        parsed.push((*participant, contribution));
    }
    let bytes = py
        .detach(|| by_name::concat_aggregate(id, registry_len, epoch, &message, &parsed))
        .map_err(group_error)?;
    Ok(PyBytes::new(py, &bytes))
}

/// Whether `aggregate` is a valid concatenation aggregate on the 32-byte `message` at `epoch` against
/// `registry`, a sequence of `(kind, key)` in registry order: `("single", public_key)` or
/// `("group", group_key)`. False for any decoding failure.
#[pyfunction]
fn verify_aggregate(
    py: Python<'_>,
    instance: &Bound<'_, PyAny>,
    registry: Vec<(PyBackedStr, PyBackedBytes)>,
    epoch: u64,
    message: PyBackedBytes,
    aggregate: PyBackedBytes,
) -> PyResult<bool> {
    let id = instance_arg(instance)?;
    let mut parsed = Vec::with_capacity(registry.len());
    for (i, (kind, key)) in registry.iter().enumerate() {
        let entry = if is_group(kind, &format!("registry[{i}]"))? {
            ParticipantBytes::Group(key)
        } else {
            ParticipantBytes::Single(key)
        };
        parsed.push(entry);
    }
    Ok(py.detach(|| by_name::verify_aggregate(id, &parsed, epoch, &message, &aggregate).is_ok()))
}

/// Adds the group and aggregate functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Group>()?;
    m.add_function(wrap_pyfunction!(create_group, m)?)?;
    m.add_function(wrap_pyfunction!(group_share, m)?)?;
    m.add_function(wrap_pyfunction!(combine, m)?)?;
    m.add_function(wrap_pyfunction!(verify_group, m)?)?;
    m.add_function(wrap_pyfunction!(aggregate, m)?)?;
    m.add_function(wrap_pyfunction!(verify_aggregate, m)?)?;
    Ok(())
}
