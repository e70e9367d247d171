//! Small SVG charts drawn on the server: a grouped horizontal bar chart, a line chart and a
//! sparkline. Each is an accessible image (`role="img"`, `<title>` and `<desc>` referenced
//! by `aria-labelledby`) with a fixed `viewBox`; every text is escaped; no script and no
//! external font. The page shows the table behind each chart next to it, so the chart is
//! never the only way to read the figures. Series differ in shape and dash as well as in
//! colour, so they stay apart in grey print.

use crate::render::escape;
use std::fmt::Write;

/// How a series is drawn: colour, dash and marker differ between the three.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Plan (PV): grey, dashed, square markers.
    Plan,
    /// Actual (AC, completed): blue, solid, round markers.
    Actual,
    /// Earned (EV): amber, dotted, triangle markers.
    Earned,
}

impl Style {
    fn colour(self) -> &'static str {
        match self {
            Style::Plan => "#5f6368",
            Style::Actual => "#0b4f8a",
            Style::Earned => "#a15c00",
        }
    }

    fn dash(self) -> &'static str {
        match self {
            Style::Plan => "6 4",
            Style::Actual => "none",
            Style::Earned => "2 3",
        }
    }

    /// Bar fill: the plan light, the others solid.
    fn bar_fill(self) -> &'static str {
        match self {
            Style::Plan => "#c9ccd1",
            Style::Actual => "#0b4f8a",
            Style::Earned => "#d08a2c",
        }
    }

    fn class(self) -> &'static str {
        match self {
            Style::Plan => "s-plan",
            Style::Actual => "s-actual",
            Style::Earned => "s-earned",
        }
    }

    fn marker(self, x: f64, y: f64, out: &mut String) {
        let c = self.colour();
        let _ = match self {
            Style::Actual => write!(out, r#"<circle cx="{x:.1}" cy="{y:.1}" r="3" fill="{c}"/>"#),
            Style::Plan => write!(
                out,
                r##"<rect x="{:.1}" y="{:.1}" width="6" height="6" fill="#fff" stroke="{c}" stroke-width="1.5"/>"##,
                x - 3.0,
                y - 3.0
            ),
            Style::Earned => write!(
                out,
                r#"<path d="M{x:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z" fill="{c}"/>"#,
                y - 4.0,
                x + 4.0,
                y + 3.0,
                x - 4.0,
                y + 3.0
            ),
        };
    }
}

/// One series of a line chart; `None` leaves a gap (no figure for that point).
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub style: Style,
    pub values: Vec<Option<f64>>,
}

/// One row of a bar chart: a label and one value per series.
#[derive(Debug, Clone)]
pub struct BarGroup {
    pub label: String,
    pub values: Vec<f64>,
}

/// A number with thousands separators and `decimals` decimals.
pub fn format_number(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text.as_str(), None),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let negative = value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0');
    let sign = if negative { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A "nice" step (1, 2 or 5 × 10ⁿ) dividing `span` into about `ticks` parts.
fn nice_step(span: f64, ticks: f64) -> f64 {
    if !span.is_finite() || span <= 0.0 {
        return 1.0;
    }
    let raw = span / ticks;
    let magnitude = 10f64.powf(raw.log10().floor());
    let norm = raw / magnitude;
    let nice = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

fn decimals_for(step: f64) -> usize {
    if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil().clamp(0.0, 6.0) as usize
    }
}

/// Shortens a label to `max` characters, with an ellipsis.
fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        label
            .chars()
            .take(max.saturating_sub(1))
            .collect::<String>()
            + "…"
    }
}

fn open(id: &str, title: &str, desc: &str, width: f64, height: f64, class: &str) -> String {
    let id = escape(id);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart {class}" viewBox="0 0 {width:.0} {height:.0}" role="img" aria-labelledby="{id}-t {id}-d" preserveAspectRatio="xMinYMin meet" font-size="12"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        escape(title),
        escape(desc)
    )
}

fn legend(names: &[(&str, Style)], x0: f64, y: f64, out: &mut String, bars: bool) {
    let mut x = x0;
    for (name, style) in names {
        if bars {
            let _ = write!(
                out,
                r#"<rect x="{x:.1}" y="{:.1}" width="14" height="10" fill="{}" stroke="{}"/>"#,
                y - 9.0,
                style.bar_fill(),
                style.colour()
            );
        } else {
            let _ = write!(
                out,
                r#"<line x1="{x:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>"#,
                y - 4.0,
                x + 18.0,
                y - 4.0,
                style.colour(),
                style.dash()
            );
            style.marker(x + 9.0, y - 4.0, out);
        }
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{y:.1}" fill="#1a1a1a">{}</text>"##,
            x + 22.0,
            escape(name)
        );
        x += 34.0 + 13.0 * name.chars().count() as f64;
    }
}

/// Horizontal grouped bars: one row per group, one bar per series, value at the bar's end.
pub fn bar_chart(
    id: &str,
    title: &str,
    desc: &str,
    unit: &str,
    series: &[(&str, Style)],
    groups: &[BarGroup],
) -> String {
    const WIDTH: f64 = 720.0;
    const LABEL: f64 = 190.0;
    const VALUE: f64 = 110.0;
    const BAR: f64 = 11.0;
    const TOP: f64 = 30.0;
    let per_group = BAR * series.len().max(1) as f64 + 8.0;
    let height = TOP + per_group * groups.len().max(1) as f64 + 26.0;
    let max = groups
        .iter()
        .flat_map(|g| g.values.iter().copied())
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let step = nice_step(max, 4.0);
    let top_value = if max > 0.0 {
        (max / step).ceil() * step
    } else {
        step
    };
    let plot = WIDTH - LABEL - VALUE;
    let scale = |v: f64| (v.max(0.0) / top_value) * plot;
    let mut out = open(id, title, desc, WIDTH, height, "bar-chart");
    legend(series, LABEL, 16.0, &mut out, true);
    let _ = write!(
        out,
        r##"<text x="{:.1}" y="16" text-anchor="end" fill="#555">单位：{}</text>"##,
        WIDTH - 4.0,
        escape(unit)
    );
    // Grid lines and ticks.
    let axis_y = TOP + per_group * groups.len().max(1) as f64;
    let decimals = decimals_for(step);
    let mut tick = 0.0;
    while tick <= top_value + step / 2.0 {
        let x = LABEL + scale(tick);
        let _ = write!(
            out,
            r##"<line x1="{x:.1}" y1="{TOP:.1}" x2="{x:.1}" y2="{axis_y:.1}" stroke="#ddd"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#555">{}</text>"##,
            axis_y + 16.0,
            format_number(tick, decimals)
        );
        tick += step;
    }
    for (i, g) in groups.iter().enumerate() {
        let y0 = TOP + per_group * i as f64 + 4.0;
        let label_y = y0 + BAR * series.len() as f64 / 2.0 + 4.0;
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{label_y:.1}" text-anchor="end" fill="#1a1a1a">{}</text>"##,
            LABEL - 6.0,
            escape(&shorten(&g.label, 14))
        );
        for (j, (_, style)) in series.iter().enumerate() {
            let value = g.values.get(j).copied().unwrap_or(0.0);
            let y = y0 + BAR * j as f64;
            let w = scale(value);
            let _ = write!(
                out,
                r##"<rect class="{}" x="{LABEL:.1}" y="{y:.1}" width="{w:.1}" height="{:.1}" fill="{}" stroke="{}" stroke-width="0.5"/><text x="{:.1}" y="{:.1}" fill="#1a1a1a" font-size="10">{}</text>"##,
                style.class(),
                BAR - 1.5,
                style.bar_fill(),
                style.colour(),
                LABEL + w + 4.0,
                y + BAR - 2.5,
                format_number(value, 0)
            );
        }
    }
    let _ = write!(
        out,
        r##"<line x1="{LABEL:.1}" y1="{TOP:.1}" x2="{LABEL:.1}" y2="{axis_y:.1}" stroke="#555"/></svg>"##
    );
    out
}

/// A line chart over evenly spaced points (`x_labels`), the y axis from zero (or from the
/// lowest value, when a value is negative).
pub fn line_chart(
    id: &str,
    title: &str,
    desc: &str,
    unit: &str,
    x_labels: &[String],
    series: &[Series],
) -> String {
    const WIDTH: f64 = 720.0;
    const HEIGHT: f64 = 300.0;
    const LEFT: f64 = 78.0;
    const RIGHT: f64 = 30.0;
    const TOP: f64 = 34.0;
    const BOTTOM: f64 = 34.0;
    let values = || {
        series
            .iter()
            .flat_map(|s| s.values.iter().flatten().copied())
            .filter(|v| v.is_finite())
    };
    let max = values().fold(0.0_f64, f64::max);
    let min = values().fold(0.0_f64, f64::min);
    let step = nice_step(max - min, 5.0);
    let top_value = if max > 0.0 {
        (max / step).ceil() * step
    } else {
        step
    };
    let bottom_value = if min < 0.0 {
        (min / step).floor() * step
    } else {
        0.0
    };
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let n = x_labels.len().max(1);
    let x_of = |i: usize| {
        if n == 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * i as f64 / (n - 1) as f64
        }
    };
    let y_of = |v: f64| TOP + plot_h * (1.0 - (v - bottom_value) / (top_value - bottom_value));
    let mut out = open(id, title, desc, WIDTH, HEIGHT, "line-chart");
    let names: Vec<(&str, Style)> = series.iter().map(|s| (s.name.as_str(), s.style)).collect();
    legend(&names, LEFT, 16.0, &mut out, false);
    let _ = write!(
        out,
        r##"<text x="{:.1}" y="16" text-anchor="end" fill="#555">单位：{}</text>"##,
        WIDTH - RIGHT,
        escape(unit)
    );
    let decimals = decimals_for(step);
    let mut tick = bottom_value;
    while tick <= top_value + step / 2.0 {
        let y = y_of(tick);
        let stroke = if tick.abs() < step / 2.0 {
            "#555"
        } else {
            "#ddd"
        };
        let _ = write!(
            out,
            r##"<line x1="{LEFT:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{stroke}"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#555">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            format_number(tick, decimals)
        );
        tick += step;
    }
    // At most about twelve x labels, counted back from the last so that it always shows.
    let every = n.div_ceil(12).max(1);
    for (i, label) in x_labels.iter().enumerate() {
        if (n - 1 - i).is_multiple_of(every) {
            let _ = write!(
                out,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#555" font-size="11">{}</text>"##,
                x_of(i),
                HEIGHT - BOTTOM + 18.0,
                escape(label)
            );
        }
    }
    let _ = write!(
        out,
        r##"<line x1="{LEFT:.1}" y1="{TOP:.1}" x2="{LEFT:.1}" y2="{:.1}" stroke="#555"/>"##,
        HEIGHT - BOTTOM
    );
    for s in series {
        // Runs of consecutive figures become one polyline each.
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (i, v) in s.values.iter().enumerate().take(n) {
            match v.filter(|v| v.is_finite()) {
                Some(v) => {
                    if let Some(run) = runs.last_mut() {
                        run.push((x_of(i), y_of(v)));
                    }
                }
                None => runs.push(Vec::new()),
            }
        }
        for run in runs.iter().filter(|r| r.len() > 1) {
            let points: Vec<String> = run.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
            let _ = write!(
                out,
                r#"<polyline class="{}" points="{}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>"#,
                s.style.class(),
                points.join(" "),
                s.style.colour(),
                s.style.dash()
            );
        }
        for (x, y) in runs.iter().flatten() {
            s.style.marker(*x, *y, &mut out);
        }
    }
    out.push_str("</svg>");
    out
}

/// A sparkline of yearly values, with the target as a dashed level and a diamond at its
/// year.
pub fn sparkline(
    id: &str,
    title: &str,
    desc: &str,
    points: &[(i32, f64)],
    target: Option<(i32, f64)>,
) -> String {
    const WIDTH: f64 = 220.0;
    const HEIGHT: f64 = 66.0;
    const PAD: f64 = 8.0;
    /// The plot ends here; the years are written below.
    const PLOT_BOTTOM: f64 = 50.0;
    let years = points.iter().map(|p| p.0).chain(target.map(|t| t.0));
    let (first, last) = years.fold((i32::MAX, i32::MIN), |(a, b), y| (a.min(y), b.max(y)));
    let vals = points.iter().map(|p| p.1).chain(target.map(|t| t.1));
    let (lo, hi) = vals
        .filter(|v| v.is_finite())
        .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
    let mut out = open(id, title, desc, WIDTH, HEIGHT, "sparkline");
    if first > last || lo > hi {
        out.push_str(r##"<text x="8" y="32" fill="#555">暂无数据</text></svg>"##);
        return out;
    }
    let span_y = if (hi - lo).abs() < f64::EPSILON {
        1.0
    } else {
        hi - lo
    };
    let span_x = f64::from((last - first).max(1));
    let x_of = |year: i32| {
        if first == last {
            WIDTH / 2.0
        } else {
            PAD + (WIDTH - 2.0 * PAD) * f64::from(year - first) / span_x
        }
    };
    let y_of = |v: f64| {
        if (hi - lo).abs() < f64::EPSILON {
            (PAD + PLOT_BOTTOM) / 2.0
        } else {
            PAD + (PLOT_BOTTOM - PAD) * (1.0 - (v - lo) / span_y)
        }
    };
    let _ = write!(
        out,
        r##"<text x="{PAD:.1}" y="{:.1}" font-size="10" fill="#555">{first}</text>"##,
        HEIGHT - 3.0
    );
    if last > first {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" font-size="10" fill="#555" text-anchor="end">{last}</text>"##,
            WIDTH - PAD,
            HEIGHT - 3.0
        );
    }
    if let Some((year, value)) = target {
        let (x, y) = (x_of(year), y_of(value));
        let _ = write!(
            out,
            r#"<line class="target" x1="{PAD:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{}" stroke-width="1" stroke-dasharray="4 3"/><path d="M{x:.1} {:.1}L{:.1} {y:.1}L{x:.1} {:.1}L{:.1} {y:.1}Z" fill="{}"/>"#,
            WIDTH - PAD,
            Style::Earned.colour(),
            y - 5.0,
            x + 5.0,
            y + 5.0,
            x - 5.0,
            Style::Earned.colour()
        );
    }
    let mut sorted = points.to_vec();
    sorted.sort_by_key(|p| p.0);
    if sorted.len() > 1 {
        let pts: Vec<String> = sorted
            .iter()
            .map(|(year, v)| format!("{:.1},{:.1}", x_of(*year), y_of(*v)))
            .collect();
        let _ = write!(
            out,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>"#,
            pts.join(" "),
            Style::Actual.colour()
        );
    }
    for (year, v) in &sorted {
        Style::Actual.marker(x_of(*year), y_of(*v), &mut out);
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(format_number(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(format_number(-1_234.0, 0), "-1,234");
        assert_eq!(format_number(12.0, 0), "12");
        assert_eq!(format_number(-0.001, 0), "0");
    }

    #[test]
    fn steps_are_nice() {
        assert_eq!(nice_step(100.0, 5.0), 20.0);
        assert_eq!(nice_step(7.0, 5.0), 2.0);
        assert_eq!(nice_step(0.0, 5.0), 1.0);
    }

    #[test]
    fn charts_escape_text_and_are_accessible_images() {
        let svg = line_chart(
            "c",
            "<script>",
            "a & b",
            "万元",
            &["1月".into(), "2月".into()],
            &[Series {
                name: "计划<".into(),
                style: Style::Plan,
                values: vec![Some(1.0), None],
            }],
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"aria-labelledby="c-t c-d""#));
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;") && svg.contains("a &amp; b"));
        let bars = bar_chart(
            "b",
            "t",
            "d",
            "万元",
            &[("总投资", Style::Plan), ("累计完成", Style::Actual)],
            &[BarGroup {
                label: "市政<设施>".into(),
                values: vec![100.0, 40.0],
            }],
        );
        assert!(bars.contains("市政&lt;设施&gt;") && bars.ends_with("</svg>"));
        let spark = sparkline(
            "s",
            "t",
            "d",
            &[(2022, 1.0), (2024, 2.0)],
            Some((2027, 3.0)),
        );
        assert!(spark.contains("polyline") && spark.contains("target"));
        let empty = sparkline("e", "t", "d", &[], None);
        assert!(empty.contains("暂无数据"));
    }
}

/// A point on the project map.
#[derive(Debug, Clone)]
pub struct MapPoint {
    pub name: String,
    pub lon: f64,
    pub lat: f64,
    /// Stage code (colours the point); empty for a township label.
    pub stage: String,
    pub stage_label: String,
    pub link: Option<String>,
}

/// Colour of a project stage on the map (distinct in hue and lightness, so grey print keeps
/// them apart); unknown codes are grey.
fn stage_colour(stage: &str) -> &'static str {
    match stage {
        "conceived" => "#9e9e9e",
        "reserved" => "#ced4da",
        "preparing" => "#e0a800",
        "ready" => "#e8590c",
        "under_construction" => "#1c7ed6",
        "completed" => "#2b8a3e",
        "operating" => "#087f5b",
        "suspended" => "#862e9c",
        "cancelled" => "#495057",
        _ => "#adb5bd",
    }
}

/// A map of the county's projects drawn without any tile service: a graticule every 0.1°,
/// the townships as labelled squares, and the projects as points coloured by stage, each a
/// link to its page. Longitude is scaled by cos(latitude) so distances look right.
pub fn project_map(id: &str, title: &str, townships: &[MapPoint], projects: &[MapPoint]) -> String {
    let all: Vec<&MapPoint> = townships.iter().chain(projects).collect();
    if all.is_empty() {
        return String::new();
    }
    let (mut lon0, mut lon1, mut lat0, mut lat1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in &all {
        lon0 = lon0.min(p.lon);
        lon1 = lon1.max(p.lon);
        lat0 = lat0.min(p.lat);
        lat1 = lat1.max(p.lat);
    }
    let pad = 0.03;
    let (lon0, lon1, lat0, lat1) = (lon0 - pad, lon1 + pad, lat0 - pad, lat1 + pad);
    let k = ((lat0 + lat1) / 2.0).to_radians().cos();
    let (width, margin) = (640.0, 20.0);
    let scale = (width - 2.0 * margin) / ((lon1 - lon0) * k).max(1e-6);
    let height = ((lat1 - lat0) * scale + 2.0 * margin + 40.0).clamp(200.0, 900.0);
    let x = |lon: f64| margin + (lon - lon0) * k * scale;
    let y = |lat: f64| margin + (lat1 - lat) * scale;
    let desc = format!(
        "{} 个乡镇（街道）、{} 个项目的位置示意图；项目点颜色表示阶段。下表列出全部项目。",
        townships.len(),
        projects.len()
    );
    let mut out = open(id, title, &desc, width, height, "map");
    let mut g = (lon0 * 10.0).ceil() / 10.0;
    while g <= lon1 {
        let _ = write!(
            out,
            r##"<line x1="{:.1}" y1="{margin}" x2="{:.1}" y2="{:.1}" stroke="#e9ecef"/><text x="{:.1}" y="{:.1}" fill="#6c757d" font-size="9">{g:.1}°E</text>"##,
            x(g),
            x(g),
            y(lat0),
            x(g) + 2.0,
            y(lat0) - 2.0
        );
        g += 0.1;
    }
    let mut g = (lat0 * 10.0).ceil() / 10.0;
    while g <= lat1 {
        let _ = write!(
            out,
            r##"<line x1="{margin}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#e9ecef"/><text x="{:.1}" y="{:.1}" fill="#6c757d" font-size="9">{g:.1}°N</text>"##,
            y(g),
            x(lon1),
            y(g),
            margin + 2.0,
            y(g) - 2.0
        );
        g += 0.1;
    }
    for t in townships {
        let _ = write!(
            out,
            r##"<rect x="{:.1}" y="{:.1}" width="6" height="6" fill="#343a40"/><text x="{:.1}" y="{:.1}" fill="#343a40">{}</text>"##,
            x(t.lon) - 3.0,
            y(t.lat) - 3.0,
            x(t.lon) + 6.0,
            y(t.lat) - 5.0,
            escape(&t.name)
        );
    }
    for p in projects {
        let dot = format!(
            r##"<circle cx="{:.1}" cy="{:.1}" r="5" fill="{}" stroke="#fff" stroke-width="1"><title>{}（{}）</title></circle>"##,
            x(p.lon),
            y(p.lat),
            stage_colour(&p.stage),
            escape(&p.name),
            escape(&p.stage_label)
        );
        match &p.link {
            Some(link) => {
                let _ = write!(out, r#"<a href="{}">{dot}</a>"#, escape(link));
            }
            None => out.push_str(&dot),
        }
    }
    let mut stages: Vec<(&str, &str)> = projects
        .iter()
        .map(|p| (p.stage.as_str(), p.stage_label.as_str()))
        .collect();
    stages.sort_unstable();
    stages.dedup();
    let mut lx = margin;
    let ly = height - 12.0;
    for (code, label) in stages {
        let _ = write!(
            out,
            r#"<circle cx="{:.1}" cy="{ly:.1}" r="5" fill="{}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            lx + 5.0,
            stage_colour(code),
            lx + 13.0,
            ly + 4.0,
            escape(label)
        );
        lx += 24.0 + label.chars().count() as f64 * 12.0;
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod map_tests {
    use super::*;

    fn point(name: &str, lon: f64, lat: f64, stage: &str) -> MapPoint {
        MapPoint {
            name: name.into(),
            lon,
            lat,
            stage: stage.into(),
            stage_label: "在建".into(),
            link: Some("/counties/211122/projects/1".into()),
        }
    }

    #[test]
    fn draws_points_links_and_escapes_names() {
        let svg = project_map(
            "m",
            "项目分布",
            &[point("太平街道", 122.01, 41.24, "")],
            &[point(
                "<script>x</script>",
                122.05,
                41.2,
                "under_construction",
            )],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(
            svg.contains("role=\"img\"")
                && svg.contains("<a href=\"/counties/211122/projects/1\">")
        );
        assert!(!svg.contains("<script>") && svg.contains("&lt;script&gt;"));
        assert!(svg.contains("#1c7ed6"));
    }

    #[test]
    fn nothing_to_draw_gives_nothing() {
        assert!(project_map("m", "t", &[], &[]).is_empty());
    }
}
