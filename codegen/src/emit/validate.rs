//! Emits every `Validate` impl: field checks of objects and requests, the
//! parts of objects with exclusive parts, and both kinds of union.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{ident, opt};
use super::Cx;
use crate::ir::{
    Constraints, Exclusive, FieldItem, FieldRef, RuleItem, RustType, TaggedVariant, TypeItem,
    UntaggedVariant,
};

/// How a `validate_into` is inlined.
#[derive(Clone, Copy)]
enum Inline {
    /// Left to the compiler (`#[inline]`, so other crates may inline it).
    Hint,
    /// Always: a union's walk only picks its variant's, and a call layer of
    /// its own costs more than the pick (22 of 273 instructions of the
    /// bench's request with an inline keyboard, bench/RESULTS.md).
    Always,
}

/// `impl Validate` running `body`; the validator is named `v` when `uses`
/// says the body reads it, else `_v`. `attrs` go on `validate_into`.
fn validate_impl(
    cx: &Cx,
    type_path: TokenStream,
    attrs: TokenStream,
    inline: Inline,
    uses: bool,
    body: TokenStream,
) -> TokenStream {
    let rt = &cx.rt;
    let v = if uses { quote!(v) } else { quote!(_v) };
    let inline = match inline {
        Inline::Hint => quote!(#[inline]),
        Inline::Always => quote!(#[inline(always)]),
    };
    quote! {
        impl #rt::Validate for #type_path {
            #attrs
            #inline
            fn validate_into(&self, #v: &mut #rt::validate::Validator) {
                #body
            }
        }
    }
}

/// Checks on one value `x` of `ty` for constraints that apply to leaves
/// (ranges, lengths, allowed values, upload size). `field` is the name used
/// in paths; items of arrays are checked under `field[i]`.
fn leaf_checks(ty: &RustType, c: &Constraints, field: &str, x: TokenStream) -> TokenStream {
    match ty {
        RustType::Vec(inner) => {
            let inner_checks = leaf_checks(inner, c, "", quote!(x));
            if inner_checks.is_empty() {
                return TokenStream::new();
            }
            quote!(v.each(#field, #x, |v, x| { #inner_checks });)
        }
        RustType::Boxed(inner) => leaf_checks(inner, c, field, x),
        RustType::I64 => match &c.int_range {
            Some((lo, hi)) => {
                let (lo, hi) = (opt(lo), opt(hi));
                quote!(v.int_range(#field, *#x, #lo, #hi);)
            }
            None => TokenStream::new(),
        },
        RustType::F64 => match &c.float_range {
            Some((lo, hi)) => {
                let (lo, hi) = (opt(lo), opt(hi));
                quote!(v.float_range(#field, *#x, #lo, #hi);)
            }
            None => TokenStream::new(),
        },
        RustType::String => {
            let mut out = TokenStream::new();
            if let Some(l) = &c.len {
                let (lo, hi) = (opt(&l.min), opt(&l.max));
                let check = if l.bytes {
                    quote!(bytes_len)
                } else {
                    quote!(chars_len)
                };
                out.extend(quote!(v.#check(#field, #x, #lo, #hi);));
            }
            if let Some(a) = &c.allowed {
                out.extend(quote!(v.one_of(#field, #x, &[#(#a),*]);));
            }
            out
        }
        // A value set's enum: its wire string, for a closed list.
        RustType::Enum(_) => match &c.allowed {
            Some(a) => quote!(v.one_of(#field, #x.as_str(), &[#(#a),*]);),
            None => TokenStream::new(),
        },
        RustType::InputFile => match c.max_upload {
            Some(m) => quote!(v.upload_size(#field, #x, #m);),
            None => TokenStream::new(),
        },
        _ => TokenStream::new(),
    }
}

/// Validation statements for one field of `self` (empty when there is
/// nothing to check).
fn field_checks(f: &FieldItem) -> TokenStream {
    let c = &f.constraints;
    let field = f.wire.as_str();
    let x = quote!(x);
    let mut body = TokenStream::new();
    if let Some((lo, hi)) = &c.items {
        let (lo, hi) = (opt(lo), opt(hi));
        body.extend(quote!(v.items(#field, #x, #lo, #hi);));
    }
    body.extend(leaf_checks(&f.ty, c, field, x.clone()));
    if f.validate_nested {
        body.extend(quote!(v.nested(#field, #x);));
    }
    if body.is_empty() {
        return body;
    }
    let name = ident(&f.ident);
    let guarded = match c.len.as_ref().and_then(|l| l.skip_if_set.as_ref()) {
        Some(sib) => {
            let sib = ident(sib);
            quote!(if self.#sib.is_none() { #body })
        }
        None => body,
    };
    if f.required {
        quote!({ let x = &self.#name; #guarded })
    } else {
        quote!(if let ::std::option::Option::Some(x) = &self.#name { #guarded })
    }
}

/// The checks of every field that has some.
fn checks(fields: &[FieldItem]) -> Vec<TokenStream> {
    fields
        .iter()
        .map(field_checks)
        .filter(|t| !t.is_empty())
        .collect()
}

/// Whether each field of `refs` is set (they are optional fields).
fn set_flags(refs: &[FieldRef]) -> Vec<TokenStream> {
    refs.iter()
        .map(|r| {
            let f = ident(&r.ident);
            if r.flag {
                quote!(self.#f == ::std::option::Option::Some(true))
            } else {
                quote!(self.#f.is_some())
            }
        })
        .collect()
}

fn wires(refs: &[FieldRef]) -> Vec<&str> {
    refs.iter().map(|r| r.wire.as_str()).collect()
}

/// The statement checking one rule across fields of `self`.
fn rule_check(rule: &RuleItem) -> TokenStream {
    match rule {
        RuleItem::ExactlyOne(refs) | RuleItem::AtMostOne(refs) => {
            let check = if matches!(rule, RuleItem::ExactlyOne(_)) {
                quote!(exactly_one)
            } else {
                quote!(at_most_one)
            };
            // The passing case costs one sum; which fields are set is
            // gathered only to report a violation.
            let (names, set) = (wires(refs), set_flags(refs));
            let count = set.iter().map(|s| quote!(usize::from(#s)));
            quote!(v.#check(&[#(#names),*], #(#count)+*, || [#(#set),*]);)
        }
        RuleItem::AtLeastOne(refs) => {
            // Tested in order, stopping at the first set field: a passing
            // value usually costs a test or two. A flag counts when present
            // at all, `false` too (the lenient reading never rejects what
            // Telegram takes).
            let names = wires(refs);
            let set = refs.iter().map(|r| {
                let f = ident(&r.ident);
                quote!(self.#f.is_some())
            });
            quote!(v.at_least_one(&[#(#names),*], #(#set)||*);)
        }
        RuleItem::OneGroup(groups) => {
            let names = groups.iter().map(|g| {
                let w = wires(g);
                quote!(&[#(#w),*])
            });
            let set = groups.iter().map(|g| {
                let s = set_flags(g);
                quote!(&[#(#s),*])
            });
            quote!(v.one_group(&[#(#names),*], &[#(#set),*]);)
        }
        RuleItem::RequiredUnless { field, unless } => {
            let w = field.wire.as_str();
            let set = &set_flags(std::slice::from_ref(field))[0];
            let (names, others) = (wires(unless), set_flags(unless));
            quote!(v.required_unless(#w, #set, &[#(#names),*], &[#(#others),*]);)
        }
        RuleItem::RequiredWith { field, with } => {
            let (w, ww) = (field.wire.as_str(), with.wire.as_str());
            let set = &set_flags(std::slice::from_ref(field))[0];
            let with_set = &set_flags(std::slice::from_ref(with))[0];
            quote!(v.required_with(#w, #set, #ww, #with_set);)
        }
    }
}

/// A struct of fields: an object or a request, with its rules across fields.
pub fn fields(
    cx: &Cx,
    type_path: TokenStream,
    fields: &[FieldItem],
    rules: &[RuleItem],
) -> TokenStream {
    let checks = checks(fields);
    let rules: Vec<TokenStream> = rules.iter().map(rule_check).collect();
    let uses = !checks.is_empty() || !rules.is_empty();
    validate_impl(
        cx,
        type_path,
        TokenStream::new(),
        Inline::Hint,
        uses,
        quote!(#(#checks)* #(#rules)*),
    )
}

/// An object with exclusive parts: its own fields, then the part present
/// (parts this version could not read are not checked).
pub fn exclusive(cx: &Cx, t: &TypeItem, fields: &[FieldItem], x: &Exclusive) -> TokenStream {
    let name = ident(&t.ident);
    let kind = ident(&x.enum_ident);
    let kind_field = ident(&x.field);
    let own = checks(fields);
    let arms = x.variants.iter().map(|(v, f)| {
        let v = ident(v);
        let w = f.wire.as_str();
        if f.validate_nested {
            quote!(#kind::#v(x) => v.nested(#w, x),)
        } else {
            quote!(#kind::#v(_) => {})
        }
    });
    let uses = !own.is_empty() || x.variants.iter().any(|(_, f)| f.validate_nested);
    let body = quote! {
        #(#own)*
        match &self.#kind_field {
            #(#arms)*
            #kind::Unknown(_) | #kind::Undecodable(_) => {}
        }
    };
    validate_impl(
        cx,
        quote!(#name),
        TokenStream::new(),
        Inline::Hint,
        uses,
        body,
    )
}

/// A tagged union: the variant present, when the union has anything to
/// check at all.
pub fn tagged(cx: &Cx, t: &TypeItem, variants: &[TaggedVariant]) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&t.ident);
    let body = t.needs_validate.then(|| {
        let vis = variants.iter().map(|v| ident(&v.ident));
        quote!(match self { #(Self::#vis(x) => #rt::Validate::validate_into(x, v),)* Self::Unknown(_) => {} })
    });
    let uses = body.is_some();
    validate_impl(
        cx,
        quote!(#name),
        TokenStream::new(),
        Inline::Always,
        uses,
        quote!(#body),
    )
}

/// An untagged union: the variants whose payload has something to check.
pub fn untagged(cx: &Cx, t: &TypeItem, variants: &[UntaggedVariant], unknown: bool) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&t.ident);
    let arms: Vec<TokenStream> = variants
        .iter()
        .filter(|v| v.validate)
        .map(|v| {
            let vi = ident(&v.ident);
            quote!(Self::#vi(x) => #rt::Validate::validate_into(x, v),)
        })
        .collect();
    let rest = (arms.len() < variants.len() + usize::from(unknown)).then(|| quote!(_ => {}));
    let uses = !arms.is_empty();
    let attrs = quote!(#[allow(clippy::match_single_binding, clippy::single_match)]);
    validate_impl(
        cx,
        quote!(#name),
        attrs,
        Inline::Always,
        uses,
        quote!(match self { #(#arms)* #rest }),
    )
}
