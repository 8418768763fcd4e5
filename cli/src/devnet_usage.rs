//! CPU and memory of a devnet's node processes, sampled from `/proc` while they run.

use serde::Serialize;

/// CPU and memory of one identity's processes (summed over restarts; peak over all).
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct NodeUsage {
    /// User + system CPU seconds.
    pub cpu_s: f64,
    /// Peak resident set, KiB.
    pub peak_rss_kib: u64,
    #[serde(skip)]
    base_cpu_s: f64,
    #[serde(skip)]
    last_cpu_s: f64,
}

impl NodeUsage {
    /// Reads `/proc/<pid>` (Linux): CPU time and the high-water mark of the resident set.
    pub fn add_sample(&mut self, pid: u32) {
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (1-based).
            let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
            self.last_cpu_s = (ticks(11) + ticks(12)) / 100.0;
            self.cpu_s = self.base_cpu_s + self.last_cpu_s;
        }
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            let hwm = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.split_whitespace().next().and_then(|n| n.parse::<u64>().ok()));
            self.peak_rss_kib = self.peak_rss_kib.max(hwm.unwrap_or(0));
        }
    }

    /// The process is about to go: a restarted one counts its CPU from zero again.
    pub fn close_sample(&mut self) {
        self.base_cpu_s += self.last_cpu_s;
        self.last_cpu_s = 0.0;
    }
}
