//! Emits every `Serialize` impl: objects (their tag first when they are a
//! variant of a tagged union, unknown keys last), objects with exclusive
//! parts, requests, and both kinds of union.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::tokens::ident;
use super::Cx;
use crate::ir::{Exclusive, FieldItem, Tag, TaggedVariant, TypeItem, UntaggedVariant};

/// `map.serialize_entry` statements for `fields` (of `self`), by wire name,
/// unset optional fields left out.
fn entries(fields: &[FieldItem]) -> TokenStream {
    let entries = fields.iter().map(|f| {
        let n = ident(&f.ident);
        let w = f.wire.as_str();
        if f.required {
            quote!(map.serialize_entry(#w, &self.#n)?;)
        } else {
            quote!(if let ::std::option::Option::Some(x) = &self.#n { map.serialize_entry(#w, x)?; })
        }
    });
    quote!(#(#entries)*)
}

/// Writing unknown keys kept in the field `extra` back after the others.
fn extra_entries(cx: &Cx, extra: &str) -> TokenStream {
    let rt = &cx.rt;
    let extra = ident(extra);
    quote! {
        if !self.#extra.is_empty() {
            #rt::de::write_extra(&mut map, &self.#extra)?;
        }
    }
}

/// The attribute on a type's `serialize`: a hint to inline it. A type is
/// serialized from its owner's `serialize` (a keyboard's loop calls the
/// button's once per button); inlined there, the call and the map's state
/// fold into the owner's code (about 4.6 % fewer instructions to serialize
/// the bench's message with a 2x2 keyboard, bench/RESULTS.md). A request's
/// is the root, called once per request, and gets none.
pub(super) fn inline_hint() -> TokenStream {
    quote!(#[inline])
}

/// `Serialize` writing a map: `body` adds the entries to `map`. A request
/// (`request`) gets no inline hint and allows what a struct without fields
/// leaves unused.
fn map_impl(name: &Ident, request: bool, body: TokenStream) -> TokenStream {
    let (hint, allow_imports, allow_mut) = if request {
        (
            TokenStream::new(),
            quote!(#[allow(unused_imports)]),
            quote!(#[allow(unused_mut)]),
        )
    } else {
        (inline_hint(), TokenStream::new(), TokenStream::new())
    };
    quote! {
        impl ::serde::Serialize for #name {
            #hint
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                #allow_imports
                use ::serde::ser::SerializeMap;
                #allow_mut
                let mut map = s.serialize_map(::std::option::Option::None)?;
                #body
                map.end()
            }
        }
    }
}

/// `Serialize` of an enum, one arm per variant serializing its payload.
fn match_impl(name: &Ident, arms: TokenStream) -> TokenStream {
    let hint = inline_hint();
    quote! {
        impl ::serde::Serialize for #name {
            #hint
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #arms
                }
            }
        }
    }
}

/// An object: its tag first when it is a variant of a tagged union (so it
/// carries the tag wherever it is used), then the fields (unset optional
/// ones skipped), then the unknown fields it was parsed with.
pub fn object(
    cx: &Cx,
    t: &TypeItem,
    fields: &[FieldItem],
    tag: Option<&Tag>,
    extra: &str,
) -> TokenStream {
    let tag_entry = tag.map(|t| {
        let key = t.key.as_str();
        match (t.numeric, t.value.parse::<i64>()) {
            (true, Ok(n)) => quote!(map.serialize_entry(#key, &#n)?;),
            _ => {
                let value = t.value.as_str();
                quote!(map.serialize_entry(#key, #value)?;)
            }
        }
    });
    let entries = entries(fields);
    let extra = extra_entries(cx, extra);
    map_impl(&ident(&t.ident), false, quote!(#tag_entry #entries #extra))
}

/// An object with exclusive parts: the required fields, then the one part
/// (or, for a part this version could not read, its raw keys), then the
/// unknown fields.
pub fn exclusive(
    cx: &Cx,
    t: &TypeItem,
    fields: &[FieldItem],
    x: &Exclusive,
    extra: &str,
) -> TokenStream {
    let kind = ident(&x.enum_ident);
    let kind_field = ident(&x.field);
    let entries = entries(fields);
    let var_idents = x.variants.iter().map(|(v, _)| ident(v));
    let var_wires = x.variants.iter().map(|(_, f)| f.wire.as_str());
    let extra = extra_entries(cx, extra);
    let body = quote! {
        #entries
        match &self.#kind_field {
            #(#kind::#var_idents(x) => map.serialize_entry(#var_wires, x)?,)*
            #kind::Unknown(rest) => {
                for (k, v) in rest {
                    map.serialize_entry(k, v)?;
                }
            }
            #kind::Undecodable(part) => {
                for (k, v) in &part.raw {
                    map.serialize_entry(k, v)?;
                }
            }
        }
        #extra
    };
    map_impl(&ident(&t.ident), false, body)
}

/// A request: every parameter by its wire name, unset optional ones left
/// out, as `#[derive(Serialize)]` with `skip_serializing_if` would write it.
pub fn request(name: &Ident, fields: &[FieldItem]) -> TokenStream {
    map_impl(name, true, entries(fields))
}

/// A tagged union: each variant type writes its own discriminator.
pub fn tagged(t: &TypeItem, variants: &[TaggedVariant]) -> TokenStream {
    let vis = variants.iter().map(|v| ident(&v.ident));
    let arms = quote! {
        #(Self::#vis(x) => ::serde::Serialize::serialize(x, s),)*
        Self::Unknown(raw) => ::serde::Serialize::serialize(raw, s),
    };
    match_impl(&ident(&t.ident), arms)
}

/// An untagged union: each variant as its value alone.
pub fn untagged(t: &TypeItem, variants: &[UntaggedVariant], unknown: bool) -> TokenStream {
    let vis = variants.iter().map(|v| ident(&v.ident));
    let unknown = unknown.then(|| quote!(Self::Unknown(x) => ::serde::Serialize::serialize(x, s),));
    let arms = quote! {
        #(Self::#vis(x) => ::serde::Serialize::serialize(x, s),)*
        #unknown
    };
    match_impl(&ident(&t.ident), arms)
}
