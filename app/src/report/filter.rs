//! A report's filter, declared once. `report::filter!` takes the filter's fields and
//! makes the struct (every field a text box's `Option<String>`, serde for its server
//! function and its CSV download), its query string (`query`), its reading from a page's
//! query (`from_query`), and the [`Filter`] impl the generic code uses. Adding a field
//! is one line.

/// What every report filter answers (made by `report::filter!`).
pub trait Filter: Clone + Default + PartialEq + Send + Sync + 'static {
    /// The fields, in the order the query string lists them.
    const FIELDS: &'static [&'static str];

    /// The value of `field`, as sent.
    fn value(&self, field: &str) -> Option<&str>;

    /// The filter of a page's query (`get` answers one parameter).
    fn from_query(get: impl Fn(&str) -> Option<String>) -> Self;

    /// The filter as a query string (without `?`), empty values left out.
    fn query(&self) -> String {
        Self::FIELDS
            .iter()
            .filter_map(|field| {
                self.value(field)
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("{field}={}", crate::ui::form::encode_query_value(v)))
            })
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// The filter of the page's query, as it changes (a report page's first line).
pub fn use_filter<F: Filter>() -> impl Fn() -> F + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || leptos::prelude::With::with(&query, |q| F::from_query(|k| q.get(k)))
}

/// The page of a paged list the query asks for (`page`, the first when none).
pub fn use_page() -> impl Fn() -> usize + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || {
        leptos::prelude::With::with(&query, |q| {
            q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0)
        })
    }
}

/// Declares a report filter: `filter! { /// doc  pub struct Name { /// doc  field, … } }`.
macro_rules! filter {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$field_meta:meta])* $field:ident ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            $( $(#[$field_meta])* pub $field: Option<String>, )*
        }

        impl $crate::report::Filter for $name {
            const FIELDS: &'static [&'static str] = &[$( stringify!($field) ),*];

            fn value(&self, field: &str) -> Option<&str> {
                match field {
                    $( stringify!($field) => self.$field.as_deref(), )*
                    _ => None,
                }
            }

            fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
                $name { $( $field: get(stringify!($field)), )* }
            }
        }

        impl $name {
            /// The filter as a query string (without `?`), empty values left out.
            pub fn query(&self) -> String {
                $crate::report::Filter::query(self)
            }

            /// The filter of a page's query (`get` answers one parameter).
            pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
                <Self as $crate::report::Filter>::from_query(get)
            }
        }
    };
}
pub(crate) use filter;

#[cfg(test)]
mod tests {
    use super::Filter;

    filter! {
        /// A filter for the test.
        pub struct Toy {
            /// With a doc comment.
            organization_id,
            from,
            to,
        }
    }

    #[test]
    fn a_filter_is_its_query_string_and_back() {
        let toy = Toy {
            organization_id: Some("org 1".into()),
            from: Some(String::new()),
            to: Some("2026-12-07".into()),
        };
        assert_eq!(toy.query(), "organization_id=org%201&to=2026-12-07");
        assert_eq!(Toy::FIELDS, ["organization_id", "from", "to"]);
        let read = Toy::from_query(|k| match k {
            "organization_id" => Some("org 1".into()),
            "to" => Some("2026-12-07".into()),
            _ => None,
        });
        assert_eq!(read.query(), toy.query());
        assert_eq!(read.value("from"), None);
    }
}
