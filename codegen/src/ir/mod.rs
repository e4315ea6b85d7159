//! The normalized intermediate representation between the schema and the
//! emitted tokens: Rust names resolved once, Rust types decided, wire names
//! kept for serde, constraints in typed form, and derived facts (boxing,
//! validation and file reachability). Emitters read only this.

mod lower;

pub use lower::lower;

/// The whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Api {
    /// Bot API version (`10.3`).
    pub version: String,
    /// Release date of that version.
    pub release_date: String,
    /// Oldest Bot API version whose replies still decode, if one is set.
    pub compat_floor: Option<String>,
    /// Base URL of the official docs.
    pub doc_url: String,
    /// The error catalogue.
    pub errors: Vec<ErrorItem>,
    /// Types in schema order.
    pub types: Vec<TypeItem>,
    /// Methods in schema order.
    pub methods: Vec<MethodItem>,
    /// Named value sets, in schema order.
    pub enums: Vec<EnumItem>,
    /// Wire name of the type the generated docs cite as an example of one.
    pub example_type: String,
    /// Wire name of the method the generated docs cite as an example of one.
    pub example_method: String,
}

/// A Rust type as the generated code spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType {
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `String`.
    String,
    /// `bool` (also for Telegram's `True`).
    Bool,
    /// The runtime's `InputFile`.
    InputFile,
    /// A generated type, by its Rust name.
    Named(String),
    /// The open enum of a named value set, by its Rust name.
    Enum(String),
    /// An identifier newtype of the runtime's `ids` module, by its name there.
    Id(String),
    /// `Vec<T>`.
    Vec(Box<RustType>),
    /// `Box<T>` (to break recursion).
    Boxed(Box<RustType>),
}

impl RustType {
    /// The type without a `Box` around it.
    pub fn unboxed(&self) -> &RustType {
        match self {
            RustType::Boxed(inner) => inner,
            other => other,
        }
    }
}

pub use crate::schema::IdKind;

/// A named value set: an open enum with one variant per known value and one
/// keeping any other string.
#[derive(Debug, Clone)]
pub struct EnumItem {
    /// Rust name.
    pub ident: String,
    /// Name in the schema.
    pub wire: String,
    /// Our summary.
    pub summary: String,
    /// The known values.
    pub values: Vec<EnumValueItem>,
    /// Rust name of the variant keeping other strings.
    pub other: String,
    /// For a set of the parts of an exclusive kind: the Rust name of that
    /// kind enum, which then gets a method naming its part.
    pub parts_of: Option<String>,
    /// Rust name of that method on the kind enum.
    pub parts_fn: String,
}

/// One known value of a named set.
#[derive(Debug, Clone)]
pub struct EnumValueItem {
    /// Rust variant name.
    pub ident: String,
    /// The wire string.
    pub value: String,
    /// Our summary, if any.
    pub summary: String,
    /// For a set of parts: the variant of the kind enum it names.
    pub part: Option<String>,
}

/// A field named by a rule: its wire and Rust names.
#[derive(Debug, Clone)]
pub struct FieldRef {
    /// Wire name.
    pub wire: String,
    /// Rust field name.
    pub ident: String,
    /// A flag: it counts as set only when it is `true` (a `false` flag asks
    /// for nothing).
    pub flag: bool,
}

/// A rule across optional fields, checked by `validate()`.
#[derive(Debug, Clone)]
pub enum RuleItem {
    /// Exactly one is set.
    ExactlyOne(Vec<FieldRef>),
    /// No two are set.
    AtMostOne(Vec<FieldRef>),
    /// At least one is set.
    AtLeastOne(Vec<FieldRef>),
    /// Exactly one group is set in full, and nothing of another.
    OneGroup(Vec<Vec<FieldRef>>),
    /// `field` is set unless one of `unless` is.
    RequiredUnless {
        /// The field.
        field: FieldRef,
        /// What makes it unnecessary.
        unless: Vec<FieldRef>,
    },
    /// `field` is set whenever `with` is.
    RequiredWith {
        /// The field.
        field: FieldRef,
        /// What needs it.
        with: FieldRef,
    },
}

/// A method of a union (or of an exclusive kind) reading a field every
/// variant (or some) has.
#[derive(Debug, Clone)]
pub struct AccessorItem {
    /// Rust method name.
    pub ident: String,
    /// Our one line for its docs.
    pub doc: String,
    /// The field's type, without its box.
    pub ty: RustType,
    /// The type is `Copy` (a number, a flag, an id): returned by value.
    pub copy: bool,
    /// Per variant: how to reach the field from the payload `x`, or `None`.
    pub arms: Vec<(String, Option<FieldPath>)>,
    /// For an object with exclusive parts: the Rust names of the field
    /// holding the part and of its kind enum (the variants are the kind's).
    pub on: Option<(String, String)>,
}

/// How an accessor reaches a field from a variant's payload.
#[derive(Debug, Clone)]
pub enum FieldPath {
    /// `x.field`: required, possibly boxed.
    Required {
        /// Rust field name.
        ident: String,
        /// The field is boxed.
        boxed: bool,
    },
    /// `x.field`: optional, possibly boxed.
    Optional {
        /// Rust field name.
        ident: String,
        /// The field is boxed.
        boxed: bool,
    },
    /// `x.field.accessor()`: through an accessor of the field's own type.
    Through {
        /// Rust field name.
        ident: String,
        /// The field is optional.
        optional: bool,
        /// The accessor of the field's type.
        accessor: String,
    },
}

/// Constraints on a field, in the units the validator checks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// Integer range (for `Integer` leaves).
    pub int_range: Option<(Option<i64>, Option<i64>)>,
    /// Float range (for `Float` leaves).
    pub float_range: Option<(Option<f64>, Option<f64>)>,
    /// String length and how it is counted (for `String` leaves).
    pub len: Option<Length>,
    /// Item count of the outermost array.
    pub items: Option<(Option<u64>, Option<u64>)>,
    /// Allowed string values.
    pub allowed: Option<Vec<String>>,
    /// Largest upload in bytes.
    pub max_upload: Option<u64>,
}

impl Constraints {
    /// True when there is something to check on this field's own value.
    pub fn any(&self) -> bool {
        self.int_range.is_some()
            || self.float_range.is_some()
            || self.len.is_some()
            || self.items.is_some()
            || self.allowed.is_some()
            || self.max_upload.is_some()
    }
}

/// A string length limit.
#[derive(Debug, Clone, PartialEq)]
pub struct Length {
    /// Shortest allowed.
    pub min: Option<u64>,
    /// Longest allowed.
    pub max: Option<u64>,
    /// Counted in UTF-8 bytes (else Unicode scalar values).
    pub bytes: bool,
    /// Rust name of the sibling whose presence switches the check off.
    pub skip_if_set: Option<String>,
}

/// A field of an object type or a parameter of a method.
#[derive(Debug, Clone)]
pub struct FieldItem {
    /// Name on the wire.
    pub wire: String,
    /// Rust field name (escaped, unique in its struct).
    pub ident: String,
    /// Rust name of the setter (differs from `ident` only to avoid `new`).
    pub setter: String,
    /// Rust type, without the `Option` of optional fields.
    pub ty: RustType,
    /// The schema's type expression, for docs (`Array of PhotoSize`).
    pub type_expr: String,
    /// Always present: the Rust field is not an `Option`, and a request
    /// takes it as a constructor argument.
    pub required: bool,
    /// Telegram requires the field, but servers older than this version
    /// (and newer than the compatibility floor) leave it out of replies: it
    /// is an `Option` so that their replies still decode.
    pub absent_before: Option<String>,
    /// Our summary.
    pub summary: String,
    /// Constraints on this field's value.
    pub constraints: Constraints,
    /// Default Telegram assumes, rendered for docs.
    pub default: Option<String>,
    /// The value contains something with constraints to check.
    pub validate_nested: bool,
    /// The value may contain an `InputFile`.
    pub has_files: bool,
    /// A secret: `Debug` hides it.
    pub secret: bool,
    /// The field is a `Box` of a type decoded straight into its box
    /// ([`TypeKind::Object::into_box`]).
    pub into_box: bool,
}

/// A type definition.
#[derive(Debug, Clone)]
pub struct TypeItem {
    /// Official name.
    pub wire: String,
    /// Rust name.
    pub ident: String,
    /// Our summary.
    pub summary: String,
    /// Full URL of the official doc entry, if any.
    pub doc_link: Option<String>,
    /// Why fields were left out, if they were.
    pub trimmed: Option<String>,
    /// Object, tagged or untagged union.
    pub kind: TypeKind,
    /// Something inside has constraints to check.
    pub needs_validate: bool,
    /// Something inside may be an `InputFile`.
    pub has_files: bool,
    /// Earlier names kept as deprecated aliases.
    pub aliases: Vec<Alias>,
    /// Rules across fields (objects).
    pub rules: Vec<RuleItem>,
    /// Fields of which Telegram uses the first set and ignores the rest, by
    /// wire name in its order (documented; nothing to check).
    pub first_wins: Vec<Vec<String>>,
    /// Methods reading a field the variants share (unions, exclusive kinds).
    pub accessors: Vec<AccessorItem>,
}

/// An earlier name of a type, kept as a deprecated alias.
#[derive(Debug, Clone)]
pub struct Alias {
    /// Rust name of the alias.
    pub ident: String,
    /// Why it is deprecated (names the version that renamed it).
    pub note: String,
}

/// A stand-in value of a required field, held until the real one is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placeholder {
    /// The type's `Default` (numbers, booleans, strings, identifiers, lists).
    Default(RustType),
    /// The open enum's value for the empty string (kept in its catch-all).
    Enum(RustType),
    /// The object's constructor, with stand-ins for its required fields.
    New(RustType, Vec<Placeholder>),
}

/// The shape of a type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct.
    Object {
        /// Fields, in schema order (discriminator fields of tagged unions removed).
        fields: Vec<FieldItem>,
        /// Mutually exclusive optional fields, gathered into an enum.
        exclusive: Option<Exclusive>,
        /// The discriminator this variant of a tagged union always carries.
        /// It is not a struct field: serialization writes it.
        tag: Option<Tag>,
        /// Rust name of the field keeping unknown keys as raw JSON.
        extra: String,
        /// Decoded straight into a `Box` (a received object this wide is
        /// several kB, which each layer of serde would otherwise copy as it
        /// returns it by value): one stand-in value per required field, in
        /// field order. The box is made first, with these, and each key is
        /// read into its place in it.
        into_box: Option<Vec<Placeholder>>,
    },
    /// An enum told apart by a discriminator field.
    Tagged {
        /// Wire name of the discriminator field.
        discriminator: String,
        /// The variants.
        variants: Vec<TaggedVariant>,
        /// The variants by tag value, values in order of first use; the
        /// variants sharing a value are tried in schema order.
        groups: Vec<TagGroup>,
        /// The variant taking every value no other names (index into `variants`).
        fallback: Option<usize>,
        /// Rust name of the method reading the tag (string tags without a
        /// fallback variant).
        tag_accessor: Option<String>,
        /// Received in replies or updates: strict decoding may read it
        /// straight from the reader when its tag comes first (types only
        /// ever sent keep the one held-text path, which costs less to
        /// compile).
        streamed: bool,
    },
    /// An enum whose variants are tried in order.
    Untagged {
        /// The variants.
        variants: Vec<UntaggedVariant>,
        /// Keep what matches no variant as raw JSON (types that are received).
        unknown: bool,
    },
}

/// A discriminator value a variant struct writes itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// Wire name of the discriminator field.
    pub key: String,
    /// The value.
    pub value: String,
    /// The field is an Integer: the value is written as a number.
    pub numeric: bool,
}

/// Mutually exclusive optional fields of an object.
#[derive(Debug, Clone)]
pub struct Exclusive {
    /// Rust field holding the enum.
    pub field: String,
    /// Rust name of the enum.
    pub enum_ident: String,
    /// One variant per exclusive field (their `required` is false).
    pub variants: Vec<(String, FieldItem)>,
}

/// The variants of a tagged union that one tag value selects.
#[derive(Debug, Clone)]
pub struct TagGroup {
    /// The tag value.
    pub value: String,
    /// Indices into the union's variants, in schema order.
    pub variants: Vec<usize>,
}

/// A variant of a tagged union.
#[derive(Debug, Clone)]
pub struct TaggedVariant {
    /// Rust variant name.
    pub ident: String,
    /// Rust name of the payload type.
    pub ty: String,
    /// Discriminator value on the wire (empty for the fallback).
    pub value: String,
    /// Takes every value no other variant names.
    pub fallback: bool,
    /// The payload may hold an `InputFile`.
    pub has_files: bool,
    /// The tag is a number on the wire (docs show it as one).
    pub numeric: bool,
}

/// A variant of an untagged union.
#[derive(Debug, Clone)]
pub struct UntaggedVariant {
    /// Rust variant name.
    pub ident: String,
    /// Payload type.
    pub ty: RustType,
    /// The payload has something to validate.
    pub validate: bool,
    /// The payload may hold an `InputFile`.
    pub has_files: bool,
}

/// A method.
#[derive(Debug, Clone)]
pub struct MethodItem {
    /// Wire name (`sendAudio`).
    pub wire: String,
    /// Request struct name (`SendAudio`).
    pub struct_ident: String,
    /// Client method name (`send_audio`).
    pub fn_ident: String,
    /// Our summary.
    pub summary: String,
    /// Full URL of the official doc entry.
    pub doc_link: String,
    /// Parameters in schema order.
    pub params: Vec<FieldItem>,
    /// What a successful call returns.
    pub returns: RustType,
    /// Rust names of the catalogue errors this method can produce.
    pub errors: Vec<String>,
    /// Name of the per-method error kind enum, when `errors` is not empty.
    pub error_enum: Option<String>,
    /// Something among the parameters may be an `InputFile`.
    pub has_files: bool,
    /// Safe to send twice (schema data: the importer's rule, curated).
    pub idempotent: bool,
    /// Its result is made only of plain values and types the runtime decodes
    /// itself (those of the updates its poller reads), so the reply decoder
    /// is compiled once, in the runtime crate.
    pub decode_in_runtime: bool,
    /// Offset/limit paging, when the schema marks it.
    pub paging: Option<Paging>,
    /// Rules across parameters.
    pub rules: Vec<RuleItem>,
    /// Parameters of which Telegram uses the first set and ignores the rest,
    /// by wire name in its order (documented; nothing to check).
    pub first_wins: Vec<Vec<String>>,
    /// Puts messages into one chat, so that a client throttle counts it
    /// against that chat's flood limits; `None` for every other method.
    pub chat_send: Option<ChatSend>,
}

/// What a throttle needs of a method that puts messages into a chat: a
/// required chat parameter, and a result that is the message (or its id, or
/// a list of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatSend {
    /// Rust name of the chat parameter.
    pub chat: String,
    /// Rust name of the parameter that asks for paid broadcasting, if the
    /// method has one, and whether it is required (a plain `bool`).
    pub paid_broadcast: Option<(String, bool)>,
}

/// How a paginated method pages.
#[derive(Debug, Clone)]
pub struct Paging {
    /// Rust name of the offset parameter.
    pub offset: String,
    /// Rust name of the result field holding a page of items.
    pub items: String,
    /// Rust name of the result field holding the total.
    pub total: String,
    /// Rust type of one item.
    pub item: RustType,
}

/// An entry of the error catalogue.
#[derive(Debug, Clone)]
pub struct ErrorItem {
    /// Rust variant name.
    pub ident: String,
    /// Telegram's `error_code`.
    pub code: u16,
    /// Telegram's description, or its fixed prefix.
    pub description: String,
    /// Our summary.
    pub summary: String,
}
