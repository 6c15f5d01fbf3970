//! Exports the diagram as a file the user can keep: SVG (the diagram itself, each element
//! carrying the style it has on screen, so it looks the same outside the page in the theme it
//! was exported from) or PNG (the same SVG drawn on a canvas).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, Document, Element, HtmlAnchorElement, HtmlCanvasElement, HtmlImageElement, Url};

/// The presentation properties copied from the screen onto each exported element, with the
/// value each has when nothing sets it (left out of the copy): together they are everything
/// the stylesheet sets on the diagram.
const EXPORTED_PROPERTIES: &[(&str, &str)] = &[
    ("fill", "rgb(0, 0, 0)"),
    ("fill-opacity", "1"),
    ("stroke", "none"),
    ("stroke-width", "1px"),
    ("stroke-dasharray", "none"),
    ("stroke-linejoin", "miter"),
    ("stroke-linecap", "butt"),
    ("opacity", "1"),
    ("paint-order", "normal"),
    ("font-size", "16px"),
    ("font-weight", "400"),
    ("letter-spacing", "normal"),
    ("text-transform", "none"),
];

fn document() -> Result<Document, JsValue> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))
}

/// The diagram as a standalone SVG document.
pub fn diagram_svg(svg: &Element) -> Result<String, JsValue> {
    let copy: Element = svg.clone_node_with_deep(true)?.dyn_into()?;
    copy.set_attribute("xmlns", "http://www.w3.org/2000/svg")?;
    let view_box = svg.get_attribute("viewBox").unwrap_or_default();
    let size: Vec<&str> = view_box.split_whitespace().collect();
    if size.len() == 4 {
        copy.set_attribute("width", size[2])?;
        copy.set_attribute("height", size[3])?;
    }
    // Every element as it is drawn now: the copy has the same elements in the same order.
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let live = svg.query_selector_all("*")?;
    let copied = copy.query_selector_all("*")?;
    for i in 0..live.length().min(copied.length()) {
        let (Some(from), Some(to)) = (live.item(i), copied.item(i)) else {
            continue;
        };
        let (Ok(from), Ok(to)) = (from.dyn_into::<Element>(), to.dyn_into::<Element>()) else {
            continue;
        };
        let Some(computed) = window.get_computed_style(&from)? else {
            continue;
        };
        let style: String = EXPORTED_PROPERTIES
            .iter()
            .filter_map(|(p, unset)| {
                let value = computed.get_property_value(p).ok()?;
                (value != *unset).then(|| format!("{p}:{value};"))
            })
            .collect();
        if !style.is_empty() {
            to.set_attribute("style", &style)?;
        }
        to.remove_attribute("tabindex")?;
    }
    // The typeface, once for the whole picture.
    let font = window
        .get_computed_style(svg)?
        .and_then(|c| c.get_property_value("font-family").ok())
        .unwrap_or_else(|| "sans-serif".into());
    let style = document()?.create_element_ns(Some("http://www.w3.org/2000/svg"), "style")?;
    style.set_text_content(Some(&format!("svg{{font-family:{font}}}")));
    copy.insert_before(&style, copy.first_child().as_ref())?;
    // The panel's colour behind it, as on screen.
    let panel = svg
        .closest(".diagram-panel")?
        .and_then(|p| window.get_computed_style(&p).ok().flatten())
        .and_then(|c| c.get_property_value("background-color").ok())
        .unwrap_or_else(|| "#ffffff".into());
    let background = document()?.create_element_ns(Some("http://www.w3.org/2000/svg"), "rect")?;
    for (name, value) in [("width", "100%"), ("height", "100%"), ("fill", panel.as_str())] {
        background.set_attribute(name, value)?;
    }
    copy.insert_before(&background, style.next_sibling().as_ref())?;
    Ok(copy.outer_html())
}

fn download(href: &str, filename: &str) -> Result<(), JsValue> {
    let link: HtmlAnchorElement = document()?.create_element("a")?.dyn_into()?;
    link.set_href(href);
    link.set_download(filename);
    link.click();
    Ok(())
}

/// Offers the diagram as `filename` (SVG).
pub fn download_svg(svg: &Element, filename: &str) -> Result<(), JsValue> {
    download_text(&diagram_svg(svg)?, "image/svg+xml", filename)
}

/// Offers `text` as a file named `filename` of the given media type (a scenario, a diagram).
pub fn download_text(text: &str, media_type: &str, filename: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(media_type);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    download(&url, filename)?;
    Url::revoke_object_url(&url)
}

/// Offers the diagram as `filename` (PNG at twice its size), once the browser has drawn it.
pub fn download_png(svg: &Element, filename: &str) -> Result<(), JsValue> {
    let text = diagram_svg(svg)?;
    let (width, height) = {
        let view_box = svg.get_attribute("viewBox").unwrap_or_default();
        let v: Vec<f64> = view_box
            .split_whitespace()
            .filter_map(eda_sim::view::builder::typed_number)
            .collect();
        if v.len() == 4 {
            (v[2], v[3])
        } else {
            (760.0, 300.0)
        }
    };
    let image = HtmlImageElement::new()?;
    let source = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        js_sys::encode_uri_component(&text)
    );
    let filename = filename.to_string();
    let drawn = image.clone();
    let on_load = Closure::once_into_js(move || {
        let result = (|| -> Result<(), JsValue> {
            let canvas: HtmlCanvasElement = document()?.create_element("canvas")?.dyn_into()?;
            canvas.set_width((width * 2.0) as u32);
            canvas.set_height((height * 2.0) as u32);
            let context: web_sys::CanvasRenderingContext2d = canvas
                .get_context("2d")?
                .ok_or_else(|| JsValue::from_str("no 2d context"))?
                .dyn_into()?;
            context.scale(2.0, 2.0)?;
            context.draw_image_with_html_image_element(&drawn, 0.0, 0.0)?;
            download(&canvas.to_data_url_with_type("image/png")?, &filename)
        })();
        if let Err(error) = result {
            web_sys::console::warn_2(&JsValue::from_str("The PNG export failed:"), &error);
        }
    });
    image.set_onload(Some(on_load.unchecked_ref()));
    image.set_src(&source);
    Ok(())
}
