//! `EChart`: one ECharts chart that owns its container element and its ECharts instance.
//!
//! ECharts is loaded on demand by the first chart (see `loader`), initialised once per chart,
//! updated in place with `setOption` when the option changes, resized with its container and
//! disposed when the component is cleaned up. Series and labels are drawn on a canvas; no
//! custom HTML tooltip formatter is ever used, so no data is rendered as HTML. A click on a
//! series' bar, point, slice or word can be handed to the page (`on_click`, for drill-down).

pub mod loader;

use charming::Chart;
use leptos::either::EitherOf3;
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::ResizeObserver;

use crate::i18n::{t, use_i18n};

#[wasm_bindgen]
extern "C" {
    /// An ECharts instance, as returned by `echarts.init`.
    type EChartsInstance;

    #[wasm_bindgen(catch, js_namespace = echarts, js_name = init)]
    fn echarts_init(element: &web_sys::HtmlElement) -> Result<EChartsInstance, JsValue>;

    /// `echarts.init(null, null, opts)`: an instance that draws off screen (`ssr: true`).
    #[wasm_bindgen(catch, js_namespace = echarts, js_name = init)]
    fn echarts_init_off_screen(
        dom: &JsValue,
        theme: &JsValue,
        opts: &JsValue,
    ) -> Result<EChartsInstance, JsValue>;

    /// `instance.renderToSVGString()`: an off-screen instance's drawing.
    #[wasm_bindgen(catch, method, js_name = renderToSVGString)]
    fn render_to_svg_string(this: &EChartsInstance) -> Result<String, JsValue>;

    #[wasm_bindgen(catch, method, js_name = setOption)]
    fn set_option(this: &EChartsInstance, option: &JsValue, not_merge: bool)
    -> Result<(), JsValue>;

    #[wasm_bindgen(method)]
    fn resize(this: &EChartsInstance);

    #[wasm_bindgen(method)]
    fn dispose(this: &EChartsInstance);

    /// `instance.on(event, handler)`.
    #[wasm_bindgen(method)]
    fn on(this: &EChartsInstance, event: &str, handler: &js_sys::Function);

}

/// The size of a chart on paper, in CSS pixels: the width of an A4 page's text (portrait, 14 mm
/// margins) and half of it in height.
pub const PRINT_SIZE: (u32, u32) = (680, 340);

/// `option` drawn off screen at `size` as an SVG image (a `data:` URL), without animation:
/// what a printed page shows in place of the chart on screen, whole whatever the screen's
/// width and whatever print does to the page's layout (the chart on screen is sized by its
/// container, which print media hides or narrows).
pub fn print_image(option: &ChartOption, size: (u32, u32)) -> Result<String, JsValue> {
    let opts = js_sys::Object::new();
    let set = |object: &js_sys::Object, name: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(object, &JsValue::from_str(name), &value);
    };
    set(&opts, "renderer", JsValue::from_str("svg"));
    set(&opts, "ssr", JsValue::TRUE);
    set(&opts, "width", JsValue::from(size.0));
    set(&opts, "height", JsValue::from(size.1));
    let chart = echarts_init_off_screen(&JsValue::NULL, &JsValue::NULL, &opts.into())?;
    let drawn = option.to_js().and_then(|js| {
        if let Some(object) = js.dyn_ref::<js_sys::Object>() {
            set(object, "animation", JsValue::FALSE);
            set(object, "backgroundColor", JsValue::from_str("#ffffff"));
            // Paper has no buttons, and no legend pages ("1/2" and arrows): every entry shown,
            // in as many rows as it takes.
            let _ = js_sys::Reflect::delete_property(object, &JsValue::from_str("toolbox"));
            if let Ok(legend) = js_sys::Reflect::get(object, &JsValue::from_str("legend")) {
                let legends = match legend.dyn_ref::<js_sys::Array>() {
                    Some(all) => all.iter().collect(),
                    None => vec![legend],
                };
                for legend in legends.iter().filter_map(|l| l.dyn_ref::<js_sys::Object>()) {
                    set(legend, "type", JsValue::from_str("plain"));
                }
            }
        }
        chart.set_option(&js, true)?;
        chart.render_to_svg_string()
    });
    chart.dispose();
    Ok(format!(
        "data:image/svg+xml;charset=utf-8,{}",
        js_sys::encode_uri_component(&drawn?)
    ))
}

/// A click on an element of a series: which series and which of its data items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartClick {
    /// The series' name (`seriesName`).
    pub series_name: String,
    /// The item's name: its category, slice or word (`name`).
    pub name: String,
    /// The item's index in its series' data (`dataIndex`).
    pub data_index: usize,
    /// The series' index in the option (`seriesIndex`).
    pub series_index: usize,
}

impl ChartClick {
    /// Reads ECharts' click event parameters; `None` for a click on anything but a series
    /// item (a title, the legend, the toolbox).
    fn from_event(params: &JsValue) -> Option<ChartClick> {
        let field = |name: &str| js_sys::Reflect::get(params, &JsValue::from_str(name)).ok();
        let text = |name: &str| field(name).and_then(|v| v.as_string()).unwrap_or_default();
        let index = |name: &str| {
            field(name)
                .and_then(|v| v.as_f64())
                .filter(|i| *i >= 0.0 && i.fract() == 0.0)
                .map(|i| i as usize)
        };
        if text("componentType") != "series" {
            return None;
        }
        Some(ChartClick {
            series_name: text("seriesName"),
            name: text("name"),
            data_index: index("dataIndex")?,
            series_index: index("seriesIndex")?,
        })
    }
}

/// A chart's ECharts option: built with charming, or raw JSON for what charming has no
/// builder for (the word-cloud series).
#[derive(Debug, Clone, PartialEq)]
pub struct ChartOption(serde_json::Value);

impl From<Chart> for ChartOption {
    fn from(chart: Chart) -> Self {
        ChartOption(serde_json::to_value(&chart).expect("a charming chart serialises to JSON"))
    }
}

impl From<serde_json::Value> for ChartOption {
    fn from(option: serde_json::Value) -> Self {
        ChartOption(option)
    }
}

impl ChartOption {
    /// The option as a JavaScript object (`JSON.parse` of its JSON text).
    fn to_js(&self) -> Result<JsValue, JsValue> {
        js_sys::JSON::parse(&self.0.to_string())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChartState {
    Loading,
    Ready,
    Failed,
}

/// The live ECharts instance, the observer that keeps it sized to its container and the
/// click and image handlers, if any (the closures live as long as the chart).
struct LiveChart {
    instance: EChartsInstance,
    observer: ResizeObserver,
    _on_resize: Closure<dyn FnMut()>,
    _on_click: Option<Closure<dyn FnMut(JsValue)>>,
}

impl LiveChart {
    fn start(
        element: &web_sys::HtmlElement,
        on_click: Option<Callback<ChartClick>>,
    ) -> Result<LiveChart, JsValue> {
        let instance = echarts_init(element)?;
        let resized: EChartsInstance = JsValue::from(&instance).unchecked_into();
        let on_resize = Closure::<dyn FnMut()>::new(move || resized.resize());
        let observer = ResizeObserver::new(on_resize.as_ref().unchecked_ref())?;
        observer.observe(element);
        let on_click = on_click.map(|callback| {
            let handler = Closure::<dyn FnMut(JsValue)>::new(move |params: JsValue| {
                if let Some(click) = ChartClick::from_event(&params) {
                    callback.run(click);
                }
            });
            instance.on("click", handler.as_ref().unchecked_ref());
            handler
        });
        Ok(LiveChart {
            instance,
            observer,
            _on_resize: on_resize,
            _on_click: on_click,
        })
    }

    fn show(&self, option: &ChartOption) {
        let shown = option
            .to_js()
            .and_then(|option| self.instance.set_option(&option, true));
        if let Err(error) = shown {
            leptos::logging::error!("ECharts rejected the chart option: {error:?}");
        }
    }

    fn stop(self) {
        self.observer.disconnect();
        self.instance.dispose();
    }
}

/// One chart drawn by ECharts, with a loading state and an error state if ECharts cannot load.
#[component]
pub fn EChart(
    /// The chart to draw; when it changes the chart is updated in place.
    #[prop(into)]
    option: Signal<ChartOption>,
    /// Names the chart for assistive technology (the `aria-label` of the `role="img"` area).
    #[prop(into)]
    label: Signal<String>,
    /// Called with the series item the user clicked (mouse only: pair it with a keyboard way
    /// to the same place).
    #[prop(optional, into)]
    on_click: Option<Callback<ChartClick>>,
    /// Called with the chart drawn at [`PRINT_SIZE`] as an SVG `data:` URL (on white) each
    /// time its option is shown: what a printed page shows instead of the chart on screen.
    #[prop(optional, into)]
    on_image: Option<Callback<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let container = NodeRef::<Div>::new();
    let state = RwSignal::new(ChartState::Loading);
    let live = StoredValue::<Option<LiveChart>, LocalStorage>::new_local(None);

    Effect::new(move || {
        let Some(element) = container.get() else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Err(error) = loader::ensure_loaded().await {
                leptos::logging::error!("{error}");
                state.try_set(ChartState::Failed);
                return;
            }
            if live.is_disposed() || !element.is_connected() {
                return;
            }
            match LiveChart::start(&element, on_click) {
                Ok(chart) => {
                    live.set_value(Some(chart));
                    state.set(ChartState::Ready);
                }
                Err(error) => {
                    leptos::logging::error!("ECharts could not start: {error:?}");
                    state.set(ChartState::Failed);
                }
            }
        });
    });

    Effect::new(move || {
        if state.get() == ChartState::Ready {
            option.with(|option| {
                live.with_value(|chart| chart.iter().for_each(|c| c.show(option)));
                if let Some(on_image) = on_image {
                    match print_image(option, PRINT_SIZE) {
                        Ok(url) => on_image.run(url),
                        Err(error) => leptos::logging::error!("no image of the chart: {error:?}"),
                    }
                }
            });
        }
    });

    on_cleanup(move || {
        if let Some(chart) = live.try_update_value(Option::take).flatten() {
            chart.stop();
        }
    });

    view! {
        <div class="echart">
            <div
                node_ref=container
                class="echart-canvas"
                role="img"
                aria-label=move || label.get()
                hidden=move || state.get() == ChartState::Failed
            ></div>
            {move || match state.get() {
                ChartState::Loading => {
                    EitherOf3::A(
                        view! {
                            <p class="echart-status" role="status">
                                {t!(i18n, status.loading)}
                            </p>
                        },
                    )
                }
                ChartState::Failed => {
                    EitherOf3::B(
                        view! {
                            <p class="notice notice-error" role="alert">
                                {t!(i18n, errors.chart_unavailable)}
                            </p>
                        },
                    )
                }
                ChartState::Ready => EitherOf3::C(()),
            }}
        </div>
    }
}
