//! Assembles `methods.rs`: per method its request struct, `Serialize`, the
//! inherent impl, `Request`, `Debug` when secrets hide, `Validate`, its
//! error kind enum and `Paginated`; `dynamic` last.

use proc_macro2::TokenStream;
use quote::quote;

use super::dynamic::{dynamic, Listing};
use super::tokens::ident;
use super::{decl, request, ser, validate, Cx};
use crate::ir::{Api, MethodItem};

/// Tokens of the whole `methods` module body.
pub fn emit_methods(cx: &Cx, api: &Api) -> TokenStream {
    let items = api.methods.iter().map(|m| emit_method(cx, api, m));
    let dynamic = cx
        .runtime_features
        .then(|| dynamic(cx, api, Listing::Methods));
    quote!(#(#items)* #dynamic)
}

fn emit_method(cx: &Cx, api: &Api, m: &MethodItem) -> TokenStream {
    let name = ident(&m.struct_ident);
    let decl = decl::request(cx, m);
    let serialize = ser::request(&name, &m.params);
    let inherent = request::inherent(cx, m);
    let request_impl = request::request_impl(cx, m);
    let debug = request::debug_impl(m);
    let validate = validate::fields(cx, quote!(#name), &m.params, &m.rules);
    let errors = request::error_enum(cx, api, m);
    let paging = request::paginated(cx, m);
    quote! {
        #decl
        #serialize
        #inherent
        #request_impl
        #debug
        #validate
        #errors
        #paging
    }
}
