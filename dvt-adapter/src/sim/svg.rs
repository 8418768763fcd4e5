//! A small SVG of participation over time: quorum, canonical target and canonical head per slot.

use super::report::Report;

const W: f64 = 720.0;
const H: f64 = 260.0;
const PAD: f64 = 40.0;

/// The participation chart.
pub fn participation_svg(report: &Report) -> String {
    let n = report.timeline.len().max(2) as f64;
    let x = |i: usize| PAD + (W - 2.0 * PAD) * i as f64 / (n - 1.0);
    let y = |v: f64| H - PAD - (H - 2.0 * PAD) * v.clamp(0.0, 1.0);
    let line = |f: &dyn Fn(usize) -> f64, colour: &str, dash: &str| {
        let points: Vec<String> =
            (0..report.timeline.len()).map(|i| format!("{:.1},{:.1}", x(i), y(f(i)))).collect();
        format!(
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\" points=\"{}\"/>\n",
            points.join(" ")
        )
    };
    let t = &report.timeline;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" \
         font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    );
    s.push_str(&format!(
        "<text x=\"{PAD}\" y=\"18\">{} — group participation per slot</text>\n",
        escape(&report.scenario)
    ));
    for v in [0.0, 0.5, 1.0] {
        s.push_str(&format!(
            "<line x1=\"{PAD}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#ddd\"/><text x=\"4\" y=\"{:.1}\">{:.0}%</text>\n",
            W - PAD,
            y(v),
            y(v),
            y(v) + 4.0,
            v * 100.0
        ));
    }
    if let (Some(first), Some(last)) = (t.first(), t.last()) {
        s.push_str(&format!("<text x=\"{PAD}\" y=\"{}\">slot {}</text>\n", H - 12.0, first.slot));
        s.push_str(&format!("<text x=\"{}\" y=\"{}\">slot {}</text>\n", W - PAD - 40.0, H - 12.0, last.slot));
    }
    s.push_str(&line(&|i| t[i].quorum, "#1f77b4", ""));
    s.push_str(&line(&|i| t[i].target, "#2ca02c", "6 3"));
    s.push_str(&line(&|i| t[i].head, "#d62728", "2 3"));
    for (i, (label, colour)) in
        [("quorum", "#1f77b4"), ("target", "#2ca02c"), ("head", "#d62728")].iter().enumerate()
    {
        let lx = W - PAD - 200.0 + 70.0 * i as f64;
        s.push_str(&format!(
            "<rect x=\"{lx}\" y=\"26\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text x=\"{}\" y=\"35\">{label}</text>\n",
            lx + 14.0
        ));
    }
    s.push_str("</svg>\n");
    s
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::report::SlotPoint;

    #[test]
    fn svg_has_one_point_per_slot_and_escapes_the_name() {
        let r = Report {
            scenario: "a<b".into(),
            timeline: (1..=5).map(|slot| SlotPoint { slot, quorum: 1.0, target: 0.5, head: 0.0 }).collect(),
            ..Report::default()
        };
        let svg = participation_svg(&r);
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("a&lt;b"));
        assert_eq!(svg.matches("<polyline").count(), 3);
        let first = svg.split("points=\"").nth(1).unwrap().split('"').next().unwrap();
        assert_eq!(first.split(' ').count(), 5);
    }
}
