//! Emits what makes a struct a request: the `Request` impl, the inherent
//! `validate()` next to constructor and setters, `Debug` hiding secrets,
//! the per-method error kind enum, and `Paginated`.

use proc_macro2::TokenStream;
use quote::quote;

use super::decl::constructor_and_setters;
use super::files;
use super::tokens::{doc, ident, rust_ty};
use super::Cx;
use crate::ir::{Api, MethodItem};

/// Some parameter is a secret (a webhook's secret token): `Debug` is
/// written out instead of derived, so that it stays out of the output.
pub fn hides_secrets(m: &MethodItem) -> bool {
    m.params.iter().any(|p| p.secret)
}

/// `impl` with the constructor, the setters and `validate()`.
pub fn inherent(cx: &Cx, m: &MethodItem) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&m.struct_ident);
    let ctor = constructor_and_setters(cx, &m.params, &m.wire, None);
    let wire = m.wire.as_str();
    quote! {
        impl #name {
            #ctor

            /// Check every argument against the schema's constraints, reporting
            /// all violations with their paths. The client does this before sending.
            pub fn validate(&self) -> ::std::result::Result<(), #rt::ValidationError> {
                #rt::validate::Validator::run(#wire, self)
            }
        }
    }
}

/// `Request::decode_reply` as a concrete function, compiled in the crate of
/// the generated code, for methods whose result the runtime decodes anyway
/// (plain values and the types of what its poller reads): their decoders
/// are then compiled once, here, and a bot's crate reuses them instead of
/// compiling them again. Other methods keep the trait's generic default,
/// compiled only in crates that call them, so nobody pays for decoders of
/// methods they never use.
fn decode_reply(cx: &Cx, m: &MethodItem) -> Option<TokenStream> {
    if !m.decode_in_runtime {
        return None;
    }
    let rt = &cx.rt;
    let ret = rust_ty(cx, &m.returns);
    let wire = m.wire.as_str();
    Some(quote! {
        #[inline(never)]
        fn decode_reply(status: u16, body: &[u8], token: &str) -> ::std::result::Result<#ret, #rt::Error> {
            #rt::de::parse_reply(#wire, status, body, token)
        }
    })
}

/// `impl Request`: wire name, idempotency, response type, the files to
/// upload and the reply decoder where they differ from the defaults.
pub fn request_impl(cx: &Cx, m: &MethodItem) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&m.struct_ident);
    let wire = m.wire.as_str();
    let ret = rust_ty(cx, &m.returns);
    let idempotent = m.idempotent.then(|| {
        quote!(
            const IDEMPOTENT: bool = true;
        )
    });
    let files = files::request_fn(cx, m);
    let decode_reply = decode_reply(cx, m);
    let throttle = throttle_target(cx, m);
    quote! {
        impl #rt::Request for #name {
            const METHOD: &'static str = #wire;
            #idempotent
            type Response = #ret;
            #files
            #decode_reply
            #throttle
        }
    }
}

/// `Request::throttle_target` for a method that puts messages into a chat:
/// the chat it names and whether it asks for paid broadcasting. Other
/// methods keep the trait's default (not counted).
fn throttle_target(cx: &Cx, m: &MethodItem) -> Option<TokenStream> {
    let send = m.chat_send.as_ref()?;
    let rt = &cx.rt;
    let chat = ident(&send.chat);
    let paid = match &send.paid_broadcast {
        None => quote!(false),
        Some((field, true)) => {
            let field = ident(field);
            quote!(self.#field)
        }
        Some((field, false)) => {
            let field = ident(field);
            quote!(self.#field == ::std::option::Option::Some(true))
        }
    };
    Some(quote! {
        fn throttle_target(&self) -> ::std::option::Option<#rt::throttle::Target> {
            #rt::throttle::Target::of_chat(&self.#chat, #paid)
        }
    })
}

/// `Debug` for a request with secret parameters: they show as `<redacted>`
/// (or `None` when unset). Nothing for other requests, which derive it.
pub fn debug_impl(m: &MethodItem) -> Option<TokenStream> {
    if !hides_secrets(m) {
        return None;
    }
    let name = ident(&m.struct_ident);
    let struct_name = m.struct_ident.as_str();
    let entries = m.params.iter().map(|p| {
        let field = ident(&p.ident);
        let label = p.ident.as_str();
        match (p.secret, p.required) {
            (false, _) => quote!(.field(#label, &self.#field)),
            (true, true) => quote!(.field(#label, &"<redacted>")),
            (true, false) => quote!(.field(#label, &self.#field.as_ref().map(|_| "<redacted>"))),
        }
    });
    Some(quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#struct_name)
                    #(#entries)*
                    .finish()
            }
        }
    })
}

/// The enum of the catalogued errors a method can produce, with lookups
/// from a kind and from an error, and `error_kind` on the request.
pub fn error_enum(cx: &Cx, api: &Api, m: &MethodItem) -> Option<TokenStream> {
    let enum_name = m.error_enum.as_deref()?;
    let rt = &cx.rt;
    let name = ident(enum_name);
    let method = ident(&m.struct_ident);
    let entries: Vec<_> = m
        .errors
        .iter()
        .filter_map(|e| api.errors.iter().find(|x| &x.ident == e))
        .collect();
    let decls = entries.iter().map(|e| {
        let v = ident(&e.ident);
        let d = doc(&format!(
            "{} (`{}`: \"{}\")",
            e.summary.trim(),
            e.code,
            e.description
        ));
        quote!(#d #v,)
    });
    let arms = entries.iter().map(|e| {
        let v = ident(&e.ident);
        quote!(super::error_kinds::ErrorKind::#v => ::std::option::Option::Some(Self::#v),)
    });
    let d = doc(&format!(
        "Known errors of `{}`, for a `match`. Anything else is `None` from `{}::from_error`.",
        m.wire, enum_name
    ));
    Some(quote! {
        #d
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name { #(#decls)* }

        impl #name {
            /// The kind of a catalogued error, if this method is known to produce it.
            #[allow(unreachable_patterns)]
            pub fn from_kind(kind: super::error_kinds::ErrorKind) -> ::std::option::Option<Self> {
                match kind {
                    #(#arms)*
                    _ => ::std::option::Option::None,
                }
            }

            /// The kind of an error returned by this method, when it is a known one.
            pub fn from_error(err: &#rt::Error) -> ::std::option::Option<Self> {
                let api = err.api()?;
                super::error_kinds::ErrorKind::classify(api.code, &api.description).and_then(Self::from_kind)
            }
        }

        impl #method {
            /// The known kind of an error this request produced, if any.
            pub fn error_kind(err: &#rt::Error) -> ::std::option::Option<#name> {
                #name::from_error(err)
            }
        }
    })
}

/// `impl Paginated` for a method the schema marks as paging by offset.
pub fn paginated(cx: &Cx, m: &MethodItem) -> Option<TokenStream> {
    let p = m.paging.as_ref()?;
    let rt = &cx.rt;
    let name = ident(&m.struct_ident);
    let offset = ident(&p.offset);
    let items = ident(&p.items);
    let total = ident(&p.total);
    let item = rust_ty(cx, &p.item);
    Some(quote! {
        impl #rt::Paginated for #name {
            type Item = #item;
            fn offset(&self) -> ::std::option::Option<i64> {
                self.#offset
            }
            fn with_offset(&self, offset: i64) -> Self {
                let mut next = self.clone();
                next.#offset = ::std::option::Option::Some(offset);
                next
            }
            fn into_page(response: Self::Response) -> (::std::vec::Vec<Self::Item>, i64) {
                (response.#items, response.#total)
            }
        }
    })
}
