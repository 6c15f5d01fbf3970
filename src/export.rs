//! Exports the diagram as a file the user can keep: SVG (the diagram itself, with its styles
//! embedded so it looks the same outside the page) or PNG (the same SVG drawn on a canvas).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, Document, Element, HtmlAnchorElement, HtmlCanvasElement, HtmlImageElement, Url};

/// The diagram's look, embedded in exported files (light theme, fixed colours).
const EXPORT_CSS: &str = "\
text{font-family:system-ui,sans-serif;font-size:13px;fill:#1c2330}\
text.name{font-weight:600}text.stats{fill:#5b6578;font-size:12px}\
.node rect{stroke:#d5dae3;stroke-width:1.5}.source rect{fill:#e9f1ff}.bus rect{fill:#fff4dc}\
.listener rect{fill:#e8f7ee}.edge{stroke:#d5dae3;stroke-width:2}.queue-bar{fill:#c0392b}\
.queue-gauge{fill:none;stroke:#d5dae3}.message.in-flight{fill:#2f6fde}\
.node.active>rect:first-of-type{stroke:#f2c94c;stroke-width:3}";

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
    let style = document()?.create_element_ns(Some("http://www.w3.org/2000/svg"), "style")?;
    style.set_text_content(Some(EXPORT_CSS));
    copy.insert_before(&style, copy.first_child().as_ref())?;
    let background = document()?.create_element_ns(Some("http://www.w3.org/2000/svg"), "rect")?;
    for (name, value) in [("width", "100%"), ("height", "100%"), ("fill", "#ffffff")] {
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
