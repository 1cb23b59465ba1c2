//! The rollout timeline: stacked bars of old and new pods per step (left axis), and a line for
//! the new version's share of traffic (right axis, 0–100 %), and a strip above the steps the
//! analysis judges by metrics. A table carries the same numbers for screen readers.

use leptos::prelude::*;
use slipway_core::rollout_plan::Plan;

use super::style;

const BAR_WIDTH: f64 = 46.0;
const GAP: f64 = 26.0;
const HEIGHT: f64 = 180.0;
const LEFT: f64 = 44.0;
/// Room for the traffic axis's labels right of the last bar.
const RIGHT: f64 = 48.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 44.0;

#[component]
pub fn TimelineChart(plan: Memo<Plan>) -> impl IntoView {
    let geometry = move || {
        plan.with(|plan| {
            let max_pods = plan
                .steps
                .iter()
                .map(|s| s.old_pods + s.new_pods)
                .max()
                .unwrap_or(1)
                .max(1) as f64;
            let width = LEFT + plan.steps.len() as f64 * (BAR_WIDTH + GAP) + GAP + RIGHT;
            (max_pods, width.max(320.0))
        })
    };
    let bars = move || {
        let (max_pods, _) = geometry();
        plan.with(|plan| {
            plan.steps
                .iter()
                .enumerate()
                .map(|(index, step)| {
                    let x = LEFT + GAP + index as f64 * (BAR_WIDTH + GAP);
                    let scale = HEIGHT / max_pods;
                    let old_height = f64::from(step.old_pods) * scale;
                    let new_height = f64::from(step.new_pods) * scale;
                    let base = TOP + HEIGHT;
                    let pause = match step.pause_seconds {
                        Some(0) => Some("manual".to_owned()),
                        Some(seconds) => Some(format!("{seconds}s")),
                        None => None,
                    };
                    let analysed = step.analysed;
                    view! {
                        <g data-testid="timeline-step">
                            {analysed.then(|| view! {
                                // A strip above the bar: the analysis judges this step.
                                <rect class=style::analysis data-testid="analysis-mark" x=x y=TOP - 9.0 width=BAR_WIDTH height="5" rx="1" />
                            })}
                            <rect class=style::old x=x y=base - old_height width=BAR_WIDTH height=old_height />
                            <rect class=style::new x=x y=base - old_height - new_height width=BAR_WIDTH height=new_height />
                            <text class=style::axis x=x + BAR_WIDTH / 2.0 y=base + 14.0 text-anchor="middle">{(index + 1).to_string()}</text>
                            {pause.map(|pause| view! {
                                // A pause mark drawn as two bars: fonts without the ⏸ glyph
                                // showed an empty box.
                                <g class=style::pause data-testid="pause-mark">
                                    <rect x=x + 1.0 y=base + 21.0 width="3" height="10" rx="1" />
                                    <rect x=x + 6.0 y=base + 21.0 width="3" height="10" rx="1" />
                                    <text class=style::axis x=x + 12.0 y=base + 31.0>{pause}</text>
                                </g>
                            })}
                            <title>{format!("{}: {} old, {} new pods, {}% of traffic to the new version{}", step.label, step.old_pods, step.new_pods, step.new_traffic, if analysed { "; judged by metrics" } else { "" })}</title>
                        </g>
                    }
                })
                .collect_view()
        })
    };
    let traffic_line = move || {
        plan.with(|plan| {
            plan.steps
                .iter()
                .enumerate()
                .map(|(index, step)| {
                    let x = LEFT + GAP + index as f64 * (BAR_WIDTH + GAP) + BAR_WIDTH / 2.0;
                    let y = TOP + HEIGHT - f64::from(step.new_traffic) / 100.0 * HEIGHT;
                    format!("{x:.1},{y:.1}")
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
    };

    view! {
        <figure class=style::figure>
            // Above the chart, so it is in view with it.
            <figcaption class=style::legend data-testid="rollout-legend">
                <span class=style::legend_old>"old version pods"</span>
                <span class=style::legend_new>"new version pods"</span>
                <span class=style::legend_traffic>"traffic to the new version (right axis)"</span>
                {move || plan.with(|plan| plan.analysis.clone()).map(|analysis| view! {
                    <span class=style::legend_analysis data-testid="analysis-gate" title=analysis.how.clone()>
                        {format!("analysis: {}", analysis.stops)}
                    </span>
                })}
            </figcaption>
            <svg
                class=style::chart
                data-testid="rollout-chart"
                role="img"
                aria-label="Rollout timeline: pods of each version and the new version's traffic share at each step"
                width=move || geometry().1
                height=TOP + HEIGHT + BOTTOM
            >
                <line class=style::grid x1=LEFT y1=TOP x2=move || geometry().1 - RIGHT y2=TOP />
                <line class=style::grid x1=LEFT y1=TOP + HEIGHT / 2.0 x2=move || geometry().1 - RIGHT y2=TOP + HEIGHT / 2.0 />
                <line class=style::grid x1=LEFT y1=TOP + HEIGHT x2=move || geometry().1 - RIGHT y2=TOP + HEIGHT />
                // Left axis: pods.
                <text class=style::axis_title x=LEFT - 6.0 y=TOP - 10.0 text-anchor="end">"pods"</text>
                <text class=style::axis x=LEFT - 6.0 y=TOP + 4.0 text-anchor="end" data-testid="pods-axis-max">{move || format!("{}", geometry().0)}</text>
                <text class=style::axis x=LEFT - 6.0 y=TOP + HEIGHT + 4.0 text-anchor="end">"0"</text>
                // Right axis: the new version's share of traffic.
                <text class=style::axis_title_traffic x=move || geometry().1 - RIGHT + 6.0 y=TOP - 10.0>"traffic"</text>
                <text class=style::axis_traffic x=move || geometry().1 - RIGHT + 6.0 y=TOP + 4.0 data-testid="traffic-axis-max">"100%"</text>
                <text class=style::axis_traffic x=move || geometry().1 - RIGHT + 6.0 y=TOP + HEIGHT / 2.0 + 4.0>"50%"</text>
                <text class=style::axis_traffic x=move || geometry().1 - RIGHT + 6.0 y=TOP + HEIGHT + 4.0>"0%"</text>
                {bars}
                <polyline class=style::traffic points=traffic_line />
            </svg>
            <table class=style::table data-testid="rollout-steps">
                <thead><tr><th>"#"</th><th>"Step"</th><th>"Old pods"</th><th>"New pods"</th><th>"New traffic"</th><th>"Then"</th></tr></thead>
                <tbody>
                    {move || plan.with(|plan| plan.steps.iter().enumerate().map(|(index, step)| view! {
                        <tr>
                            <td>{index + 1}</td>
                            <td>{step.label.clone()}</td>
                            <td>{step.old_pods}</td>
                            <td>{step.new_pods}</td>
                            <td>{format!("{}%", step.new_traffic)}</td>
                            <td>{[
                                match step.pause_seconds {
                                    Some(0) => "wait for manual promotion".to_owned(),
                                    Some(seconds) => format!("pause {seconds}s"),
                                    None => String::new(),
                                },
                                if step.analysed { "judged by metrics".to_owned() } else { String::new() },
                            ]
                            .into_iter()
                            .filter(|part| !part.is_empty())
                            .collect::<Vec<_>>()
                            .join(", ")}</td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
        </figure>
    }
}
