//! Emits the smallest pieces every other emitter is made of: identifiers,
//! Rust type tokens, `Option` literals and `#[doc]` attributes.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::Cx;
use crate::ir::{FieldItem, RustType};

/// An identifier token. Names come from `naming`, which only yields valid ones.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Tokens of a Rust type, fully qualified so that a Telegram type named
/// `Option` or `Result` can never shadow what the generated code means.
pub fn rust_ty(cx: &Cx, t: &RustType) -> TokenStream {
    let rt = &cx.rt;
    match t {
        RustType::I64 => quote!(i64),
        RustType::F64 => quote!(f64),
        RustType::Bool => quote!(bool),
        RustType::String => quote!(#rt::Str),
        RustType::InputFile => quote!(#rt::InputFile),
        RustType::Named(n) | RustType::Enum(n) => {
            let n = ident(n);
            quote!(super::types::#n)
        }
        RustType::Id(n) => {
            let n = ident(n);
            quote!(#rt::ids::#n)
        }
        RustType::Vec(inner) => {
            let inner = rust_ty(cx, inner);
            quote!(::std::vec::Vec<#inner>)
        }
        RustType::Boxed(inner) => {
            let inner = rust_ty(cx, inner);
            quote!(::std::boxed::Box<#inner>)
        }
    }
}

/// Type of the struct field: optional fields are wrapped in `Option`.
pub fn field_ty(cx: &Cx, f: &FieldItem) -> TokenStream {
    let t = rust_ty(cx, &f.ty);
    if f.required {
        t
    } else {
        quote!(::std::option::Option<#t>)
    }
}

/// An `Option` literal: `Some(v)` or `None`.
pub fn opt<T: quote::ToTokens>(v: &Option<T>) -> TokenStream {
    match v {
        Some(x) => quote!(::std::option::Option::Some(#x)),
        None => quote!(::std::option::Option::None),
    }
}

/// `#[doc = "..."]` attributes, one per line of `text`. The formatter turns
/// them into `///` comments holding the text as it is, so a lone `\r` (which
/// Rust rejects in a doc comment) also ends a line, and other control
/// characters and the bidirectional overrides that Rust denies in comments
/// are written as `\u{..}` escapes.
pub fn doc(text: &str) -> TokenStream {
    let lines = text.lines().flat_map(|l| l.split('\r')).map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            let mut line = String::from(" ");
            for c in l.chars() {
                if (c.is_control() && c != '\t') || is_bidi_control(c) {
                    line.extend(c.escape_unicode());
                } else {
                    line.push(c);
                }
            }
            line
        }
    });
    quote!(#(#[doc = #lines])*)
}

/// Characters that reorder how text around them is shown (the "Trojan
/// source" set); rustc denies them in comments and literals.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}
