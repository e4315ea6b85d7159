//! Emits `client_methods.rs`, the `calls` module: one call type per Bot API
//! method (its request bound to a client, optional parameters as setters,
//! sent when awaited), each on a rustdoc page of its own, and one `Client`
//! method per Bot API method taking the required parameters and returning
//! that call.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::field_summary;
use super::tokens::{doc, ident, rust_ty};
use super::Cx;
use crate::ir::{Api, MethodItem};

/// Tokens of the whole `client_methods` module body. Inherent impls on the
/// runtime's `Client` are only possible inside the runtime crate; elsewhere
/// (build-time use) nothing is emitted and requests are sent with
/// `client.call(Request::new(..))`.
pub fn emit_client(cx: &Cx, api: &Api) -> TokenStream {
    if !cx.inherent_client {
        return TokenStream::new();
    }
    let rt = &cx.rt;
    let fns = api.methods.iter().map(|m| client_fn(cx, m));
    let calls = api.methods.iter().map(|m| call_type(cx, m));
    quote! {
        impl #rt::Client {
            #(#fns)*
        }
        #(#calls)*
    }
}

fn client_fn(cx: &Cx, m: &MethodItem) -> TokenStream {
    let f = ident(&m.fn_ident);
    let s = ident(&m.struct_ident);
    let required: Vec<_> = m.params.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|p| {
        let n = ident(&p.ident);
        let t = rust_ty(cx, p.ty.unboxed());
        quote!(#n: impl ::std::convert::Into<#t>)
    });
    let names = required.iter().map(|p| ident(&p.ident));
    let mut text = format!(
        "{}\n\nCalls `{}`; `.await` the result to send it.",
        m.summary.trim(),
        m.wire
    );
    if m.params.iter().any(|p| !p.required) {
        text.push_str(&format!(
            " Optional parameters are set on the returned [`{}`] first.",
            m.struct_ident
        ));
    }
    text.push_str(&format!("\n\nTelegram docs: <{}>", m.doc_link));
    let d = doc(&text);
    quote! {
        #d
        pub fn #f(&self, #(#args),*) -> #s<'_> {
            #s(self.call(super::methods::#s::new(#(#names),*)))
        }
    }
}

/// The call type of one method: a newtype of the runtime's `Call` with the
/// method's setters, so that its page lists only them. Its own functions
/// are `#[inline]`: having no type parameters, they would otherwise be
/// compiled in this crate for every method, each instantiating the whole
/// send path (the boxed future of `Call`), whether a bot uses the method or
/// not; inline, they are compiled where they are used.
fn call_type(cx: &Cx, m: &MethodItem) -> TokenStream {
    let rt = &cx.rt;
    let s = ident(&m.struct_ident);
    let request = quote!(super::methods::#s);
    let setters = m.params.iter().filter(|p| !p.required).map(|p| {
        let n = ident(&p.setter);
        let t = rust_ty(cx, p.ty.unboxed());
        let d = doc(&format!("Set `{}`: {}", p.wire, field_summary(p)));
        quote! {
            #d
            pub fn #n(self, value: impl ::std::convert::Into<#t>) -> Self {
                Self(self.0.map(|r| r.#n(value)))
            }
        }
    });
    let pages = m.paging.as_ref().map(|_| {
        quote! {
            /// Walk every page of results, item by item.
            #[inline]
            pub fn pages(self) -> #rt::Pages<'a, #request> {
                self.0.pages()
            }
        }
    });
    let d = doc(&format!(
        "`{}` bound to a client, made by [`Client::{}`](crate::Client::{}): set optional parameters with its methods, then `.await` it to send.\n\nTelegram docs: <{}>",
        m.wire, m.fn_ident, m.fn_ident, m.doc_link
    ));
    let call = quote!(#rt::Call<'a, #request>);
    quote! {
        #d
        #[must_use = "a call does nothing until it is awaited"]
        pub struct #s<'a>(#call);

        impl<'a> #s<'a> {
            #(#setters)*
            #pages

            /// Time limit of this HTTP request, instead of the client's.
            #[inline]
            pub fn http_timeout(self, limit: ::std::time::Duration) -> Self {
                Self(self.0.http_timeout(limit))
            }

            /// The request as built so far.
            #[inline]
            pub fn request(&self) -> &#request {
                self.0.request()
            }

            /// Take the request out, to send later with `Client::send`.
            #[inline]
            pub fn into_request(self) -> #request {
                self.0.into_request()
            }
        }

        impl<'a> ::std::convert::From<#s<'a>> for #call {
            #[inline]
            fn from(call: #s<'a>) -> Self {
                call.0
            }
        }

        impl<'a> ::std::future::IntoFuture for #s<'a> {
            type Output = <#call as ::std::future::IntoFuture>::Output;
            type IntoFuture = <#call as ::std::future::IntoFuture>::IntoFuture;
            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                ::std::future::IntoFuture::into_future(self.0)
            }
        }
    }
}
