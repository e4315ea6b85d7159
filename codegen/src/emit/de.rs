//! Emits every `Deserialize` impl: objects and objects with exclusive parts
//! through one map-visitor skeleton, unions by holding their JSON text and
//! decoding from it (a tagged union's variant may instead read on from the
//! reader, in strict decoding, when the tag came first), and the derive
//! attributes of requests (behind the runtime's `serde-requests` feature).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::tokens::{ident, rust_ty};
use super::Cx;
use crate::ir::{
    Exclusive, FieldItem, Placeholder, Tag, TagGroup, TaggedVariant, TypeItem, UntaggedVariant,
};

/// `Deserialize` through a map visitor whose `visit_map` (carrying `attrs`)
/// runs `body` and returns the type. Names in the skeleton start with `__`,
/// which no field or type name can: a field `map` or `kind` or a type `D`
/// shadows nothing.
fn map_visitor(t: &TypeItem, attrs: TokenStream, body: TokenStream) -> TokenStream {
    let name = ident(&t.ident);
    let visitor = visitor(t, quote!(#name), attrs, body);
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(__d: __D) -> ::std::result::Result<Self, __D::Error> {
                #visitor
                __d.deserialize_map(__Visitor)
            }
        }
    }
}

/// [`map_visitor`] for a type decoded straight into its box (`body`
/// returns the box): the runtime's `IntoBox`, and `Deserialize` unboxing it.
fn boxed_map_visitor(cx: &Cx, t: &TypeItem, attrs: TokenStream, body: TokenStream) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&t.ident);
    let visitor = visitor(t, quote!(::std::boxed::Box<#name>), attrs, body);
    quote! {
        impl<'de> #rt::de::IntoBox<'de> for #name {
            fn deserialize_boxed<__D: ::serde::Deserializer<'de>>(__d: __D) -> ::std::result::Result<::std::boxed::Box<Self>, __D::Error> {
                #visitor
                __d.deserialize_map(__Visitor)
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(__d: __D) -> ::std::result::Result<Self, __D::Error> {
                <Self as #rt::de::IntoBox<'de>>::deserialize_boxed(__d).map(|__b| *__b)
            }
        }
    }
}

/// The `__Visitor` of a map visitor producing `value`.
fn visitor(t: &TypeItem, value: TokenStream, attrs: TokenStream, body: TokenStream) -> TokenStream {
    let expecting = format!("a {} object", t.wire);
    quote! {
        struct __Visitor;
        impl<'de> ::serde::de::Visitor<'de> for __Visitor {
            type Value = #value;
            fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(#expecting)
            }
            #attrs
            fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, mut __map: __A) -> ::std::result::Result<#value, __A::Error> {
                #body
            }
        }
    }
}

/// `Deserialize` that holds the value as raw JSON text in `raw` and runs
/// `body` on it: each variant is then decoded from the text with the one
/// shared decoder, without building a `Value` tree.
fn from_raw(t: &TypeItem, body: TokenStream) -> TokenStream {
    let name = ident(&t.ident);
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let raw = <::std::boxed::Box<::serde_json::value::RawValue> as ::serde::Deserialize>::deserialize(d)?;
                #body
            }
        }
    }
}

/// An object in one pass over its keys: known fields by wire name, the tag
/// (if any) skipped, everything else kept in `extra`.
pub fn object(
    cx: &Cx,
    t: &TypeItem,
    fields: &[FieldItem],
    tag: Option<&Tag>,
    extra: &str,
    into_box: Option<&[Placeholder]>,
) -> TokenStream {
    if let Some(placeholders) = into_box {
        return object_in_box(cx, t, fields, tag, extra, placeholders);
    }
    let rt = &cx.rt;
    let name = ident(&t.ident);
    let extra = ident(extra);
    let idents: Vec<_> = fields.iter().map(|f| ident(&f.ident)).collect();
    let wires: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
    let tys: Vec<_> = fields.iter().map(|f| rust_ty(cx, &f.ty)).collect();
    // Fields go into the struct as they are; required ones are unwrapped in
    // one `match` whose other arm names the first one missing. Together with
    // reading all keys inside one closure, this leaves a single early exit
    // (one copy of the code dropping what was read so far) instead of one per
    // field, which is most of the machine code of a big type's decoder.
    let finish = fields.iter().map(|f| {
        let n = ident(&f.ident);
        // Spelled out (not `#n` shorthand) so that runs of field names never
        // read like a sentence of the official docs.
        quote!(#n: #n)
    });
    let required: Vec<_> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| ident(&f.ident))
        .collect();
    let required_wires: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.wire.as_str())
        .collect();
    let build = quote!(#name { #(#finish,)* #extra });
    let reads = fields.iter().map(read_fn);
    let build = if required.is_empty() {
        quote!(::std::result::Result::Ok(#build))
    } else {
        // (No bare lists of field names: runs of them could read like a
        // sentence of the official docs.)
        quote! {
            let __missing = #rt::de::first_missing(&[#((#required_wires, #required.is_none()),)*]);
            match (#(#required.take(),)*) {
                (#(::std::option::Option::Some(#required),)*) => ::std::result::Result::Ok(#build),
                _ => ::std::result::Result::Err(<__A::Error as ::serde::de::Error>::missing_field(__missing)),
            }
        }
    };
    let arms = quote!(#(#wires => #rt::de::#reads(&mut __map, &mut #idents)?,)*);
    let read = read_keys(cx, arms, tag, quote!(#extra));
    let body = quote! {
        #(let mut #idents: ::std::option::Option<#tys> = ::std::option::Option::None;)*
        let mut #extra = #rt::Extra::new();
        #read
        #build
    };
    let attrs = quote!(#[allow(clippy::match_single_binding, clippy::redundant_field_names)]);
    map_visitor(t, attrs, body)
}

/// The runtime function reading a field's value into its slot: a field of a
/// type decoded into its box is read into that box.
fn read_fn(f: &FieldItem) -> TokenStream {
    if f.into_box {
        quote!(field_into_box)
    } else {
        quote!(field_into)
    }
}

/// Reading every key of an object inside one closure (a single early exit:
/// one copy of the code dropping what was read so far): `arms` read the
/// known fields, the tag a variant of a tagged union carries is skipped,
/// anything else goes to the `Extra` at `extra`.
fn read_keys(cx: &Cx, arms: TokenStream, tag: Option<&Tag>, extra: TokenStream) -> TokenStream {
    let rt = &cx.rt;
    let tag_arm = tag.map(|t| {
        let key = t.key.as_str();
        quote!(#key => #rt::de::skip_value(&mut __map)?,)
    });
    quote! {
        let mut __read = || -> ::std::result::Result<(), __A::Error> {
            while let ::std::option::Option::Some(__key) = #rt::de::next_key(&mut __map)? {
                match __key.as_str() {
                    #arms
                    #tag_arm
                    __other => #rt::de::unknown_field(&mut __map, &mut #extra, __other)?,
                }
            }
            ::std::result::Result::Ok(())
        };
        __read()?;
    }
}

/// [`object`] for a type decoded straight into its box: the box is made
/// first (required fields hold `placeholders` until read, optional ones
/// start unset) and every key is read into its place there, so the value,
/// several kB, is never built on the stack and copied. A flag per required
/// field says whether it was read.
fn object_in_box(
    cx: &Cx,
    t: &TypeItem,
    fields: &[FieldItem],
    tag: Option<&Tag>,
    extra: &str,
    placeholders: &[Placeholder],
) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&t.ident);
    let extra = ident(extra);
    let stand_ins = placeholders.iter().map(|p| placeholder(cx, p));
    let required: Vec<&FieldItem> = fields.iter().filter(|f| f.required).collect();
    let seen: Vec<Ident> = (0..required.len())
        .map(|i| quote::format_ident!("__seen_{}", i))
        .collect();
    let required_wires = required.iter().map(|f| f.wire.as_str());
    let mut next_seen = seen.iter();
    let arms: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let wire = f.wire.as_str();
            let n = ident(&f.ident);
            if !f.required {
                let read = read_fn(f);
                return quote!(#wire => #rt::de::#read(&mut __map, &mut __b.#n)?,);
            }
            // `seen` has one flag per required field, in field order.
            let flag = next_seen.next();
            // A required box keeps its allocation: the value is read into it.
            let slot = match &f.ty {
                crate::ir::RustType::Boxed(_) => quote!(&mut *__b.#n),
                _ => quote!(&mut __b.#n),
            };
            quote!(#wire => {
                #rt::de::field_into(&mut __map, #slot)?;
                #flag = true;
            })
        })
        .collect();
    let read = read_keys(cx, quote!(#(#arms)*), tag, quote!(__b.#extra));
    let check = (!seen.is_empty()).then(|| {
        quote! {
            if !(#(#seen)&&*) {
                let __missing = #rt::de::first_missing(&[#((#required_wires, !#seen),)*]);
                return ::std::result::Result::Err(<__A::Error as ::serde::de::Error>::missing_field(__missing));
            }
        }
    });
    let body = quote! {
        let mut __b = #rt::de::new_in_box(|| <#name>::new(#(#stand_ins),*));
        #(let mut #seen = false;)*
        #read
        #check
        ::std::result::Result::Ok(__b)
    };
    let attrs = quote!(#[allow(clippy::match_single_binding)]);
    boxed_map_visitor(cx, t, attrs, body)
}

/// A stand-in value, spelled with its type (it is passed to a constructor
/// taking `impl Into<_>`, which leaves nothing to infer it from).
fn placeholder(cx: &Cx, p: &Placeholder) -> TokenStream {
    match p {
        Placeholder::Default(ty) => {
            let ty = rust_ty(cx, ty);
            quote!(<#ty as ::std::default::Default>::default())
        }
        Placeholder::Enum(ty) => {
            let ty = rust_ty(cx, ty);
            quote!(<#ty as ::std::convert::From<&str>>::from(""))
        }
        Placeholder::New(ty, args) => {
            let ty = rust_ty(cx, ty);
            let args = args.iter().map(|a| placeholder(cx, a));
            quote!(<#ty>::new(#(#args),*))
        }
    }
}

/// An object with exclusive parts. Reading is lenient where a strict reader
/// would lose a whole batch: a part with a key no variant knows, or a known
/// part that does not decode as its type, is kept in `Unknown` as raw JSON
/// (and counted in the runtime's `compat` counters). Keys next to a known
/// part go to `extra`.
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
    let owner = t.wire.as_str();
    let req_idents: Vec<_> = fields.iter().map(|f| ident(&f.ident)).collect();
    let req_wires: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
    let req_tys: Vec<_> = fields.iter().map(|f| rust_ty(cx, &f.ty)).collect();
    let var_idents: Vec<_> = x.variants.iter().map(|(v, _)| ident(v)).collect();
    let var_wires: Vec<&str> = x.variants.iter().map(|(_, f)| f.wire.as_str()).collect();
    let var_reads = x.variants.iter().map(|(_, f)| {
        if f.into_box {
            quote!(part_in_box)
        } else {
            quote!(part)
        }
    });
    let body = quote! {
        #(let mut #req_idents: ::std::option::Option<#req_tys> = ::std::option::Option::None;)*
        let mut __kind: ::std::option::Option<#kind> = ::std::option::Option::None;
        let mut __failed = #rt::compat::Failed::default();
        let mut __rest = ::serde_json::Map::new();
        while let ::std::option::Option::Some(__key) = #rt::de::next_key(&mut __map)? {
            match __key.as_str() {
                #(#req_wires => #req_idents = ::std::option::Option::Some(#rt::de::field(&mut __map)?),)*
                // A part that does not fit its type lands in `__rest`, not in an error.
                #(#var_wires if __kind.is_none() => {
                    __kind = #rt::compat::#var_reads(&mut __map, #var_wires, &mut __rest, &mut __failed)?.map(#kind::#var_idents);
                })*
                __other => {
                    __rest.insert(__other.to_owned(), __map.next_value()?);
                }
            }
        }
        #(let #req_idents = #req_idents.ok_or_else(|| <__A::Error as ::serde::de::Error>::missing_field(#req_wires))?;)*
        let (__part, #extra) = match #rt::compat::settle(#owner, __kind, __failed, __rest) {
            #rt::compat::Part::Known(__part, __rest) => (__part, #rt::Extra::from(__rest)),
            #rt::compat::Part::Undecodable(__part) => (#kind::Undecodable(__part), #rt::Extra::new()),
            #rt::compat::Part::Unknown(__rest) => (#kind::Unknown(__rest), #rt::Extra::new()),
        };
        ::std::result::Result::Ok(#name { #(#req_idents,)* #kind_field: __part, #extra })
    };
    map_visitor(t, TokenStream::new(), body)
}

/// Decoding `raw` as the variant `v` of a tagged union.
fn decode_variant(cx: &Cx, v: &TaggedVariant) -> (Ident, TokenStream) {
    let rt = &cx.rt;
    let ty = ident(&v.ty);
    (
        ident(&v.ident),
        quote!(#rt::de::from_raw::<super::types::#ty>(raw)),
    )
}

/// A tagged union, from its text: the tag read from the text picks the
/// group of variants sharing it, tried in schema order; other values go to
/// the fallback variant when there is one (raw JSON if even that does not
/// fit), else to `Unknown`. The text is held first, except, for a union
/// the bot receives (`streamed`), in strict decoding when the tag came
/// first (the runtime's `TagOrder`): then a tag naming one variant lets
/// that variant read the rest of the object straight from the reader, and
/// only other tags hold the object.
pub fn tagged(
    cx: &Cx,
    t: &TypeItem,
    disc: &str,
    variants: &[TaggedVariant],
    groups: &[TagGroup],
    fallback: Option<usize>,
    streamed: bool,
) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&t.ident);
    let expecting = format!("a {} object", t.wire);
    let unknown = quote!(::std::result::Result::Ok(Self::Unknown(#rt::de::into_value(raw))));
    let otherwise = match fallback.map(|i| decode_variant(cx, &variants[i])) {
        Some((vi, decode)) => quote! {
            match #decode {
                ::std::result::Result::Ok(x) => return ::std::result::Result::Ok(Self::#vi(x)),
                ::std::result::Result::Err(_) => return #unknown,
            }
        },
        None => quote!(return #unknown),
    };
    let values = groups.iter().map(|g| g.value.as_str());
    let parsers = groups.iter().map(|g| {
        let mut tries = g.variants.iter().map(|&i| {
            let (vi, decode) = decode_variant(cx, &variants[i]);
            quote!(#decode.map(Self::#vi))
        });
        let first = tries.next().unwrap_or_default();
        quote!(#first #(.or_else(|_| #tries))*)
    });
    // Tags naming one variant are read straight from the reader.
    let streamed_arms = groups.iter().filter_map(|g| match g.variants.as_slice() {
        [i] if !variants[*i].fallback => {
            let (value, vi) = (g.value.as_str(), ident(&variants[*i].ident));
            Some(quote!(#value => return #rt::de::rest(__map).map(#name::#vi),))
        }
        _ => None,
    });
    // A union the bot receives first tries the reader (strict decoding, tag
    // first last time) and notes where the tag was in text it held.
    let stream = streamed.then(|| {
        quote! {
            static __ORDER: #rt::de::TagOrder = #rt::de::TagOrder::new();
            struct __Visitor;
            impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                type Value = #name;
                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(#expecting)
                }
                #[allow(clippy::match_single_binding)]
                fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, mut __map: __A) -> ::std::result::Result<#name, __A::Error> {
                    let raw = match #rt::de::lead(&mut __map, #disc)? {
                        #rt::de::Lead::Tag(__tag) => match &*__tag {
                            #(#streamed_arms)*
                            _ => #rt::de::hold(&mut __map, #disc, &__tag)?,
                        },
                        #rt::de::Lead::Held(raw) => {
                            __ORDER.set(false);
                            raw
                        }
                    };
                    #name::__from_held(&raw)
                }
            }
            if __ORDER.streams() {
                return d.deserialize_map(__Visitor);
            }
        }
    });
    let note = streamed.then(|| quote!(__ORDER.note(raw.get(), #disc);));
    let read = quote! {
        #stream
        let raw = <::std::boxed::Box<::serde_json::value::RawValue> as ::serde::Deserialize>::deserialize(d)?;
        #note
        #name::__from_held(raw.get())
    };
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                #read
            }
        }
        impl #name {
            /// Decode from the union's JSON text. Generic, so that it is
            /// compiled only where a union of this type is decoded (as
            /// the `Deserialize` impl that calls it is).
            fn __from_held<E: ::serde::de::Error>(raw: &str) -> ::std::result::Result<Self, E> {
                // Only an object can be a variant, or one this version does not know.
                if !#rt::de::is_object(raw) {
                    return ::std::result::Result::Err(E::custom(#expecting));
                }
                // String tags compare as they are, numeric ones by their text.
                let tag = #rt::de::tag(raw, #disc);
                let parsed = match tag.as_deref() {
                    #(::std::option::Option::Some(#values) => #parsers,)*
                    _ => #otherwise,
                };
                parsed.map_err(E::custom)
            }
        }
    }
}

/// An untagged union: variants tried in order (like serde's `untagged`);
/// what fits none is kept in `Unknown` when the union has it, else an error.
pub fn untagged(cx: &Cx, t: &TypeItem, variants: &[UntaggedVariant], unknown: bool) -> TokenStream {
    let rt = &cx.rt;
    let tries = variants.iter().map(|v| {
        let vi = ident(&v.ident);
        let ty = rust_ty(cx, &v.ty);
        quote! {
            if let ::std::result::Result::Ok(x) = #rt::de::from_raw::<#ty>(raw.get()) {
                return ::std::result::Result::Ok(Self::#vi(x));
            }
        }
    });
    let no_match = if unknown {
        quote!(::std::result::Result::Ok(Self::Unknown(#rt::de::into_value(raw.get()))))
    } else {
        let message = format!(
            "data did not match any variant of untagged enum {}",
            t.ident
        );
        quote!(::std::result::Result::Err(<D::Error as ::serde::de::Error>::custom(#message)))
    };
    from_raw(t, quote!(#(#tries)* #no_match))
}

/// The derive of a request's `Deserialize`, behind the runtime's
/// `serde-requests` feature (only the runtime crate declares it).
pub fn request_derive(cx: &Cx) -> Option<TokenStream> {
    cx.runtime_features
        .then(|| quote!(#[cfg_attr(feature = "serde-requests", derive(::serde::Deserialize))]))
}

/// Serde attributes of a request field, for that derived `Deserialize`
/// (`Serialize` is written out, so the default build needs no serde derive
/// at all).
pub fn request_field_attrs(f: &FieldItem) -> TokenStream {
    let rename = (f.ident != f.wire).then(|| {
        let w = &f.wire;
        quote!(#[cfg_attr(feature = "serde-requests", serde(rename = #w))])
    });
    let skip =
        (!f.required).then(|| quote!(#[cfg_attr(feature = "serde-requests", serde(default))]));
    quote!(#rename #skip)
}
