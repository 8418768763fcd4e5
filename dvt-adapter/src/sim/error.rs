//! Why a simulation could not run (simulated faults are results, never errors).

use ndvt_aggregation::{AggregateError, GroupKeyError};
use ndvt_xmss::DurableError;

use super::keys::KeySetupError;
use super::scenario::ScenarioError;
use crate::registry::RegistryError;

/// Why a run failed (never because of simulated faults: those are results).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// The scenario is invalid.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// Keys could not be set up.
    #[error(transparent)]
    Keys(#[from] KeySetupError),
    /// The registry refused the scenario's validators.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// A single validator's 1-of-1 accounting key could not be built.
    #[error(transparent)]
    GroupKey(#[from] GroupKeyError),
    /// A durable signer could not advance its window.
    #[error(transparent)]
    Durable(#[from] DurableError),
    /// A slot's aggregate failed verification (a simulator bug, never expected).
    #[error("the aggregate of slot {slot} failed verification")]
    Aggregate {
        /// The slot.
        slot: u64,
        /// The aggregate's error.
        #[source]
        error: AggregateError,
    },
}
