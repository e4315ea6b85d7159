//! Emits `methods.rs`: one request struct per method (constructor, setters,
//! `Request`, `Validate`), per-method error kind enums, and (inside the
//! runtime crate, behind its `serde-requests` feature) `Deserialize` for
//! requests plus a dispatch from wire method names to request types.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::common::*;
use super::dynamic::{dynamic, Listing};
use super::Cx;
use crate::ir::{Api, FieldItem, MethodItem};

/// Tokens of the whole `methods` module body.
pub fn emit_methods(cx: &Cx, api: &Api) -> TokenStream {
    let items = api.methods.iter().map(|m| emit_method(cx, api, m));
    let dynamic = cx
        .runtime_features
        .then(|| dynamic(cx, api, Listing::Methods));
    quote!(#(#items)* #dynamic)
}

fn method_doc(m: &MethodItem) -> String {
    format!(
        "{}\n\nRequest for `{}`; send it with `Client::send` or build it through `Client::{}`.\n\nTelegram docs: <{}>",
        m.summary.trim(),
        m.wire,
        m.fn_ident,
        m.doc_link
    )
}

/// `Request::decode_reply` as a concrete function, compiled in the crate of
/// the generated code, for methods whose result the runtime decodes anyway
/// (plain values and the types of what its poller reads): their decoders
/// are then compiled once, here, and a bot's crate reuses them instead of
/// compiling them again. Other methods keep the trait's generic default,
/// compiled only in crates that call them, so nobody pays for decoders of
/// methods they never use.
fn decode_reply_override(cx: &Cx, m: &MethodItem) -> Option<TokenStream> {
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

fn emit_method(cx: &Cx, api: &Api, m: &MethodItem) -> TokenStream {
    let rt = &cx.rt;
    let decode_reply = decode_reply_override(cx, m);
    let name = ident(&m.struct_ident);
    let d = doc(&method_doc(m));
    let decls = struct_fields(cx, &m.params, cx.runtime_features);
    let ctor = constructor_and_setters(cx, &m.params, &m.wire, None);
    let validate = validate_impl(cx, quote!(#name), &m.params);
    let wire = m.wire.as_str();
    let ret = rust_ty(cx, &m.returns);
    let idempotent = m.idempotent.then(|| {
        quote!(
            const IDEMPOTENT: bool = true;
        )
    });
    let files = m.has_files.then(|| {
        let body = visit_files_body(cx, &m.params);
        quote! {
            fn visit_files<'a>(&'a self, f: &mut dyn FnMut(&'a #rt::InputFile)) { #body }
        }
    });
    let errors = m
        .error_enum
        .as_ref()
        .map(|e| emit_error_enum(cx, api, m, e));
    let paging = m.paging.as_ref().map(|p| {
        let offset = ident(&p.offset);
        let items = ident(&p.items);
        let total = ident(&p.total);
        let item = rust_ty(cx, &p.item);
        quote! {
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
        }
    });
    let default = m
        .params
        .iter()
        .all(|p| !p.required)
        .then(|| quote!(Default,));
    let serialize = fields_serialize(&name, &m.params);
    let deserialize = cx
        .runtime_features
        .then(|| quote!(#[cfg_attr(feature = "serde-requests", derive(::serde::Deserialize))]));
    // Secrets (a webhook's secret token) stay out of `Debug` output.
    let (derive_debug, debug_impl) = if m.params.iter().any(|p| p.secret) {
        (
            None,
            Some(debug_hiding_secrets(&name, &m.struct_ident, &m.params)),
        )
    } else {
        (Some(quote!(Debug,)), None)
    };
    quote! {
        #d
        #[derive(#derive_debug Clone, #default)]
        #deserialize
        #[non_exhaustive]
        pub struct #name { #decls }

        #serialize

        impl #name {
            #ctor

            /// Check every argument against the schema's constraints, reporting
            /// all violations with their paths. The client does this before sending.
            pub fn validate(&self) -> ::std::result::Result<(), #rt::ValidationError> {
                #rt::validate::Validator::run(#wire, self)
            }
        }

        impl #rt::Request for #name {
            const METHOD: &'static str = #wire;
            #idempotent
            type Response = #ret;
            #files
            #decode_reply
        }

        #debug_impl
        #validate
        #errors
        #paging
    }
}

/// `Debug` for a request with secret parameters: they show as `<redacted>`
/// (or `None` when unset).
fn debug_hiding_secrets(name: &Ident, struct_name: &str, params: &[FieldItem]) -> TokenStream {
    let entries = params.iter().map(|p| {
        let field = ident(&p.ident);
        let label = p.ident.as_str();
        match (p.secret, p.required) {
            (false, _) => quote!(.field(#label, &self.#field)),
            (true, true) => quote!(.field(#label, &"<redacted>")),
            (true, false) => quote!(.field(#label, &self.#field.as_ref().map(|_| "<redacted>"))),
        }
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#struct_name)
                    #(#entries)*
                    .finish()
            }
        }
    }
}

fn emit_error_enum(cx: &Cx, api: &Api, m: &MethodItem, enum_name: &str) -> TokenStream {
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
    quote! {
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
    }
}
