//! A small horizontal bar chart: server-rendered SVG (readable without JavaScript, each
//! bar titled for a native tooltip) that, once hydrated, shows a bar's details below
//! the chart when it is tapped, pointed at or focused.

use leptos::prelude::*;

/// One bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub value: usize,
    /// What pointing at the bar tells ("Casey Manning: 12 active clients, …").
    pub detail: String,
}

/// A row's height: each bar is a ≥ 44 CSS px tap target where the chart is drawn at
/// its usual width (a row answers a tap anywhere across it).
const ROW: usize = 40;
/// The bar's thickness.
const BAR: usize = 18;
const LABEL: usize = 150;
const WIDTH: usize = 520;
/// Room on the right for the value.
const VALUE: usize = 40;

#[component]
pub fn BarChart(title: &'static str, testid: &'static str, bars: Vec<Bar>) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let height = bars.len().max(1) * ROW + 8;
    let shown = RwSignal::new(None::<String>);
    let span = WIDTH - LABEL - VALUE;
    let bars = bars
        .into_iter()
        .enumerate()
        .map(|(i, bar)| {
            let y = i * ROW + 4;
            let width = (bar.value * span / max).max(if bar.value > 0 { 2 } else { 0 });
            let (enter, focus, tap, label) = (
                bar.detail.clone(),
                bar.detail.clone(),
                bar.detail.clone(),
                bar.detail.clone(),
            );
            view! {
                <g
                    class="chart__bar"
                    tabindex="0"
                    role="listitem"
                    aria-label=label
                    data-testid="chart-bar"
                    on:click=move |_| shown.set(Some(tap.clone()))
                    on:mouseenter=move |_| shown.set(Some(enter.clone()))
                    on:focus=move |_| shown.set(Some(focus.clone()))
                    on:mouseleave=move |_| shown.set(None)
                    on:blur=move |_| shown.set(None)
                >
                    <title>{bar.detail}</title>
                    <rect class="chart__row" x="0" y=y width=WIDTH height=ROW />
                    <text class="chart__label" x=LABEL - 8 y=y + ROW / 2 + 5 text-anchor="end">{bar.label}</text>
                    <rect class="chart__rect" x=LABEL y=y + (ROW - BAR) / 2 width=width height=BAR rx="3" />
                    <text class="chart__value" x=LABEL + width + 6 y=y + ROW / 2 + 5>{bar.value}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption class="chart__title">{title}</figcaption>
            <svg class="chart__svg" viewBox=format!("0 0 {WIDTH} {height}") role="list" aria-label=title>
                {bars}
            </svg>
            <p class="chart__detail hint" aria-live="polite" data-testid=format!("{testid}-detail")>
                {move || shown.get().unwrap_or_else(|| "Tap or point at a bar for its details.".to_string())}
            </p>
        </figure>
    }
}
