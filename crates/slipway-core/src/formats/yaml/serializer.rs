//! A serde serializer into [`Node`], so that serialisable types (the design itself) are
//! written by the same YAML writer as every generated file: one set of quoting rules, and no
//! second YAML emitter in the wasm build.

use std::fmt;

use serde::ser::{self, Serialize};

use super::node::{Entry, Node};

/// Why a value has no YAML form: a map key that is not a scalar, or an integer beyond `i64`.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

/// `value` as a YAML node: structs and maps become mappings in field order, sequences and
/// tuples become sequences, unit variants their name, other variants a one-entry mapping.
pub fn to_node<T: Serialize + ?Sized>(value: &T) -> Result<Node, Error> {
    value.serialize(NodeSerializer)
}

fn entry(key: String, value: Node) -> Entry {
    Entry {
        key,
        value,
        comment: Vec::new(),
        gap: false,
        trailing: None,
    }
}

fn integer<T: TryInto<i64> + fmt::Display + Copy>(value: T) -> Result<Node, Error> {
    value.try_into().map(Node::Int).map_err(|_| {
        Error(format!(
            "{value} is beyond the integers YAML readers agree on"
        ))
    })
}

struct NodeSerializer;

/// Collects the items of a sequence, tuple or tuple variant (`variant` wraps them).
struct SeqBuilder {
    items: Vec<Node>,
    variant: Option<&'static str>,
}

/// Collects the entries of a map, struct or struct variant (`variant` wraps them).
struct MapBuilder {
    entries: Vec<Entry>,
    next_key: Option<String>,
    variant: Option<&'static str>,
}

fn wrap(variant: Option<&'static str>, node: Node) -> Node {
    match variant {
        Some(name) => Node::Map(vec![entry(name.to_owned(), node)]),
        None => node,
    }
}

impl ser::Serializer for NodeSerializer {
    type Ok = Node;
    type Error = Error;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = SeqBuilder;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = MapBuilder;

    fn serialize_bool(self, value: bool) -> Result<Node, Error> {
        Ok(Node::Bool(value))
    }
    fn serialize_i8(self, value: i8) -> Result<Node, Error> {
        integer(value)
    }
    fn serialize_i16(self, value: i16) -> Result<Node, Error> {
        integer(value)
    }
    fn serialize_i32(self, value: i32) -> Result<Node, Error> {
        integer(value)
    }
    fn serialize_i64(self, value: i64) -> Result<Node, Error> {
        integer(value)
    }
    fn serialize_u8(self, value: u8) -> Result<Node, Error> {
        integer(value)
    }
    fn serialize_u16(self, value: u16) -> Result<Node, Error> {
        integer(value)
    }
    fn serialize_u32(self, value: u32) -> Result<Node, Error> {
        integer(value)
    }
    fn serialize_u64(self, value: u64) -> Result<Node, Error> {
        integer(value)
    }
    fn serialize_f32(self, value: f32) -> Result<Node, Error> {
        self.serialize_f64(value.into())
    }
    fn serialize_f64(self, value: f64) -> Result<Node, Error> {
        Err(Error(format!(
            "{value}: the design has no fractional numbers"
        )))
    }
    fn serialize_char(self, value: char) -> Result<Node, Error> {
        Ok(Node::Str(value.to_string()))
    }
    fn serialize_str(self, value: &str) -> Result<Node, Error> {
        Ok(Node::Str(value.to_owned()))
    }
    fn serialize_bytes(self, value: &[u8]) -> Result<Node, Error> {
        value
            .iter()
            .map(|byte| integer(*byte))
            .collect::<Result<_, _>>()
            .map(Node::Seq)
    }
    fn serialize_none(self) -> Result<Node, Error> {
        Ok(Node::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Node, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Node, Error> {
        Ok(Node::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Node, Error> {
        Ok(Node::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Node, Error> {
        Ok(Node::Str(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Node, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Node, Error> {
        Ok(wrap(Some(variant), value.serialize(self)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, Error> {
        Ok(SeqBuilder {
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<SeqBuilder, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SeqBuilder, Error> {
        Ok(SeqBuilder {
            items: Vec::with_capacity(len),
            variant: Some(variant),
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder, Error> {
        Ok(MapBuilder {
            entries: Vec::with_capacity(len.unwrap_or(0)),
            next_key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<MapBuilder, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<MapBuilder, Error> {
        Ok(MapBuilder {
            entries: Vec::with_capacity(len),
            next_key: None,
            variant: Some(variant),
        })
    }
}

impl SeqBuilder {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.items.push(value.serialize(NodeSerializer)?);
        Ok(())
    }
    fn finish(self) -> Result<Node, Error> {
        Ok(wrap(self.variant, Node::Seq(self.items)))
    }
}

/// serde has one trait per compound shape; every sequence shape collects items alike.
macro_rules! collects_items {
    ($($shape:ident :: $method:ident),*) => {$(
        impl ser::$shape for SeqBuilder {
            type Ok = Node;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.push(value)
            }
            fn end(self) -> Result<Node, Error> {
                self.finish()
            }
        }
    )*};
}

collects_items!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl MapBuilder {
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        let value = value.serialize(NodeSerializer)?;
        self.entries.push(entry(key.to_owned(), value));
        Ok(())
    }
    fn finish(self) -> Result<Node, Error> {
        Ok(wrap(self.variant, Node::Map(self.entries)))
    }
}

impl ser::SerializeMap for MapBuilder {
    type Ok = Node;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.next_key = Some(match key.serialize(NodeSerializer)? {
            Node::Str(text) => text,
            Node::Int(number) => number.to_string(),
            Node::Bool(value) => value.to_string(),
            _ => return Err(Error("a map key must be a string, number or bool".into())),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .next_key
            .take()
            .ok_or_else(|| Error("a map value came before its key".into()))?;
        self.field(&key, value)
    }
    fn end(self) -> Result<Node, Error> {
        self.finish()
    }
}

/// Structs and struct variants both collect named fields.
macro_rules! collects_fields {
    ($($shape:ident),*) => {$(
        impl ser::$shape for MapBuilder {
            type Ok = Node;
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.field(key, value)
            }
            fn end(self) -> Result<Node, Error> {
                self.finish()
            }
        }
    )*};
}

collects_fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(serde::Serialize)]
    #[serde(rename_all = "kebab-case")]
    enum Kind {
        Plain,
        Tuple(u8, u8),
        Named { port: u16 },
    }

    #[derive(serde::Serialize)]
    #[serde(tag = "op", rename_all = "lowercase")]
    enum Tagged {
        Run { command: String },
    }

    #[derive(serde::Serialize)]
    struct Sample {
        name: &'static str,
        optional: Option<u32>,
        kinds: Vec<Kind>,
        tagged: Tagged,
        labels: BTreeMap<String, bool>,
    }

    #[test]
    fn fields_keep_their_order_and_variants_their_serde_shape() {
        let sample = Sample {
            name: "api: v1",
            optional: None,
            kinds: vec![Kind::Plain, Kind::Tuple(1, 2), Kind::Named { port: 80 }],
            tagged: Tagged::Run {
                command: "echo \"$(id)\"".into(),
            },
            labels: BTreeMap::from([("b".into(), true), ("a".into(), false)]),
        };
        let yaml = super::super::document(&[], to_node(&sample).unwrap());
        assert_eq!(
            yaml,
            "name: \"api: v1\"\noptional: null\nkinds:\n  - plain\n  - tuple:\n      - 1\n      - 2\n  - named:\n      port: 80\ntagged:\n  op: run\n  command: \"echo \\\"$(id)\\\"\"\nlabels:\n  a: false\n  b: true\n"
        );
    }

    #[test]
    fn values_without_a_yaml_form_are_errors() {
        assert!(to_node(&u64::MAX).is_err());
        assert!(to_node(&1.5_f64).is_err());
        let by_list: BTreeMap<Vec<u8>, u8> = BTreeMap::from([(vec![1], 1)]);
        assert!(to_node(&by_list).is_err());
    }
}
