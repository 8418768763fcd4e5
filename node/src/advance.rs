//! Keeps each durable signer's prepared window ahead of need on a blocking worker thread, so that the event
//! loop that signs never waits for a bottom tree.
//!
//! Advancing a window costs a whole bottom tree (2^(h/2) leaves: about 0.4 s for leanVM's lifetime 2^32 on
//! one AVX-512 core, seconds for Devnet 4), while a signature must go out within its slot interval. So the
//! loop asks each signer for the job that computes its next tree ([`DurableSigner::window_job`]), runs it on
//! tokio's blocking pool, and installs the finished tree between two events
//! ([`DurableSigner::install_window`], which persists the key). Installing never touches the signing record,
//! so a crash anywhere here costs at most a recomputation, never an epoch.

use std::collections::BTreeSet;
use std::time::Instant;

use ndvt_adapter::sim::{Instance as SimInstance, NodeSigners};
use ndvt_xmss::{DurableError, DurableSigner, Instance, PreparedBottomTree};
use serde_json::json;
use tokio::sync::mpsc;

use crate::log::EventLog;

/// A tree computed in the background, for the signer named `key`.
#[derive(Debug)]
pub struct Finished<I: Instance> {
    /// The name the job was requested under.
    pub key: &'static str,
    /// The computed bottom tree.
    pub tree: PreparedBottomTree<I>,
    /// How long the computation took on its worker thread.
    pub compute_ms: u64,
}

/// Runs window jobs off the calling thread, at most one per signer at a time.
#[derive(Debug)]
pub struct WindowAdvancer<I: Instance> {
    tx: mpsc::UnboundedSender<Finished<I>>,
    rx: mpsc::UnboundedReceiver<Finished<I>>,
    running: BTreeSet<&'static str>,
}

impl<I: Instance> Default for WindowAdvancer<I> {
    fn default() -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        WindowAdvancer { tx, rx, running: BTreeSet::new() }
    }
}

impl<I: Instance> WindowAdvancer<I> {
    /// How far ahead of the epoch about to be signed a window should already reach: half a bottom tree,
    /// which leaves half a bottom tree's worth of slots for the job to finish.
    pub const LOOKAHEAD: u64 = I::LEAVES_PER_BOTTOM_TREE / 2;

    /// Starts, on tokio's blocking pool, the job that moves `signer`'s window towards `epoch`, unless one is
    /// already running for `key` or none is needed. Returns the bottom-tree index of a started job. Must be
    /// called inside a tokio runtime.
    pub fn request(
        &mut self,
        key: &'static str,
        signer: &DurableSigner<I>,
        epoch: u64,
    ) -> Result<Option<u64>, DurableError> {
        if self.running.contains(key) {
            return Ok(None);
        }
        let Some(job) = signer.window_job(epoch.min(signer.activation().end.saturating_sub(1)))? else {
            return Ok(None);
        };
        let (index, tx) = (job.index(), self.tx.clone());
        self.running.insert(key);
        tokio::task::spawn_blocking(move || {
            let started = Instant::now();
            let tree = job.run();
            let compute_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            // The receiver lives as long as the advancer; a send fails only while the node shuts down.
            let _ = tx.send(Finished { key, tree, compute_ms });
        });
        Ok(Some(index))
    }

    /// The next finished tree (waits; never ends while the advancer lives, since it holds a sender).
    pub async fn finished(&mut self) -> Option<Finished<I>> {
        self.rx.recv().await
    }

    /// A finished tree if one is ready, without waiting.
    pub fn try_finished(&mut self) -> Option<Finished<I>> {
        self.rx.try_recv().ok()
    }

    /// Installs a finished tree into the signer it was computed for and persists the key: `Ok(false)` when
    /// the window had meanwhile moved past it (an inline advance), which changes nothing.
    pub fn install(
        &mut self,
        done: Finished<I>,
        signer: &mut DurableSigner<I>,
    ) -> Result<bool, DurableError> {
        self.running.remove(done.key);
        signer.install_window(done.tree)
    }

    /// Whether a job is running for `key`.
    pub fn is_running(&self, key: &str) -> bool {
        self.running.contains(key)
    }
}

/// The names under which a node's signers advance and log, in a fixed order.
const KEYS: [&str; 4] = ["attestation", "proposal", "attestation-copy", "proposal-copy"];

fn named<'a>(signers: &'a mut NodeSigners, key: &str) -> Option<&'a mut DurableSigner<SimInstance>> {
    let rogue = signers.rogue.as_mut();
    match key {
        "attestation" => Some(signers.attestation.signer_mut()),
        "proposal" => Some(signers.proposal.signer_mut()),
        "attestation-copy" => rogue.map(|(a, _)| a.signer_mut()),
        "proposal-copy" => rogue.map(|(_, p)| p.signer_mut()),
        _ => None,
    }
}

/// Starts a background advance for every signer of the node whose window does not reach `epoch`
/// (logged as `window_job`).
pub(crate) fn request_all(
    advancer: &mut WindowAdvancer<SimInstance>,
    signers: &mut NodeSigners,
    epoch: u64,
    log: &mut EventLog,
) {
    for key in KEYS {
        let Some(signer) = named(signers, key) else { continue };
        match advancer.request(key, signer, epoch) {
            Ok(Some(index)) => {
                log.write("window_job", json!({"key": key, "bottom_tree": index, "for_epoch": epoch}))
            }
            Ok(None) => {}
            Err(e) => {
                log.write("prepare_failed", json!({"key": key, "epoch": epoch, "error": e.to_string()}))
            }
        }
    }
}

/// Installs a finished tree into its signer (logged as `window_advanced`, with the worker's time and
/// whether the tree was still the one needed).
pub(crate) fn install_finished(
    advancer: &mut WindowAdvancer<SimInstance>,
    done: Finished<SimInstance>,
    signers: &mut NodeSigners,
    log: &mut EventLog,
) {
    let (key, index, compute_ms) = (done.key, done.tree.index(), done.compute_ms);
    let Some(signer) = named(signers, key) else { return };
    match advancer.install(done, signer) {
        Ok(installed) => {
            let prepared = signer.prepared();
            log.write(
                "window_advanced",
                json!({"key": key, "bottom_tree": index, "compute_ms": compute_ms, "installed": installed,
                       "prepared": [prepared.start, prepared.end]}),
            );
        }
        Err(e) => {
            log.write("prepare_failed", json!({"key": key, "bottom_tree": index, "error": e.to_string()}))
        }
    }
}

/// The fallback when a background tree is late: advances inline every signer whose window does not contain
/// `epoch`, the next epoch it may sign (logged as `window_inline`, since it blocks the loop).
pub(crate) fn prepare_inline(signers: &mut NodeSigners, epoch: u64, log: &mut EventLog) {
    for key in KEYS {
        let Some(signer) = named(signers, key) else { continue };
        let before = signer.prepared();
        if before.contains(&epoch) || !signer.activation().contains(&epoch) || epoch < signer.next_epoch() {
            continue;
        }
        let started = Instant::now();
        let result = signer.prepare_until(epoch);
        let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let after = signer.prepared();
        let error = result.err().map(|e| e.to_string());
        log.write(
            "window_inline",
            json!({"key": key, "epoch": epoch, "ms": ms, "prepared": [after.start, after.end], "error": error}),
        );
    }
}
