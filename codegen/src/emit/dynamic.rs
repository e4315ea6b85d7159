//! Emits the `dynamic` modules of `types` and `methods`: the generated type
//! of a schema name, chosen at run time, behind the runtime's
//! `serde-requests` feature. One function writes both.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{doc, ident};
use super::Cx;
use crate::ir::Api;

/// Which `dynamic` module.
#[derive(Debug, Clone, Copy)]
pub enum Listing {
    /// `types::dynamic`: every type by its schema name.
    Types,
    /// `methods::dynamic`: every request type by its wire method name, for
    /// tools and tests that handle requests as JSON.
    Methods,
}

/// What sets the two modules apart.
struct Words<'a> {
    /// (wire name, Rust name) of every item, in schema order.
    names: Vec<(&'a str, &'a str)>,
    module_doc: &'static str,
    /// The constant of sorted wire names, and its doc.
    list: (&'static str, &'static str),
    /// The trait, its doc, its `call`'s type parameter and that one's doc.
    op: (&'static str, &'static str, &'static str, &'static str),
    /// What the type parameter must implement.
    bounds: TokenStream,
    /// The function picking the type, its argument, and its doc.
    pick: (&'static str, &'static str, String),
}

fn words<'a>(cx: &Cx, api: &'a Api, listing: Listing) -> Words<'a> {
    let rt = &cx.rt;
    match listing {
        Listing::Types => Words {
            names: api
                .types
                .iter()
                .map(|t| (t.wire.as_str(), t.ident.as_str()))
                .collect(),
            module_doc: "Types picked by their schema name at run time (cargo feature\n\
                         `serde-requests`).",
            list: ("TYPES", "Schema names of every type, sorted."),
            op: (
                "TypeFn",
                "An operation written once for every type; [`with_type`] picks the type.",
                "T",
                "Run the operation for the type `T`.",
            ),
            bounds: quote! {
                #rt::Validate
                    + ::serde::Serialize
                    + ::serde::de::DeserializeOwned
                    + ::std::fmt::Debug
                    + ::std::cmp::PartialEq
            },
            pick: (
                "with_type",
                "name",
                format!(
                    "Run `f` for the type named `name` in the schema (`{}`); `None`\n\
                     when no type has that name.",
                    api.example_type
                ),
            ),
        },
        Listing::Methods => Words {
            names: api
                .methods
                .iter()
                .map(|m| (m.wire.as_str(), m.struct_ident.as_str()))
                .collect(),
            module_doc: "Requests picked by their wire method name at run time (cargo feature\n\
                         `serde-requests`, which also gives every request `Deserialize`).",
            list: ("METHODS", "Wire names of every method, sorted."),
            op: (
                "RequestFn",
                "An operation written once for every request type; [`with_request`]\n\
                 picks the type.",
                "R",
                "Run the operation for the request type `R`.",
            ),
            bounds: quote!(#rt::Request + ::serde::de::DeserializeOwned + ::std::fmt::Debug),
            pick: (
                "with_request",
                "method",
                format!(
                    "Run `f` for the request type of `method` (its wire name, `{}`);\n\
                     `None` when no method has that name.",
                    api.example_method
                ),
            ),
        },
    }
}

/// The `dynamic` module of one listing. A trait with a generic method
/// stands in for a closure generic over the type, so one `match` serves
/// every operation.
pub fn dynamic(cx: &Cx, api: &Api, listing: Listing) -> TokenStream {
    let w = words(cx, api, listing);
    let module_doc = doc(w.module_doc);
    let (list, list_doc) = (ident(w.list.0), doc(w.list.1));
    let (op, op_doc) = (ident(w.op.0), doc(w.op.1));
    let (param, call_doc) = (ident(w.op.2), doc(w.op.3));
    let bounds = w.bounds;
    let (pick, arg, pick_doc) = (ident(w.pick.0), ident(w.pick.1), doc(&w.pick.2));
    // Sorted: in schema order, a run of names would repeat the official
    // docs' enumerations word for word.
    let mut sorted: Vec<&str> = w.names.iter().map(|(wire, _)| *wire).collect();
    sorted.sort_unstable();
    let wires = w.names.iter().map(|(wire, _)| *wire);
    let idents = w.names.iter().map(|(_, i)| ident(i));
    quote! {
        #module_doc
        #[cfg(feature = "serde-requests")]
        pub mod dynamic {
            #list_doc
            pub const #list: &[&str] = &[#(#sorted),*];

            #op_doc
            pub trait #op {
                /// What the operation returns.
                type Output;
                #call_doc
                fn call<#param>(self) -> Self::Output
                where
                    #param: #bounds;
            }

            #pick_doc
            pub fn #pick<F: #op>(#arg: &str, f: F) -> ::std::option::Option<F::Output> {
                match #arg {
                    #(#wires => ::std::option::Option::Some(f.call::<super::#idents>()),)*
                    _ => ::std::option::Option::None,
                }
            }
        }
    }
}
