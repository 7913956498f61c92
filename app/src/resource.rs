//! Page data loaded through server functions: [`Resource`] and [`resource`], used by
//! every page instead of Leptos's own `Resource::new`.
//!
//! A Leptos resource renders its value into the page as JSON and decodes it again in
//! the browser when the page hydrates; later loads come from the server function, whose
//! JSON answer server_fn decodes from bytes (`serde_json::from_slice`). Leptos's default
//! resource codec decodes from text (`serde_json::from_str`), a second reader, so the
//! browser bundle held two deserializers of every type a page reads — a fifth of the
//! bundle's code was serde_json (docs/PERFORMANCE.md, "What the bundle is made of").
//! [`JsonBytes`] reads the page's text as bytes: one deserializer per type.

use leptos::server::codee::{Decoder, Encoder};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;

/// The resource codec: JSON text in the page, decoded as bytes (the reader server_fn
/// uses for server-function answers).
pub struct JsonBytes;

impl<T: Serialize> Encoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(text: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(text.as_bytes())
    }
}

/// A page's data: a Leptos resource with the [`JsonBytes`] codec.
pub type Resource<T> = leptos::prelude::Resource<T, JsonBytes>;

/// Loads `fetcher(source())` on the server while the page renders (its value travels in
/// the page), and again in the browser whenever `source` changes.
#[track_caller]
pub fn resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, serde::Deserialize)]
    struct Row {
        name: String,
        count: u32,
        note: Option<String>,
    }

    #[test]
    fn a_value_comes_back_as_it_was_written_into_the_page() {
        let row = Row {
            name: "Ana \"Lu\" Ruiz — 5/1".into(),
            count: 3,
            note: None,
        };
        let text = <JsonBytes as Encoder<Row>>::encode(&row).expect("encodes");
        let back: Row = <JsonBytes as Decoder<Row>>::decode(&text).expect("decodes");
        assert_eq!(back, row);
    }

    #[test]
    fn text_that_is_not_the_type_is_refused() {
        let refused = <JsonBytes as Decoder<Row>>::decode(r#"{"name":"A","count":"three"}"#);
        assert!(refused.is_err());
    }
}
