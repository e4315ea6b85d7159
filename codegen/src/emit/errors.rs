//! Emits `error_kinds.rs`: the catalogue of known Bot API errors as one enum,
//! with classification of a reply by code and description prefix.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{doc, ident};
use crate::ir::Api;

/// Tokens of the whole `error_kinds` module body.
pub fn emit_error_kinds(api: &Api) -> TokenStream {
    let decls = api.errors.iter().map(|e| {
        let v = ident(&e.ident);
        let d = doc(&format!(
            "{}\n\nTelegram replies `{}` with \"{}\".",
            e.summary.trim(),
            e.code,
            e.description
        ));
        quote!(#d #v,)
    });
    let table = api.errors.iter().map(|e| {
        let v = ident(&e.ident);
        let code = i64::from(e.code);
        let desc = e.description.as_str();
        quote!((ErrorKind::#v, #code, #desc),)
    });
    quote! {
        /// A known error reply of the Bot API, from the schema's error catalogue.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorKind { #(#decls)* }

        /// Each kind with its `error_code` and description (or fixed prefix).
        const TABLE: &[(ErrorKind, i64, &str)] = &[#(#table)*];

        impl ErrorKind {
            /// Recognise a reply: the code must match and the description must
            /// start with the catalogued text (ASCII case ignored).
            pub fn classify(code: i64, description: &str) -> ::std::option::Option<ErrorKind> {
                TABLE
                    .iter()
                    .find(|(_, c, d)| {
                        *c == code && description.get(..d.len()).is_some_and(|p| p.eq_ignore_ascii_case(d))
                    })
                    .map(|(k, _, _)| *k)
            }

            /// The `error_code` Telegram sends for this kind.
            pub fn code(self) -> i64 {
                TABLE.iter().find(|(k, _, _)| *k == self).map_or(0, |(_, c, _)| *c)
            }

            /// The description (or its fixed prefix) Telegram sends for this kind.
            pub fn description(self) -> &'static str {
                TABLE.iter().find(|(k, _, _)| *k == self).map_or("", |(_, _, d)| *d)
            }
        }
    }
}
