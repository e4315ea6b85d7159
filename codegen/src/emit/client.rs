//! Emits `client_methods.rs`: one `Client` method per Bot API method taking
//! the required parameters, and the optional ones as setters on `Call`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::field_summary;
use super::tokens::{doc, ident, rust_ty};
use super::Cx;
use crate::ir::{Api, MethodItem};

/// Tokens of the whole `client_methods` module body. Inherent impls on the
/// runtime's `Client` and `Call` are only possible inside the runtime crate;
/// elsewhere (build-time use) nothing is emitted and requests are sent with
/// `client.call(Request::new(..))`.
pub fn emit_client(cx: &Cx, api: &Api) -> TokenStream {
    if !cx.inherent_client {
        return TokenStream::new();
    }
    let rt = &cx.rt;
    let fns = api.methods.iter().map(|m| client_fn(cx, m));
    let calls = api.methods.iter().map(|m| call_setters(cx, m));
    quote! {
        impl #rt::Client {
            #(#fns)*
        }
        #(#calls)*
    }
}

fn client_fn(cx: &Cx, m: &MethodItem) -> TokenStream {
    let rt = &cx.rt;
    let f = ident(&m.fn_ident);
    let s = ident(&m.struct_ident);
    let required: Vec<_> = m.params.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|p| {
        let n = ident(&p.ident);
        let t = rust_ty(cx, p.ty.unboxed());
        quote!(#n: impl ::std::convert::Into<#t>)
    });
    let names = required.iter().map(|p| ident(&p.ident));
    let optional: Vec<String> = m
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| format!("`{}`", p.setter))
        .collect();
    let mut text = format!(
        "{}\n\nCalls `{}`; `.await` the result to send it.",
        m.summary.trim(),
        m.wire
    );
    if !optional.is_empty() {
        text.push_str(&format!(
            " Optional parameters are set on the returned call: {}.",
            optional.join(", ")
        ));
    }
    text.push_str(&format!("\n\nTelegram docs: <{}>", m.doc_link));
    let d = doc(&text);
    quote! {
        #d
        pub fn #f(&self, #(#args),*) -> #rt::Call<'_, super::methods::#s> {
            self.call(super::methods::#s::new(#(#names),*))
        }
    }
}

fn call_setters(cx: &Cx, m: &MethodItem) -> TokenStream {
    let rt = &cx.rt;
    let s = ident(&m.struct_ident);
    let setters: Vec<_> = m
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| {
            let n = ident(&p.setter);
            let t = rust_ty(cx, p.ty.unboxed());
            let d = doc(&format!("Set `{}`: {}", p.wire, field_summary(p)));
            quote! {
                #d
                pub fn #n(self, value: impl ::std::convert::Into<#t>) -> Self {
                    self.map(|r| r.#n(value))
                }
            }
        })
        .collect();
    if setters.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl #rt::Call<'_, super::methods::#s> {
            #(#setters)*
        }
    }
}
