//! The node's JSON-lines event log: one object per line, flushed per line so that a SIGKILLed node loses at
//! most the line it was writing. Every record has `t_ms` (unix milliseconds), `node` (identity) and `ev`.

use std::fs::{File, OpenOptions};
use std::io::{LineWriter, Write};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

/// Milliseconds since the unix epoch.
pub fn unix_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// An append-only event log.
pub struct EventLog {
    out: LineWriter<File>,
    node: usize,
    /// Write failures (a full disk must not stop the node; the count goes into the final record).
    pub failures: u64,
}

impl EventLog {
    /// Opens (appending: a restarted node continues its log) the log at `path`.
    pub fn open(path: &Path, node: usize) -> std::io::Result<Self> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(EventLog { out: LineWriter::new(file), node, failures: 0 })
    }

    /// Writes one record of kind `ev` with `fields` (an object; anything else is recorded under `value`).
    pub fn write(&mut self, ev: &str, fields: Value) {
        let mut map = match fields {
            Value::Object(m) => m,
            Value::Null => Map::new(),
            other => Map::from_iter([("value".to_string(), other)]),
        };
        map.insert("t_ms".into(), unix_ms().into());
        map.insert("node".into(), self.node.into());
        map.insert("ev".into(), ev.into());
        let line = Value::Object(map).to_string();
        if writeln!(self.out, "{line}").is_err() {
            self.failures += 1;
        }
    }
}
