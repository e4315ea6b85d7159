//! The serde model of our schema format (`schema/README.md` is its reference).
//!
//! This is the raw, as-written form: strings for type expressions, optional
//! constraint fields. Unknown keys are rejected (`deny_unknown_fields`) so a
//! typo in a hand-curated fact is an error, not a silently ignored key.
//! Semantic rules live in `check`, names and Rust types in `ir`.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// The whole API description.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// Editor hint (`"./api.schema.json"`); ignored by the generator.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub json_schema: Option<String>,
    /// Bot API version, e.g. `"10.3"`.
    pub version: String,
    /// Release date of that version, `YYYY-MM-DD`.
    pub release_date: String,
    /// Base URL of the official documentation; anchors are appended to it.
    pub doc_url: String,
    /// Where the facts came from and what was curated by hand (free text, ours).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Bot API versions whose descriptions the importer has read, oldest
    /// first: a `since` of one of them means "first seen there, absent from
    /// the one before".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<String>,
    /// Oldest Bot API version whose replies the generated client still
    /// decodes: a required field added after it may be missing from a reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compat_floor: Option<String>,
    /// The error catalogue that methods reference by name.
    #[serde(default)]
    pub errors: Vec<ErrorDef>,
    /// Named sets of string values (`ParseMode`, `ChatType`) that fields
    /// refer to with `enum_type`; each becomes one open Rust enum.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enums: Vec<EnumDef>,
    /// Methods in documentation order.
    pub methods: Vec<Method>,
    /// Object and union types in documentation order.
    pub types: Vec<TypeDef>,
}

/// A named set of string values.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EnumDef {
    /// Name, UpperCamelCase (`ParseMode`).
    pub name: String,
    /// Our own one-line summary.
    pub summary: String,
    /// The known values, in documentation order (empty with `parts_of`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<EnumValue>,
    /// The values are the wire names of the parts of this type's
    /// `exclusive_optional` kind (the update kinds of `Update`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parts_of: Option<String>,
    /// Curation marker: why this entry is as it is (ours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub curated: Option<String>,
}

/// One value of a named set.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The string on the wire (`MarkdownV2`).
    pub value: String,
    /// Rust variant name, UpperCamelCase, where the value does not make a
    /// good one (`🎲` is `Dice`, `a` and `A` are told apart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Our own one-line summary.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
}

/// What an integer identifies, for the identifier newtypes of `botapi::ids`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// A user (`User.id`, `user_id`).
    User,
    /// A chat (`Chat.id`, a numeric `chat_id`).
    Chat,
    /// A message within its chat (`message_id`).
    Message,
}

/// A rule across several fields or parameters of one object or request.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// Exactly one of `fields` is set.
    ExactlyOne {
        /// The fields.
        fields: Vec<String>,
        /// Why, where the rule is ours rather than mined (ours).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        curated: Option<String>,
    },
    /// At most one of `fields` is set.
    AtMostOne {
        /// The fields.
        fields: Vec<String>,
        /// Why, where the rule is ours rather than mined (ours).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        curated: Option<String>,
    },
    /// At least one of `fields` is set (where Telegram takes the first set
    /// and refuses none, though its docs ask for exactly one).
    AtLeastOne {
        /// The fields.
        fields: Vec<String>,
        /// Why, where the rule is ours rather than mined (ours).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        curated: Option<String>,
    },
    /// Any number of `fields` may be set; Telegram uses the first set, in
    /// this order, and ignores the rest. `validate()` checks nothing: the
    /// rule is documented (`parse_mode` before `entities`, where the docs
    /// say "instead of" but Telegram's server refuses neither).
    FirstWins {
        /// The fields, the one Telegram prefers first.
        fields: Vec<String>,
        /// Why, where the rule is ours rather than mined (ours).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        curated: Option<String>,
    },
    /// Exactly one group is set in full, and no field of another group is.
    OneGroup {
        /// The groups of fields.
        groups: Vec<Vec<String>>,
        /// Why, where the rule is ours rather than mined (ours).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        curated: Option<String>,
    },
    /// `field` is set unless one of `unless` is.
    RequiredUnless {
        /// The field.
        field: String,
        /// The fields that make it unnecessary.
        unless: Vec<String>,
        /// Why, where the rule is ours rather than mined (ours).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        curated: Option<String>,
    },
    /// `field` is set whenever `with` is.
    RequiredWith {
        /// The field.
        field: String,
        /// The field that needs it.
        with: String,
        /// Why, where the rule is ours rather than mined (ours).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        curated: Option<String>,
    },
}

impl Rule {
    /// The kinds of rule by their `rule` tag, in the order reports list them.
    pub const KINDS: [&'static str; 7] = [
        "exactly_one",
        "at_most_one",
        "at_least_one",
        "first_wins",
        "one_group",
        "required_unless",
        "required_with",
    ];

    /// The rule's `rule` tag (one of [`Rule::KINDS`]).
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::ExactlyOne { .. } => "exactly_one",
            Rule::AtMostOne { .. } => "at_most_one",
            Rule::AtLeastOne { .. } => "at_least_one",
            Rule::FirstWins { .. } => "first_wins",
            Rule::OneGroup { .. } => "one_group",
            Rule::RequiredUnless { .. } => "required_unless",
            Rule::RequiredWith { .. } => "required_with",
        }
    }

    /// Every field the rule names.
    pub fn fields(&self) -> Vec<&str> {
        match self {
            Rule::ExactlyOne { fields, .. }
            | Rule::AtMostOne { fields, .. }
            | Rule::AtLeastOne { fields, .. }
            | Rule::FirstWins { fields, .. } => fields.iter().map(String::as_str).collect(),
            Rule::OneGroup { groups, .. } => groups.iter().flatten().map(String::as_str).collect(),
            Rule::RequiredUnless { field, unless, .. } => std::iter::once(field.as_str())
                .chain(unless.iter().map(String::as_str))
                .collect(),
            Rule::RequiredWith { field, with, .. } => vec![field.as_str(), with.as_str()],
        }
    }

    /// Is the rule curated (written by hand) rather than mined?
    pub fn is_curated(&self) -> bool {
        match self {
            Rule::ExactlyOne { curated, .. }
            | Rule::AtMostOne { curated, .. }
            | Rule::AtLeastOne { curated, .. }
            | Rule::FirstWins { curated, .. }
            | Rule::OneGroup { curated, .. }
            | Rule::RequiredUnless { curated, .. }
            | Rule::RequiredWith { curated, .. } => curated.is_some(),
        }
    }
}

/// One known error reply of the Bot API.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorDef {
    /// Rust-friendly name, UpperCamelCase (`ChatNotFound`).
    pub name: String,
    /// HTTP-like `error_code` Telegram sends (400, 403, 429...).
    pub code: u16,
    /// The `description` Telegram sends, or its fixed prefix when the rest
    /// varies (`"Too Many Requests: retry after"`). Matched case-insensitively
    /// as a prefix.
    pub description: String,
    /// Our own one-line explanation.
    pub summary: String,
}

/// A Bot API method.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    /// Wire name, lowerCamelCase (`sendAudio`).
    pub name: String,
    /// Our own one-line summary.
    pub summary: String,
    /// Anchor in the official docs, with the leading `#`.
    pub doc: String,
    /// Return type expression (`"Message"`, `"Array of Update"`, `"Message or True"`).
    pub returns: String,
    /// Parameters in documentation order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Field>,
    /// Names from the error catalogue this method is known to produce.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
    /// Offset/limit pagination: generates a helper that walks every page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paginated: Option<Pagination>,
    /// Rules across parameters, checked by `validate()`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    /// Safe to send twice: a retry after an ambiguous failure (a timeout, a
    /// 5xx) cannot do something twice. The importer sets it for methods that
    /// only read (`get...`); curate it where that rule is wrong.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub idempotent: bool,
    /// What the method returned in earlier versions, newest last: replies
    /// from servers at those versions must still decode as `returns`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous_returns: Vec<PreviousReturn>,
    /// First Bot API version read that has this method (see `history`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// The facts of this entry rest on secondary or single sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// Curation marker: why this entry deviates from upstream (ours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub curated: Option<String>,
}

/// A return type a method had before.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PreviousReturn {
    /// The type expression it returned.
    #[serde(rename = "type")]
    pub ty: String,
    /// Last Bot API version that returned it.
    pub until: String,
}

/// Where a fact comes from when no official machine-readable description
/// backs it: the release it belongs to, how it is supported, and what about
/// it is not known.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The Bot API release the marked fact belongs to (`10.4`).
    pub version: String,
    /// How the fact is supported.
    pub basis: Basis,
    /// The sources, named briefly (ours).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Parts of the fact no source showed (written as a best guess, or left
    /// out, as `note` says).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unverified: Vec<Unverified>,
    /// What is uncertain and what was done about it (ours, one line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How a marked fact is supported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// An official page or changelog text was seen, but not a machine-readable
    /// description: `unverified` says what it did not show.
    Official,
    /// Secondary sources only (library docs generated from the official
    /// page, release notes), more than one of them agreeing.
    Secondary,
    /// One source only.
    Single,
}

/// A part of a marked fact that no source showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unverified {
    /// Where it sits in the official order.
    Position,
    /// Whether it is required.
    Required,
    /// Its type (inferred).
    Type,
    /// Which fields or parameters it has (the list may be incomplete).
    Fields,
    /// Numeric or length limits (left out unless stated).
    Limits,
    /// The exact set or spelling of allowed values.
    Values,
    /// Its official name.
    Name,
    /// That it exists at all (inferred from related facts).
    Existence,
}

/// A method of an object with exclusive parts reading a field of its part.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AccessorDef {
    /// Rust method name, snake_case (`chat`).
    pub name: String,
    /// Our one line for its docs.
    pub summary: String,
    /// Where to find it in a part, tried in order: a field (`chat`), or a
    /// field and the accessor of that field's union (`message.chat`). Every
    /// path that a part has must lead to values of one type.
    pub paths: Vec<String>,
}

/// An earlier name of a type.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rename {
    /// The old name.
    pub name: String,
    /// Bot API version that renamed it.
    pub version: String,
}

/// Pagination annotation of a method.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// Parameter holding the number of items to skip.
    pub offset: String,
    /// Parameter holding the page size.
    pub limit: String,
    /// Field of the result holding the items of one page.
    pub items: String,
    /// Field of the result holding the total count.
    pub total: String,
}

/// A type definition: an object (with `fields`) or a union (with `union`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// Wire/official name, UpperCamelCase.
    pub name: String,
    /// Our own one-line summary.
    pub summary: String,
    /// Anchor in the official docs (`#audio`). Absent for synthetic unions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// Fields of an object type. An object type may have none (`{}` on the wire).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<Field>>,
    /// Variants of a union type. Exactly one of `fields` and `union` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union: Option<Union>,
    /// The object's optional fields are mutually exclusive (exactly one is
    /// present, as in `Update`): they become variants of an enum held in a
    /// field with this name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusive_optional: Option<String>,
    /// Set when fields were deliberately left out; says which and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trimmed: Option<String>,
    /// A synthetic type has no Telegram doc entry: it names an anonymous
    /// `X or Y` union used by fields.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub synthetic: bool,
    /// Rules across fields, checked by `validate()`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    /// Objects with exclusive parts: methods reading a field from whichever
    /// part is present (the chat or the sender of an update).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accessors: Vec<AccessorDef>,
    /// Earlier names: the generator keeps each as a deprecated alias.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renamed_from: Vec<Rename>,
    /// First Bot API version read that has this type (under any of its names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// The facts of this entry rest on secondary or single sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// Curation marker: why this entry deviates from upstream (ours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub curated: Option<String>,
}

/// Union ("one of") type.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Union {
    /// Field whose value tells the variants apart (`status`, `type`, `source`).
    /// Absent: the union is untagged and variants are tried in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discriminator: Option<String>,
    /// The variants, in documentation order.
    pub variants: Vec<Variant>,
}

/// One variant of a union.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// Type expression of the variant (an object type for tagged unions).
    #[serde(rename = "type")]
    pub ty: String,
    /// The discriminator value of this variant (`"creator"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// In a tagged union: this variant takes every value no other variant
    /// names (e.g. `Message` in `MaybeInaccessibleMessage`, told apart by
    /// `date` being 0 for the other variant). It has no `value`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fallback: bool,
    /// Rust variant name override (UpperCamelCase); by default it is derived
    /// from the type (`ChatMemberOwner` in `ChatMember` becomes `Owner`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the variant's integer identifies (an `Integer` variant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_of: Option<IdKind>,
    /// The membership rests on secondary or single sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

/// A method parameter or an object field, with its constraints.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Wire name, snake_case.
    pub name: String,
    /// Type expression.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether Telegram requires it (parameters) or always sends it (fields).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// Our own one-line summary. Optional for fields: without one, the docs
    /// state the field's type and constraints only.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// Smallest allowed number (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest allowed number (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Shortest allowed string, in `len_unit`s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_len: Option<u64>,
    /// Longest allowed string, in `len_unit`s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_len: Option<u64>,
    /// How string length is counted; required when `min_len`/`max_len` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub len_unit: Option<LenUnit>,
    /// The length limit applies after entity parsing: the validator checks it
    /// only while the named sibling (a `parse_mode`) is unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub len_parsed_with: Option<String>,
    /// Fewest allowed array items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    /// Most allowed array items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    /// Allowed string values.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
    /// Named value set (`enums`) whose Rust enum holds the string(s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enum_type: Option<String>,
    /// What the integer(s) identify: the field holds an identifier newtype.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_of: Option<IdKind>,
    /// Value Telegram assumes when the field is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    /// Largest upload in bytes accepted for an `InputFile`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_upload: Option<u64>,
    /// The value is a secret (a webhook secret token): generated `Debug`
    /// output shows `<redacted>` instead of it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
    /// First Bot API version read that has this field in its owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// The facts of this entry rest on secondary or single sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// Curation marker: why this entry deviates from upstream (ours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub curated: Option<String>,
}

/// Unit in which string lengths are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LenUnit {
    /// Unicode scalar values (`str::chars`). Telegram says "characters";
    /// counting scalar values is never stricter than its UTF-16 count, so a
    /// validator using it never rejects what Telegram accepts.
    Chars,
    /// UTF-8 bytes (Telegram says "bytes", e.g. `callback_data`).
    Bytes,
}

/// Order of Bot API versions (`9.0` < `10.1` < `10.10`): the numbers
/// between the dots, compared as numbers.
pub fn version_key(v: &str) -> Vec<u64> {
    v.split('.')
        .map(|p| p.trim().parse().unwrap_or(0))
        .collect()
}

/// Is `v` a version: numbers separated by single dots (`10.4`)?
pub fn is_version(v: &str) -> bool {
    !v.is_empty()
        && v.split('.')
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
}

impl Schema {
    /// Look up a named value set by name.
    pub fn enum_def(&self, name: &str) -> Option<&EnumDef> {
        self.enums.iter().find(|e| e.name == name)
    }

    /// Look up a type definition by name.
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name == name)
    }

    /// Types by name, keeping schema order.
    pub fn types_by_name(&self) -> IndexMap<&str, &TypeDef> {
        self.types.iter().map(|t| (t.name.as_str(), t)).collect()
    }
}
