//! When `ndvt devnet up` applies a scenario's process faults for real, sans IO: crashes (SIGKILL, optional
//! restart on the same key directories) and lateness (SIGSTOP before the attestation moment, SIGCONT after
//! the scenario's delay). The driver loop only compares these times with the clock and sends the signals.

use ndvt_adapter::node::{INTERVAL_MS, SLOT_MS};
use ndvt_adapter::sim::{FaultKind, Scenario};

/// A crash fault for real: SIGKILL at `kill_ms`, restart at `restart_ms` (ms since genesis).
pub struct Crash {
    /// The identity.
    pub identity: usize,
    /// When it is killed.
    pub kill_ms: u64,
    /// When it is started again, if ever.
    pub restart_ms: Option<u64>,
    /// Already killed.
    pub killed: bool,
}

/// A `late` member's slot for real: the process is stopped over `[stop_ms, cont_ms)` (ms since genesis).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pause {
    /// The identity.
    pub identity: usize,
    /// SIGSTOP.
    pub stop_ms: u64,
    /// SIGCONT.
    pub cont_ms: u64,
}

/// How long before its attestation moment a late member is stopped. The node fires its vote at interval 1
/// by its own clock; stopping it exactly then would race the vote (the driver polls every 20 ms and `kill`
/// takes a few ms to start), so the stop comes first and the vote goes out when the process resumes.
pub const STOP_LEAD_MS: u64 = 100;

/// Identity of each group's member 0 (members are numbered group by group, then the singles).
fn first_identities(scenario: &Scenario) -> Vec<usize> {
    scenario
        .groups
        .iter()
        .scan(0usize, |next, g| Some(std::mem::replace(next, *next + usize::from(g.n))))
        .collect()
}

/// The crash faults: identities never started (crashed from slot 0 for good) and the SIGKILL schedule.
pub fn crashes(scenario: &Scenario) -> (Vec<usize>, Vec<Crash>) {
    let (mut never, mut out) = (Vec::new(), Vec::new());
    for (g, first) in scenario.groups.iter().zip(first_identities(scenario)) {
        for f in g.faults.iter().filter(|f| f.kind == FaultKind::Crashed) {
            let identity = first + usize::from(f.member);
            if f.from_slot == 0 && f.until_slot.is_none() {
                never.push(identity);
                continue;
            }
            // Killed after its slot-`from` attestation went out (interval 1 ends at 1.6 s); restarted just
            // before slot `until` begins, so that it is back for that slot's duties.
            let kill_ms = f.from_slot * SLOT_MS + 2 * INTERVAL_MS;
            let restart_ms = f.until_slot.map(|u| (u * SLOT_MS).saturating_sub(500));
            out.push(Crash { identity, kill_ms, restart_ms, killed: false });
        }
    }
    (never, out)
}

/// The identities with a Byzantine fault (`equivocating`, `equivocating-target`): they get second signers.
pub fn byzantine(scenario: &Scenario) -> Vec<usize> {
    let mut out = Vec::new();
    for (g, first) in scenario.groups.iter().zip(first_identities(scenario)) {
        out.extend(g.faults.iter().filter(|f| f.kind.is_byzantine()).map(|f| first + usize::from(f.member)));
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The pauses of every `late` member over slots `1..=slots`: in each slot the fault is active, stopped
/// [`STOP_LEAD_MS`] before interval 1 and continued `delay_ms` after it, so its vote leaves `delay_ms` late
/// (as the simulator delays it). Pauses of one identity that would overlap (a delay past the slot's end)
/// are merged, so every SIGSTOP has its SIGCONT.
pub fn pauses(scenario: &Scenario) -> Vec<Pause> {
    let mut out: Vec<Pause> = Vec::new();
    for (g, first) in scenario.groups.iter().zip(first_identities(scenario)) {
        let identity = |m: u8| first + usize::from(m);
        let mut late: Vec<_> =
            g.faults.iter().filter(|f| f.kind == FaultKind::Late && f.delay_ms > 0).collect();
        late.sort_by_key(|f| f.member);
        for slot in 1..=scenario.slots {
            for f in late.iter().filter(|f| f.active(slot)) {
                let at = slot * SLOT_MS + INTERVAL_MS;
                let p = Pause {
                    identity: identity(f.member),
                    stop_ms: at - STOP_LEAD_MS,
                    cont_ms: at + f.delay_ms,
                };
                match out.iter_mut().rev().find(|q| q.identity == p.identity) {
                    Some(q) if q.cont_ms >= p.stop_ms => q.cont_ms = q.cont_ms.max(p.cont_ms),
                    _ => out.push(p),
                }
            }
        }
    }
    out.sort_by_key(|p| (p.stop_ms, p.identity));
    out
}

/// Whether `tc netem` works on this host: a fresh network namespace with netem on its loopback. The devnet's
/// nodes share one loopback, where netem would delay every link alike, so loss and jitter per link come from
/// the in-node shim either way; the probe says whether the per-node-namespace alternative is open here.
pub fn netem_probe() -> String {
    let script = "ip link set lo up && tc qdisc add dev lo root netem delay 1ms";
    match std::process::Command::new("unshare").args(["-n", "sh", "-c", script]).output() {
        Ok(out) if out.status.success() => "available".into(),
        Ok(out) => {
            let why = String::from_utf8_lossy(&out.stderr);
            format!("unavailable: {}", why.lines().next().unwrap_or("tc failed").trim())
        }
        Err(e) => format!("unavailable: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use ndvt_adapter::sim::Scenario;

    use super::*;

    fn scenario(faults: &str) -> Scenario {
        Scenario::from_toml(&format!(
            "slots = 4\nsingles = 1\n[[groups]]\nm = 1\nn = 2\n[[groups]]\nm = 2\nn = 3\nfaults = [{faults}]"
        ))
        .unwrap()
    }

    #[test]
    fn a_late_member_is_stopped_before_interval_1_and_continued_after_its_delay() {
        let s = scenario("{ member = 1, kind = 'late', delay_ms = 900, from_slot = 2, until_slot = 4 }");
        let p = pauses(&s);
        // Group 1's member 1 is identity 2 + 1.
        assert_eq!(
            p,
            vec![
                Pause { identity: 3, stop_ms: 2 * 4000 + 700, cont_ms: 2 * 4000 + 1700 },
                Pause { identity: 3, stop_ms: 3 * 4000 + 700, cont_ms: 3 * 4000 + 1700 },
            ]
        );
    }

    #[test]
    fn pauses_longer_than_a_slot_merge_and_zero_delays_do_nothing() {
        let s = scenario("{ member = 0, kind = 'late', delay_ms = 5000 }, { member = 2, kind = 'late' }");
        let p = pauses(&s);
        assert_eq!(p, vec![Pause { identity: 2, stop_ms: 4700, cont_ms: 4 * 4000 + 800 + 5000 }]);
    }

    #[test]
    fn crashes_name_identities_group_by_group() {
        let s = scenario(
            "{ member = 2, kind = 'crashed', from_slot = 1, until_slot = 3 }, { member = 0, kind = 'crashed' }",
        );
        let (never, c) = crashes(&s);
        assert!(byzantine(&s).is_empty());
        let b =
            scenario("{ member = 1, kind = 'equivocating' }, { member = 1, kind = 'equivocating-target' }");
        assert_eq!(byzantine(&b), vec![3]);
        assert_eq!(never, vec![2]);
        assert_eq!((c[0].identity, c[0].kill_ms, c[0].restart_ms), (4, 4000 + 1600, Some(3 * 4000 - 500)));
    }
}
