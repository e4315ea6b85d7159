//! Emits declarations: the structs and enums themselves, constructors and
//! setters, `From` impls of union variants, and deprecated aliases.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{code, field_doc, field_summary, method_doc};
use super::tokens::{doc, field_ty, ident, rust_ty};
use super::{de, request, Cx};
use crate::ir::{
    Exclusive, FieldItem, MethodItem, RustType, TaggedVariant, TypeItem, UntaggedVariant,
};

/// Struct field declarations with docs, and with the attributes of the
/// derived `Deserialize` when `with_serde`.
fn struct_fields(cx: &Cx, fields: &[FieldItem], with_serde: bool) -> TokenStream {
    let items = fields.iter().map(|f| {
        let d = doc(&field_doc(f));
        let attrs = if with_serde {
            de::request_field_attrs(f)
        } else {
            TokenStream::new()
        };
        let name = ident(&f.ident);
        let ty = field_ty(cx, f);
        quote!(#d #attrs pub #name: #ty,)
    });
    quote!(#(#items)*)
}

/// Parameter type of a constructor argument or setter (`impl Into<T>`).
fn arg_ty(cx: &Cx, f: &FieldItem) -> TokenStream {
    let t = rust_ty(cx, f.ty.unboxed());
    quote!(impl ::std::convert::Into<#t>)
}

/// Expression turning the argument `value` into the field's type.
fn convert(f: &FieldItem, value: &Ident) -> TokenStream {
    match &f.ty {
        RustType::Boxed(_) => quote!(::std::boxed::Box::new(#value.into())),
        _ => quote!(#value.into()),
    }
}

/// `new(required...)` and one chainable setter per optional field.
pub fn constructor_and_setters(
    cx: &Cx,
    fields: &[FieldItem],
    type_name: &str,
    extra: Option<&str>,
) -> TokenStream {
    let required: Vec<&FieldItem> = fields.iter().filter(|f| f.required).collect();
    let args = required.iter().map(|f| {
        let n = ident(&f.ident);
        let t = arg_ty(cx, f);
        quote!(#n: #t)
    });
    let inits = fields.iter().map(|f| {
        let n = ident(&f.ident);
        if f.required {
            let v = convert(f, &n);
            quote!(#n: #v)
        } else {
            quote!(#n: ::std::option::Option::None)
        }
    });
    let extra_init = extra.map(|e| {
        let e = ident(e);
        let rt = &cx.rt;
        quote!(#e: #rt::Extra::new())
    });
    let new_doc = doc(&format!(
        "Create a `{type_name}` from its required fields; optional ones start unset."
    ));
    let setters = fields.iter().filter(|f| !f.required).map(|f| {
        let n = ident(&f.ident);
        let s = ident(&f.setter);
        let t = arg_ty(cx, f);
        let value = ident("value");
        let v = convert(f, &value);
        let d = doc(&format!("Set {}: {}", code(&f.wire), field_summary(f)));
        quote! {
            #d
            #[must_use]
            pub fn #s(mut self, value: #t) -> Self {
                self.#n = ::std::option::Option::Some(#v);
                self
            }
        }
    });
    quote! {
        #new_doc
        #[allow(clippy::new_without_default)]
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits,)* #extra_init }
        }
        #(#setters)*
    }
}

/// An object's struct, keeping unknown keys in `extra`, and its
/// constructor and setters.
pub fn object(cx: &Cx, t: &TypeItem, fields: &[FieldItem], extra: &str) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&t.ident);
    let decls = struct_fields(cx, fields, false);
    let extra_ident = ident(extra);
    let ctor = constructor_and_setters(cx, fields, &t.wire, Some(extra));
    quote! {
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #decls
            /// Fields this version of the schema does not know, kept as raw JSON by key.
            pub #extra_ident: #rt::Extra,
        }
        impl #name { #ctor }
    }
}

/// An object made of required fields plus one of several exclusive parts:
/// its struct, the enum of parts (with `Unknown` and `Undecodable` for what
/// this version cannot read), and its constructor.
pub fn exclusive(
    cx: &Cx,
    t: &TypeItem,
    fields: &[FieldItem],
    x: &Exclusive,
    extra: &str,
) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&t.ident);
    let kind = ident(&x.enum_ident);
    let kind_field = ident(&x.field);
    let extra = ident(extra);
    let decls = struct_fields(cx, fields, false);
    let kind_doc = doc(&format!(
        "Which kind of {} this is: exactly one of its optional parts.",
        t.wire
    ));
    let enum_doc = doc(&format!(
        "The one part present in a `{}`. A part of a kind this version does not know is kept in `Unknown`, a known part that does not decode in `Undecodable`, both with their raw JSON.",
        t.wire
    ));
    let variants = x.variants.iter().map(|(v, f)| {
        let v = ident(v);
        let ty = rust_ty(cx, &f.ty);
        let d = doc(&format!("{} (`{}`)", field_summary(f), f.wire));
        quote!(#d #v(#ty),)
    });
    let idents: Vec<_> = fields.iter().map(|f| ident(&f.ident)).collect();
    let ctor_args = fields.iter().map(|f| {
        let n = ident(&f.ident);
        let ty = rust_ty(cx, &f.ty);
        quote!(#n: #ty)
    });
    quote! {
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #decls
            #kind_doc
            pub #kind_field: #kind,
            /// Keys next to a known part that this version does not know, as raw JSON
            /// (with an `Unknown` part they stay in the part's map instead).
            pub #extra: #rt::Extra,
        }

        #enum_doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #kind {
            #(#variants)*
            /// A part of a kind this version does not know (or no part at all), as
            /// raw JSON by key.
            Unknown(::serde_json::Map<::std::string::String, ::serde_json::Value>),
            /// A part of a known kind that did not decode: the kind, where and why,
            /// and the raw JSON.
            Undecodable(#rt::compat::Undecodable),
        }

        impl #name {
            /// Create from the required fields and the kind.
            pub fn new(#(#ctor_args,)* #kind_field: #kind) -> Self {
                Self { #(#idents,)* #kind_field, #extra: #rt::Extra::new() }
            }
        }
    }
}

/// A tagged union's enum (with `Unknown` for tags this version does not
/// know) and a `From` impl per variant.
pub fn tagged(t: &TypeItem, disc: &str, variants: &[TaggedVariant]) -> TokenStream {
    let name = ident(&t.ident);
    let decls = variants.iter().map(|v| {
        let vi = ident(&v.ident);
        let ty = ident(&v.ty);
        // The tag as it is written in JSON: a number, or a string.
        let d = if v.numeric {
            doc(&format!("`{disc}` is `{}`.", v.value))
        } else {
            doc(&format!("`{disc}` is `\"{}\"`.", v.value))
        };
        quote!(#d #vi(super::types::#ty),)
    });
    let vis = variants.iter().map(|v| ident(&v.ident));
    let tys = variants.iter().map(|v| ident(&v.ty));
    quote! {
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#decls)*
            /// A variant this version does not know, kept as raw JSON.
            Unknown(::serde_json::Value),
        }

        #(
            impl ::std::convert::From<super::types::#tys> for #name {
                fn from(x: super::types::#tys) -> Self { Self::#vis(x) }
            }
        )*
    }
}

/// An untagged union's enum, with `Unknown` when it keeps what matches no
/// variant.
pub fn untagged(cx: &Cx, t: &TypeItem, variants: &[UntaggedVariant], unknown: bool) -> TokenStream {
    let name = ident(&t.ident);
    let decls = variants.iter().map(|v| {
        let vi = ident(&v.ident);
        let ty = rust_ty(cx, &v.ty);
        quote!(#[allow(missing_docs)] #vi(#ty),)
    });
    let unknown_decl = unknown.then(|| {
        quote! {
            /// A value matching no known variant, kept as raw JSON.
            Unknown(::serde_json::Value),
        }
    });
    quote! {
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#decls)*
            #unknown_decl
        }
    }
}

/// `From` impls of an untagged union, for each payload type only one
/// variant has (integers also from `i32`, strings also from `&str`).
pub fn untagged_froms(cx: &Cx, t: &TypeItem, variants: &[UntaggedVariant]) -> TokenStream {
    let name = ident(&t.ident);
    let froms = variants
        .iter()
        .filter(|v| variants.iter().filter(|w| w.ty == v.ty).count() == 1)
        .map(|v| {
            let vi = ident(&v.ident);
            let ty = rust_ty(cx, &v.ty);
            let extra = match &v.ty {
                RustType::I64 => quote! {
                    impl ::std::convert::From<i32> for #name {
                        fn from(x: i32) -> Self { Self::#vi(x.into()) }
                    }
                },
                // An id also from the bare numbers it wraps.
                RustType::Id(_) => quote! {
                    impl ::std::convert::From<i64> for #name {
                        fn from(x: i64) -> Self { Self::#vi(x.into()) }
                    }
                    impl ::std::convert::From<i32> for #name {
                        fn from(x: i32) -> Self { Self::#vi(x.into()) }
                    }
                },
                RustType::String => quote! {
                    impl ::std::convert::From<&str> for #name {
                        fn from(x: &str) -> Self { Self::#vi(x.into()) }
                    }
                },
                _ => TokenStream::new(),
            };
            quote! {
                impl ::std::convert::From<#ty> for #name {
                    fn from(x: #ty) -> Self { Self::#vi(x) }
                }
                #extra
            }
        });
    quote!(#(#froms)*)
}

/// Deprecated aliases under a type's earlier names.
pub fn aliases(t: &TypeItem) -> TokenStream {
    let name = ident(&t.ident);
    let aliases = t.aliases.iter().map(|a| {
        let alias = ident(&a.ident);
        let note = a.note.as_str();
        let d = doc(&format!(
            "Earlier name of [`{}`]: {note}. Kept for one release.",
            t.ident
        ));
        quote! {
            #d
            #[deprecated(note = #note)]
            pub type #alias = #name;
        }
    });
    quote!(#(#aliases)*)
}

/// A request struct: one field per parameter, `Default` when none is
/// required, `Debug` derived unless a parameter is secret, `Deserialize`
/// derived behind the runtime's `serde-requests` feature.
pub fn request(cx: &Cx, m: &MethodItem) -> TokenStream {
    let name = ident(&m.struct_ident);
    let d = doc(&method_doc(m));
    let decls = struct_fields(cx, &m.params, cx.runtime_features);
    let default = m
        .params
        .iter()
        .all(|p| !p.required)
        .then(|| quote!(Default,));
    let derive_debug = (!request::hides_secrets(m)).then(|| quote!(Debug,));
    let deserialize = de::request_derive(cx);
    quote! {
        #d
        #[derive(#derive_debug Clone, #default)]
        #deserialize
        #[non_exhaustive]
        pub struct #name { #decls }
    }
}
